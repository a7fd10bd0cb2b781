package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.testing.TestSeed;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TraceBenchTest {
  @TempDir Path dir;

  @Test
  void tracesAQueryWhoseOriginalIsFoundThroughTheVoteAndVerification() throws IOException {
    Path devset = dir.resolve("devset");
    Path work = dir.resolve("work");
    Random random = TestSeed.random(18);
    BufferedImage original = shapes(random, 800, 600);
    write(original, devset.resolve("originals/a.jpg"));
    // The distractor is of another kind (bands, with corners only at the frame), so that it shares
    // few words with the query whatever the seed: two pictures of shapes share many corner words.
    write(bands(random, 800, 600), devset.resolve("distractors/b.jpg"));
    write(original.getSubimage(160, 120, 480, 360), devset.resolve("queries/crop50/a.jpg"));
    Files.writeString(devset.resolve("manifest.csv"), """
        query_file,edit,expected_original_file
        queries/crop50/a.jpg,crop50,originals/a.jpg
        """);
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(work.resolve("data")))) {
      for (String folder : List.of("originals", "distractors")) {
        loupe.ingestor().run(DirectorySource.scan(devset.resolve(folder)), p -> { });
      }
    }

    String out = run("--devset", devset.toString(), "--work", work.toString(), "--edits", "crop50");
    assertTrue(out.contains("RESULT original first: 1 of 1 queries"), out);
    String[] whole = Arrays.stream(out.split("\n")).filter(l -> l.startsWith("crop50\ta.jpg\t"))
        .map(l -> l.split("\t")).filter(cells -> cells[3].equals("whole")).findFirst().orElseThrow();
    assertEquals("original", whole[2].split(" ")[0], String.join(" | ", whole));
    assertEquals("1", whole[5], "own-word rank: " + String.join(" | ", whole));
    assertTrue(!whole[8].equals("-") && Integer.parseInt(whole[8]) >= 12, "inliers: " + out);
    assertEquals(2, whole[11].split("/").length, "hash distances: " + whole[11]);

    // Misses only: the query found first is not listed, and the counts are over none.
    String misses = run("--devset", devset.toString(), "--work", work.toString(), "--edits", "crop50", "--misses-only");
    assertTrue(misses.lines().noneMatch(l -> l.startsWith("crop50\t")), misses);
    assertTrue(misses.contains("whole query: of 0 traced"), misses);
  }

  @Test
  void withoutTheQualityIndexItSaysWhichCommandMakesIt() throws IOException {
    Path devset = dir.resolve("devset");
    Files.createDirectories(devset);
    Files.writeString(devset.resolve("manifest.csv"), "query_file,edit,expected_original_file\n");
    var err = new ByteArrayOutputStream();
    var cli = new CommandLine(new TraceBench()).setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cli.execute("--devset", devset.toString(), "--work", dir.resolve("nothing").toString());
    assertNotEquals(0, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("run bench/run quality --work"), err.toString());
  }

  private static String run(String... args) {
    PrintStream saved = System.out;
    var captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      assertEquals(0, new CommandLine(new TraceBench()).execute(args));
    } finally {
      System.setOut(saved);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** A picture of overlapping filled shapes in random colours: plenty of corners to match. */
  private static BufferedImage shapes(Random random, int w, int h) {
    var image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    try {
      for (int i = 0; i < 300; i++) {
        g.setColor(new Color(random.nextInt(0x1000000)));
        int x = random.nextInt(w);
        int y = random.nextInt(h);
        int s = 10 + random.nextInt(60);
        if (random.nextBoolean()) {
          g.fillRect(x, y, s, s / 2 + random.nextInt(s));
        } else {
          g.fillOval(x, y, s, s);
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Horizontal bands of random colours and heights: edges, but no corners inside the frame. */
  private static BufferedImage bands(Random random, int w, int h) {
    var image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    try {
      for (int y = 0; y < h; ) {
        int band = 8 + random.nextInt(40);
        g.setColor(new Color(random.nextInt(0x1000000)));
        g.fillRect(0, y, w, band);
        y += band;
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void write(BufferedImage image, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    ImageIO.write(image, "jpg", file.toFile());
  }
}
