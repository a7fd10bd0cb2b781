package dev.loupe.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Pins the preprocessing to numbers computed independently with numpy by
 * {@code make_tiny_models.py} (PIL's bicubic filter, float arithmetic) for a 40 x 24 picture.
 */
class PreprocessingTest {
  private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private void check(Preprocessing.ResizeMode mode, String key) throws Exception {
    Path dir = TinyModels.root().resolve("preprocess");
    JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
    BufferedImage png = ImageIO.read(dir.resolve("input-40x24.png").toFile());
    var image = TinyModels.decoded(png);
    assertEquals(40, image.pixelWidth());
    assertEquals(24, image.pixelHeight());
    int size = expected.get("size").asInt();
    float[] tensor = new Preprocessing(size, MEAN, STD, mode).tensor(image.bgr(), 40, 24);
    JsonNode values = expected.get(key);
    assertEquals(values.size(), tensor.length);
    for (int i = 0; i < tensor.length; i++) {
      int c = i / (size * size);
      int y = i / size % size;
      int x = i % size;
      assertEquals(values.get(i).asDouble(), tensor[i], 2e-5, key + " channel " + c + " y " + y + " x " + x);
    }
  }

  @Test
  void shortestSideThenCentreCrop() throws Exception {
    check(Preprocessing.ResizeMode.SHORTEST, "shortest");
  }

  @Test
  void squash() throws Exception {
    check(Preprocessing.ResizeMode.SQUASH, "squash");
  }
}
