package dev.loupe.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;

/**
 * Turns OpenCV's own warnings off: Loupe reports bad images through {@link ImageRejected}, and
 * OpenCV's "[ WARN:0@...] imdecode_(): ..." lines on stderr would only clutter logs and CLI output.
 *
 * <p>The JavaCPP presets do not map {@code cv::utils::logging::setLogLevel}, so it is called
 * through the Foreign Function API by its C++ symbol. That needs native access for this module
 * ({@code --enable-native-access}); without it, or if the symbol is missing, nothing changes.
 */
final class OpenCvLogging {
  private static final String SET_LOG_LEVEL = "_ZN2cv5utils7logging11setLogLevelENS1_8LogLevelE";
  /** {@code cv::utils::logging::LOG_LEVEL_ERROR}: errors still print, warnings do not. */
  private static final int LOG_LEVEL_ERROR = 2;

  private OpenCvLogging() {}

  @SuppressWarnings("restricted") // guarded by isNativeAccessEnabled, see the class doc
  static void quiet() {
    try {
      String library = Loader.load(opencv_core.class);
      if (library == null || !OpenCvLogging.class.getModule().isNativeAccessEnabled()) {
        return;
      }
      // dlsym on the JNI library's handle also searches its dependency, libopencv_core.
      SymbolLookup lookup = SymbolLookup.libraryLookup(Path.of(library), Arena.global());
      var symbol = lookup.find(SET_LOG_LEVEL);
      if (symbol.isEmpty()) {
        return;
      }
      MethodHandle setLogLevel = Linker.nativeLinker().downcallHandle(symbol.get(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
      int previousLevel = (int) setLogLevel.invokeExact(LOG_LEVEL_ERROR);
    } catch (Throwable e) {
      // Quieter logs are a nicety; decoding works the same without them.
    }
  }
}
