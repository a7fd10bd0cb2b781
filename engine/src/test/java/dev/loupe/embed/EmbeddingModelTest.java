package dev.loupe.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.DecodedImage;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real ONNX Runtime session over the tiny committed models. */
class EmbeddingModelTest {
  @TempDir Path temp;

  private static double cos(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void colourWordsPointAtTheirColours() throws Exception {
    try (EmbeddingModel model = EmbeddingModel.open(TinyModels.colour())) {
      assertTrue(model.understandsText());
      assertEquals(16, model.dimension());
      List<Color> colours = List.of(Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW);
      List<String> words = List.of("red", "green", "blue", "yellow");
      for (int w = 0; w < words.size(); w++) {
        float[] text = model.embedText("a photo of " + words.get(w).toUpperCase());
        int best = -1;
        double bestScore = -2;
        for (int c = 0; c < colours.size(); c++) {
          double score = cos(text, model.embedImage(TinyModels.decoded(
              TinyModels.picture(colours.get(c), Color.WHITE, 90, 60))));
          if (score > bestScore) {
            best = c;
            bestScore = score;
          }
        }
        assertEquals(w, best, "best picture for \"" + words.get(w) + "\"");
        assertTrue(bestScore > 0.8, "cosine " + bestScore);
      }
    }
  }

  @Test
  void vectorsHaveUnitLengthAndBatchesMatchSingles() throws Exception {
    try (EmbeddingModel model = EmbeddingModel.open(TinyModels.colour(), 2, 1)) {
      List<DecodedImage> images = List.of(
          TinyModels.decoded(TinyModels.picture(Color.RED, Color.BLUE, 50, 80)),
          TinyModels.decoded(TinyModels.picture(Color.GREEN, Color.BLACK, 120, 40)),
          TinyModels.decoded(TinyModels.picture(Color.WHITE, Color.RED, 33, 33)));
      List<float[]> batch = model.embedImages(images);
      for (int i = 0; i < images.size(); i++) {
        assertArrayEquals(model.embedImage(images.get(i)), batch.get(i), 0f);
        assertEquals(1.0, cos(batch.get(i), batch.get(i)), 1e-5);
      }
      // the layout counts: the same colours, the block in another place, is a different vector
      float[] moved = model.embedImage(TinyModels.decoded(TinyModels.picture(Color.BLUE, Color.RED, 50, 80)));
      assertTrue(cos(moved, batch.get(0)) < 0.9);
    }
  }

  @Test
  void imageOnlyModelEmbedsPicturesAndRefusesText() throws Exception {
    try (EmbeddingModel model = EmbeddingModel.open(TinyModels.colourImageOnly())) {
      assertFalse(model.understandsText());
      float[] v = model.embedImage(TinyModels.decoded(TinyModels.picture(Color.RED, Color.RED, 40, 40)));
      assertEquals(16, v.length);
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> model.embedText("red"));
      assertEquals("the model tiny-colour-image-only has no text tower (textual/model.onnx)", e.getMessage());
    }
  }

  @Test
  void identityRecordsDimensionAndChecksums() throws Exception {
    try (EmbeddingModel model = EmbeddingModel.open(TinyModels.colour())) {
      ModelIdentity id = model.identity();
      assertEquals("tiny-colour", id.name());
      assertEquals(List.of("config.json", "textual/model.onnx", "textual/tokenizer.json",
          "textual/tokenizer_config.json", "visual/model.onnx", "visual/preprocess_cfg.json"),
          List.copyOf(id.checksums().keySet()));
      assertEquals(64, id.checksums().get("visual/model.onnx").length());
    }
    try (EmbeddingModel imageOnly = EmbeddingModel.open(TinyModels.colourImageOnly());
        EmbeddingModel full = EmbeddingModel.open(TinyModels.colour())) {
      // same visual tower, different config.json: not interchangeable
      assertFalse(imageOnly.identity().sameVectorsAs(full.identity()));
    }
  }

  // ---- broken model directories, each with its whole message ----

  private String failure(Path dir) {
    return assertThrows(ModelDirectoryException.class, () -> EmbeddingModel.open(dir).close()).getMessage();
  }

