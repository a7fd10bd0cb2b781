package dev.loupe.app;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.ReembedProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe reembed}: gives every indexed image a vector of the model. */
@Command(
    name = "reembed",
    mixinStandardHelpOptions = true,
    description = {
      "Embed the images indexed before a model was set (or with another model) with the model.",
      "Reads each image's original file when its source is a local file that still exists, else the stored",
      "256 px thumbnail (slightly worse vectors: the model sees a small JPEG). Resumable: images that have a",
      "vector are skipped. With another model than the recorded one, the old vectors are replaced."
    })
final class ReembedCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;
  @Mixin ModelOption model;

  @Option(names = "--commit-every", paramLabel = "N", description = "Commit after N images (default: ${DEFAULT-VALUE}).")
  int commitEvery = 256;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Loupe loupe = Loupe.open(data.config(), model.dir(), true)) {
      long[] last = {0};
      ReembedProgress done = loupe.reembed(commitEvery, p -> {
        long now = System.nanoTime();
        if (!quiet && now - last[0] > 1_000_000_000L) {
          last[0] = now;
          err.printf("reembed: %d of %d images looked at, %d embedded%n", p.seen(), p.total(), p.embedded());
          err.flush();
        }
      });
      out.printf("%d images embedded, %d had a vector already, %d unreadable, of %d%n", done.embedded(),
          done.alreadyDone(), done.failed(), done.total());
      return done.failed() == 0 ? 0 : 1;
    }
  }
}
