package dev.loupe.app;

import dev.loupe.engine.Loupe;
import dev.loupe.index.IndexedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loupe delete}: removes an image by id, or the occurrences of a location. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    header = "Remove an image, or the occurrences indexed from a path or URL.",
    description = "Remove an image by its id (all occurrences), or the occurrences indexed from a path or URL.")
final class DeleteCommand implements Callable<Integer> {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{" + IndexedImage.ID_LENGTH + "}");

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;

  @Parameters(paramLabel = "ID_OR_LOCATION", description = "An image id, or a path or URL as it was indexed.")
  String target;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SharedEngine engine = data.openExisting()) {
      Loupe loupe = engine.loupe();
      if (ID.matcher(target).matches() && loupe.deleteImage(target)) {
        out.println("deleted image " + target);
        return 0;
      }
      int removed = loupe.deleteLocation(target);
      if (removed == 0) {
        err.println("loupe delete: nothing indexed under " + target);
        return 1;
      }
      out.println("deleted " + removed + " occurrence" + (removed == 1 ? "" : "s") + " of " + target);
      return 0;
    }
  }
}
