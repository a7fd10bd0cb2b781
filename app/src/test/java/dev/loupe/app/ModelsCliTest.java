package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.embed.TinyModels;
import dev.loupe.models.HubMirror;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe models list|pull|verify} against a hub mirror on loopback, */
class ModelsCliTest {
  @TempDir Path temp;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void pullListAndVerify() throws Exception {
    Path data = temp.resolve("data");
    Path models = data.resolve("models");
    try (HubMirror mirror = new HubMirror(Map.of("immich-app/ViT-B-32__openai", TinyModels.colour()))) {
      Result refused = run("models", "pull", "ViT-B-32__openai", "--data", data.toString(),
          "--mirror", mirror.base().toString());
      assertEquals(1, refused.code());
      assertEquals("loupe: immich-app/ViT-B-32__openai file listing (" + mirror.base()
          + "api/models/immich-app/ViT-B-32__openai/tree/main?recursive=true): address 127.0.0.1 is loopback; "
          + "fetching private addresses is disabled (loupe --allow-private-addresses allows it)\n",
          refused.err());

      Result pulled = run("models", "pull", "ViT-B-32__openai", "--data", data.toString(),
          "--mirror", mirror.base().toString(), "--allow-private-addresses");
      assertEquals(0, pulled.code(), pulled.err());
      Path dir = models.resolve("ViT-B-32__openai");
      assertEquals("installed ViT-B-32__openai in " + dir + "; use it with --model " + dir + "\n", pulled.out());
      assertTrue(pulled.err().endsWith("textual/tokenizer_config.json (6/6) 0.0 MB of 0.0 MB\n"), pulled.err());

      Result again = run("models", "pull", "ViT-B-32__openai", "--data", data.toString(),
          "--mirror", mirror.base().toString(), "--allow-private-addresses");
      assertEquals("ViT-B-32__openai is already installed in " + dir
          + "; `loupe models verify ViT-B-32__openai` checks it\n", again.out());
    }

    Result list = run("models", "list", "--data", data.toString());
    assertEquals(0, list.code(), list.err());
    assertEquals("models directory: " + models + "\n"
        + "ViT-B-32__openai             installed, complete\n"
        + "    immich-app/ViT-B-32__openai: OpenAI CLIP ViT-B/32: 512 dimensions, 224 px, English text\n"
        + "ViT-B-16-SigLIP__webli       not installed\n"
        + "    immich-app/ViT-B-16-SigLIP__webli: SigLIP ViT-B/16 trained on WebLI: 768 dimensions, 224 px "
        + "(squash resize), English text\n"
        + "XLM-Roberta-Large-Vit-B-32   not installed\n"
        + "    immich-app/XLM-Roberta-Large-Vit-B-32: Multilingual CLIP: ViT-B/32 image tower with an "
        + "XLM-RoBERTa-Large text tower, 512 dimensions\n", list.out());

    Result verify = run("models", "verify", "ViT-B-32__openai", "--data", data.toString());
    assertEquals(0, verify.code(), verify.err());
    assertEquals("ok: " + models.resolve("ViT-B-32__openai") + ": 6 files match the SHA-256 recorded at pull; "
        + "opens as a model of dimension 16 with a text tower\n", verify.out());

    Result byDir = run("models", "verify", TinyModels.colourImageOnly().toString());
    assertEquals("ok: " + TinyModels.colourImageOnly() + ": no pull manifest, so no checksums to compare; "
        + "opens as a model of dimension 16 without a text tower (image-only)\n", byDir.out());

    Files.writeString(models.resolve("ViT-B-32__openai/config.json"), "{}");
    Result broken = run("models", "verify", "ViT-B-32__openai", "--data", data.toString());
    assertEquals(1, broken.code());
    assertTrue(broken.err().startsWith("loupe: " + models.resolve("ViT-B-32__openai")
        + ": config.json has SHA-256 "), broken.err());
  }

  @Test
  void unknownNameListsTheCatalogue() {
    Result r = run("models", "pull", "ViT-L-14", "--data", temp.toString());
    assertEquals(1, r.code());
    assertEquals("loupe: unknown model ViT-L-14; the catalogue has: ViT-B-32__openai, ViT-B-16-SigLIP__webli, "
        + "XLM-Roberta-Large-Vit-B-32\n", r.err());
  }
}
