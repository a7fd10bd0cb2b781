package dev.loupe.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingIndexTest {
  private static final long SEED = Long.getLong("loupe.test.seed", 20261121L);
  private static final EmbeddingSpace A = new EmbeddingSpace("model-a", 8, Map.of("visual/model.onnx", "aa"), "/m/a");
  private static final EmbeddingSpace B = new EmbeddingSpace("model-b", 8, Map.of("visual/model.onnx", "bb"), "");

  @TempDir Path dir;

  private static float[] unit(Random random) {
    float[] v = new float[8];
    double n = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  @Test
  void storesVectorsFindsNeighboursAndRemembersTheModel() throws Exception {
    Random random = new Random(SEED);
    float[][] vectors = new float[30][];
    try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
      index.bind(A);
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = unit(random);
        index.put("id" + i, vectors[i]);
      }
      index.commit();
      List<VectorHit> hits = index.nearest(vectors[5], 3);
      assertEquals("id5", hits.getFirst().id(), "seed " + SEED);
      assertEquals(1.0, hits.getFirst().cosine(), 0.02);
      assertTrue(index.has("id29"));
      assertArrayEquals(vectors[7], index.vector("id7").orElseThrow(), 0f);
    }
    try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
      assertEquals(A, index.space().orElseThrow());
      assertEquals(30, index.count());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.bind(B));
      assertEquals("this data directory's vectors were made by the model model-a (dimension 8, from /m/a); the model "
          + "model-b (dimension 8) cannot search them. Use --model with the first model, or run `loupe reembed "
          + "--model DIR` to replace the vectors", e.getMessage());
      IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
          () -> index.nearest(new float[4], 3));
      assertEquals("query vector has 4 dimensions; the index holds 8", wrong.getMessage());
      index.reset(B);
      assertEquals(0, index.count());
      assertEquals(B, index.space().orElseThrow());
    }
  }
}
