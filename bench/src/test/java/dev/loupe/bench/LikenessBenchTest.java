package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The likeness benchmark's arithmetic and the dev set's seeded draw. */
class LikenessBenchTest {
  private static final long SEED = Long.getLong("tests.seed", 20261202L);

  @Test
  void precisionAtTenCountsTheQuerysClassAmongTheTenBest() {
    // 6 images of class a, 6 of class b; a is alike only to a, b to nothing.
    List<LikenessBench.Item> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      items.add(new LikenessBench.Item("f" + i, i < 6 ? "a" : "b"));
    }
    double[][] m = LikenessBench.matrix(12, (x, y) -> x < 6 && y < 6 ? 0.9 : 0.1);
    double[] p = LikenessBench.precisionAt(items, m);
    // a: its 5 fellows first, then 5 of b (ties by index). b: ties by index, so a's 6 come first.
    assertEquals(0.5, p[0], 1e-9);
    assertEquals(0.4, p[11], 1e-9, "b's 10 best: f0..f5 of class a, then f6..f9 (f6 to f10 minus itself)");
    assertEquals(1.0, LikenessBench.precisionAt(items, m, label -> "one")[0], 1e-9, "one group: every hit counts");
  }

  @Test
  void kindsGroupTheGraphicClasses() {
    assertEquals("graphic", LikenessBench.kind("stamp-animals"));
    assertEquals("graphic", LikenessBench.kind("flag"));
    assertEquals("graphic", LikenessBench.kind("icon"));
    assertEquals("photograph", LikenessBench.kind("photograph"));
    assertEquals("abstract", LikenessBench.kind("abstract"));
  }

  @Test
  void theDrawIsSeededSortedAndWithoutRepeats() {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      files.add(Path.of("f" + (char) ('a' + i % 26) + i));
    }
    List<Path> a = LikenessSetBuilder.choose(files, 10, new Random(SEED));
    List<Path> b = LikenessSetBuilder.choose(files, 10, new Random(SEED));
    assertEquals(a, b, "seed " + SEED);
    assertEquals(10, a.stream().distinct().count());
    assertArrayEquals(a.stream().sorted().toArray(), a.toArray());
    assertNotEquals(a, LikenessSetBuilder.choose(files, 10, new Random(SEED + 1)), "seed " + SEED);
    assertEquals(files.stream().sorted().toList(), LikenessSetBuilder.choose(files, 80, new Random(SEED)));
  }
}