  @Test
  void missingFile() throws Exception {
    Path dir = TinyModels.copy(TinyModels.colour(), temp.resolve("m"));
    Files.delete(dir.resolve("visual/model.onnx"));
    assertEquals("model directory " + dir + ": missing visual/model.onnx", failure(dir));
    Path noTokenizer = TinyModels.copy(TinyModels.colour(), temp.resolve("t"));
    Files.delete(noTokenizer.resolve("textual/tokenizer.json"));
    assertEquals("model directory " + noTokenizer + ": missing textual/tokenizer.json", failure(noTokenizer));
    assertEquals("model directory " + temp.resolve("none") + ": not a directory", failure(temp.resolve("none")));
  }

  @Test
  void wrongInputName() {
    Path dir = TinyModels.root().resolve("broken-input-name");
    assertEquals("model directory " + dir + ": visual/model.onnx must have one input named \"image\", it has: "
        + "[pixel_values]", failure(dir));
  }

  @Test
  void wrongDimension() throws Exception {
    Path dir = TinyModels.copy(TinyModels.colour(), temp.resolve("m"));
    Files.writeString(dir.resolve("config.json"), "{\"embed_dim\": 512, \"text_cfg\": {\"context_length\": 8}}");
    assertEquals("model directory " + dir + ": visual/model.onnx returns embeddings of 16 values but config.json "
        + "says embed_dim 512", failure(dir));
  }

  @Test
  void wrongInputSize() throws Exception {
    Path dir = TinyModels.copy(TinyModels.colour(), temp.resolve("m"));
    Files.writeString(dir.resolve("visual/preprocess_cfg.json"),
        Files.readString(dir.resolve("visual/preprocess_cfg.json")).replace("32", "224"));
    assertEquals("model directory " + dir + ": visual/model.onnx input \"image\" must be float [1, 3, 224, 224], "
        + "it is float [1, 3, 32, 32]", failure(dir));
  }

  @Test
  void corruptOnnx() throws Exception {
    Path dir = TinyModels.copy(TinyModels.colour(), temp.resolve("m"));
    byte[] model = Files.readAllBytes(dir.resolve("textual/model.onnx"));
    Files.write(dir.resolve("textual/model.onnx"), java.util.Arrays.copyOf(model, model.length / 2));
    assertEquals("model directory " + dir + ": textual/model.onnx is not a readable ONNX model: Error code - "
        + "ORT_INVALID_PROTOBUF - message: Load model from " + dir.resolve("textual/model.onnx")
        + " failed:Protobuf parsing failed.", failure(dir));
  }

  @Test
  void unreadableTokenizer() throws Exception {
    Path dir = TinyModels.copy(TinyModels.colour(), temp.resolve("m"));
    Files.writeString(dir.resolve("textual/tokenizer.json"), "{\"model\": {\"type\": \"Nonsense\"}}");
    assertEquals("model directory " + dir + ": textual/tokenizer.json is not a readable tokenizer: data did not "
        + "match any variant of untagged enum ModelUntagged at line 1 column 31", failure(dir));
  }

  @Test
  void padTokenMustBeOneToken() throws Exception {
    Path dir = TinyModels.copy(TinyModels.colour(), temp.resolve("m"));
    Files.writeString(dir.resolve("textual/tokenizer_config.json"), "{\"pad_token\": \"red green\"}");
    assertEquals("model directory " + dir + ": the pad token \"red green\" of textual/tokenizer_config.json is not "
        + "one token of textual/tokenizer.json", failure(dir));
    Files.writeString(dir.resolve("textual/tokenizer_config.json"), "{}");
    assertEquals("model directory " + dir + ": textual/tokenizer_config.json has no pad_token", failure(dir));
  }

  @Test
  void badResizeMode() throws Exception {
    Path dir = TinyModels.copy(TinyModels.colour(), temp.resolve("m"));
    Files.writeString(dir.resolve("visual/preprocess_cfg.json"),
        Files.readString(dir.resolve("visual/preprocess_cfg.json")).replace("shortest", "longest"));
    assertEquals("model directory " + dir + ": visual/preprocess_cfg.json resize_mode must be \"shortest\" or "
        + "\"squash\", got: \"longest\"", failure(dir));
  }
}
