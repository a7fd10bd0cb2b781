package dev.loupe.app;

import dev.loupe.engine.LoupeConfig;
import dev.loupe.index.ImageIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe upgrade}: rewrites images indexed by an earlier version in the current format. */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    header = "Rewrite images indexed by an earlier version in the current format.",
    description = {
      "Rewrite the images whose keypoints an earlier version stored (full descriptors, five word tables) in the",
      "current compact format, from what the index holds: no original file is read. Until then such images are",
      "found by their hash and descriptor but not by their keypoints (crops, rotations, screenshots).",
      "Resumable: commits every --commit-every images, and upgraded images are not looked at again."
    })
final class UpgradeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;

  @Option(names = "--commit-every", paramLabel = "N", description = "Commit after N images (default: ${DEFAULT-VALUE}).")
  int commitEvery = 1000;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    if (commitEvery < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--commit-every must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoupeConfig config = data.existingConfig();
    try (SharedEngine engine = SharedEngine.open(config)) {
      ImageIndex index = engine.loupe().index();
      long total = index.outdatedKeypoints();
      long done = 0;
      long last = System.nanoTime();
      for (int n; (n = index.upgradeKeypoints(commitEvery)) > 0; ) {
        index.commit();
        done += n;
        long now = System.nanoTime();
        if (!quiet && now - last > 1_000_000_000L) {
          last = now;
          err.printf("upgrade: %d of %d images rewritten%n", done, total);
          err.flush();
        }
      }
      out.printf("%d images rewritten in the current format; %d images in the index%n", done,
          index.stats().images());
      return 0;
    }
  }
}
