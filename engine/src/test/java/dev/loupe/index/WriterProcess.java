package dev.loupe.index;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A child process for {@link CrashSafetyTest}: adds synthetic images forever, committing every
 * 200, and prints {@code committed N} after each commit. It is meant to be killed.
 */
public final class WriterProcess {
  public static void main(String[] args) throws Exception {
    TestSignatures gen = new TestSignatures(Long.parseLong(args[1]));
    ImageMetadata meta = new ImageMetadata("png", 100, 100, new byte[512]);
    try (LuceneImageIndex index = LuceneImageIndex.open(Path.of(args[0]))) {
      for (int i = 0; ; i++) {
        index.add(gen.randomSignature(), meta, Occurrence.of("/crash/" + i + ".png", null, null, "t" + i, Instant.now()));
        if ((i + 1) % 200 == 0) {
          index.commit();
          System.out.println("committed " + (i + 1));
          System.out.flush();
        }
      }
    }
  }
}
