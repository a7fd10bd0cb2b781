package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.embed.TinyModels;
import dev.loupe.fetch.FetchPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull, resume, checksum refusal, list and verify against a hub mirror on loopback. */
class ModelStoreTest {
  private static final CatalogueEntry CLIP = ModelCatalogue.builtin().find("ViT-B-32__openai").orElseThrow();
  private static final CatalogueEntry SIGLIP = ModelCatalogue.builtin().find("ViT-B-16-SigLIP__webli").orElseThrow();
  private static final List<String> TEXT_MODEL_FILES = List.of("config.json", "visual/model.onnx",
      "visual/preprocess_cfg.json", "textual/model.onnx", "textual/tokenizer.json", "textual/tokenizer_config.json");

  @TempDir Path temp;
  private HubMirror mirror;
  private ModelHub hub;
  private ModelStore store;

  @BeforeEach
  void start() throws IOException {
    mirror = new HubMirror(Map.of(CLIP.repository(), TinyModels.colour(),
        SIGLIP.repository(), TinyModels.colourImageOnly()));
    hub = new ModelHub(mirror.base(), FetchPolicy.defaults().withPrivateAddressesAllowed());
    store = new ModelStore(temp.resolve("models"));
  }

  @AfterEach
  void stop() {
    hub.close();
    mirror.close();
  }

  @Test
  void pullInstallsEveryLayoutFileAndVerifyOpensTheModel() throws Exception {
    List<PullProgress> progress = new ArrayList<>();
    Path dir = store.pull(CLIP, hub, progress::add);

    assertEquals(temp.resolve("models/ViT-B-32__openai"), dir);
    for (String file : TEXT_MODEL_FILES) {
      assertArrayEquals(Files.readAllBytes(TinyModels.colour().resolve(file)), Files.readAllBytes(dir.resolve(file)), file);
    }
    PullProgress last = progress.get(progress.size() - 1);
    assertEquals(new PullProgress("textual/tokenizer_config.json", 6, 6,
        Files.size(dir.resolve("textual/tokenizer_config.json")), Files.size(dir.resolve("textual/tokenizer_config.json"))), last);
    assertEquals(List.of(new InstalledModel("ViT-B-32__openai", dir, "immich-app/ViT-B-32__openai@main", "complete")),
        store.installed());
    assertEquals(new VerifiedModel(dir, 16, true, 6, true), store.verify(dir));
    assertFalse(Files.exists(temp.resolve("models/.ViT-B-32__openai.partial")));
    assertTrue(mirror.requests().contains("GET /immich-app/ViT-B-32__openai/resolve/main/visual/model.onnx"),
        mirror.requests().toString());
  }

  @Test
  void imageOnlyRepositoryGetsNoTextualDirectory() throws Exception {
    Path dir = store.pull(SIGLIP, hub, p -> {});
    assertFalse(Files.exists(dir.resolve("textual")));
    assertEquals(new VerifiedModel(dir, 16, false, 3, true), store.verify(dir));
  }

  @Test
  void interruptedPullResumesWithARangeRequest() throws Exception {
    long size = Files.size(TinyModels.colour().resolve("visual/model.onnx"));
    mirror.cutOnce("visual/model.onnx", 300);
    ModelStoreException cut = assertThrows(ModelStoreException.class, () -> store.pull(CLIP, hub, p -> {}));
    String cdn = mirror.base() + "cdn/" + FileDigest.sha256(TinyModels.colour().resolve("visual/model.onnx"));
    assertEquals("immich-app/ViT-B-32__openai visual/model.onnx (" + cdn + "): the connection ended after 300 of "
        + size + " bytes; run the pull again to resume from there", cut.getMessage());
    assertEquals(List.of(), store.installed());
    Path part = temp.resolve("models/.ViT-B-32__openai.partial/visual/model.onnx.part");
    assertEquals(300, Files.size(part));

    Path dir = store.pull(CLIP, hub, p -> {});

    assertTrue(mirror.requests().contains("GET " + cdn.substring(mirror.base().toString().length() - 1)
        + " Range: bytes=300-"), mirror.requests().toString());
    assertArrayEquals(Files.readAllBytes(TinyModels.colour().resolve("visual/model.onnx")),
        Files.readAllBytes(dir.resolve("visual/model.onnx")));
    assertEquals(new VerifiedModel(dir, 16, true, 6, true), store.verify(dir));
  }

  @Test
  void serverIgnoringRangeIsReadFromTheStart() throws Exception {
    mirror.cutOnce("visual/model.onnx", 300);
    assertThrows(ModelStoreException.class, () -> store.pull(CLIP, hub, p -> {}));
    mirror.ignoreRanges();

    Path dir = store.pull(CLIP, hub, p -> {});

    assertTrue(mirror.requests().stream().anyMatch(r -> r.endsWith(" Range: bytes=300-")), mirror.requests().toString());
    assertArrayEquals(Files.readAllBytes(TinyModels.colour().resolve("visual/model.onnx")),
        Files.readAllBytes(dir.resolve("visual/model.onnx")));
    assertEquals(new VerifiedModel(dir, 16, true, 6, true), store.verify(dir));
  }

  @Test
  void stalledDownloadIsAbandonedAfterTheIdleTimeoutAndResumes() throws Exception {
    long size = Files.size(TinyModels.colour().resolve("textual/tokenizer.json"));
    mirror.stallOnce("textual/tokenizer.json", 100);
    try (ModelHub impatient = new ModelHub(mirror.base(), FetchPolicy.defaults().withPrivateAddressesAllowed(),
        Duration.ofMillis(500))) {
      ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.pull(CLIP, impatient, p -> {}));
      assertEquals("immich-app/ViT-B-32__openai textual/tokenizer.json (" + mirror.base()
          + "immich-app/ViT-B-32__openai/resolve/main/textual/tokenizer.json): nothing received for 500 ms after 100 of "
          + size + " bytes; run the pull again to resume from there", e.getMessage());
      Path dir = store.pull(CLIP, impatient, p -> {});
      assertTrue(mirror.requests().contains(
          "GET /immich-app/ViT-B-32__openai/resolve/main/textual/tokenizer.json Range: bytes=100-"),
          mirror.requests().toString());
      assertEquals(new VerifiedModel(dir, 16, true, 6, true), store.verify(dir));
    }
  }

  @Test
  void corruptLfsFileIsCheckedBySha256AndNothingIsInstalled() throws Exception {
    assertCorruptDownloadRefused("textual/model.onnx", "SHA-256 ", FileDigest::sha256);
  }

  @Test
  void corruptSmallFileIsCheckedByItsGitBlobId() throws Exception {
    assertCorruptDownloadRefused("config.json", "Git blob id ", FileDigest::gitBlobId);
  }

  private interface Digest {
    String of(Path file) throws IOException;
  }

  private void assertCorruptDownloadRefused(String file, String kind, Digest digest) throws Exception {
    Path source = TinyModels.colour().resolve(file);
    mirror.corrupt(file);
    byte[] served = Files.readAllBytes(source);
    served[0] ^= 1;
    Path servedFile = Files.write(temp.resolve("served"), served);

    ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.pull(CLIP, hub, p -> {}));

    assertEquals("immich-app/ViT-B-32__openai " + file + ": downloaded " + served.length + " bytes with " + kind
        + digest.of(servedFile) + ", but the hub lists " + digest.of(source)
        + "; the download was deleted and the model is not installed", e.getMessage());
    assertFalse(Files.exists(temp.resolve("models/ViT-B-32__openai")));
    assertFalse(Files.exists(temp.resolve("models/.ViT-B-32__openai.partial/" + file + ".part")));
    assertEquals(List.of(), store.installed());
  }

  @Test
  void verifyNamesTheChangedFile() throws Exception {
    Path dir = store.pull(CLIP, hub, p -> {});
    Path tokenizer = dir.resolve("textual/tokenizer.json");
    String recorded = FileDigest.sha256(tokenizer);
    Files.writeString(tokenizer, Files.readString(tokenizer) + " ");

    ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.verify(dir));

    assertEquals(dir + ": textual/tokenizer.json has SHA-256 " + FileDigest.sha256(tokenizer) + ", but " + recorded
        + " was recorded when it was pulled; pull it again (delete the directory first)", e.getMessage());
    long size = Files.size(tokenizer);
    assertEquals(List.of(new InstalledModel("ViT-B-32__openai", dir, "immich-app/ViT-B-32__openai@main",
        "textual/tokenizer.json has " + size + " bytes, " + (size - 1) + " were pulled")), store.installed());
  }

  @Test
  void loopbackMirrorIsRefusedUnlessPrivateAddressesAreAllowed() throws Exception {
    try (ModelHub strict = new ModelHub(mirror.base(), FetchPolicy.defaults())) {
      ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.pull(CLIP, strict, p -> {}));
      assertEquals("immich-app/ViT-B-32__openai file listing (" + mirror.base()
          + "api/models/immich-app/ViT-B-32__openai/tree/main?recursive=true): address 127.0.0.1 is loopback; "
          + "fetching private addresses is disabled (loupe --allow-private-addresses allows it)",
          e.getMessage());
    }
    assertEquals(List.of(), mirror.requests());
  }

  @Test
  void repositoryWithoutTheLayoutIsRefused() throws Exception {
    CatalogueEntry missing = new CatalogueEntry("nothing", "immich-app/nothing", "main", "");
    ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.pull(missing, hub, p -> {}));
    assertEquals("immich-app/nothing file listing (" + mirror.base()
        + "api/models/immich-app/nothing/tree/main?recursive=true): HTTP 404", e.getMessage());
  }

  @Test
  void builtinCatalogueNamesThreeImmichRepositories() {
    ModelCatalogue catalogue = ModelCatalogue.builtin();
    assertEquals("https://huggingface.co", catalogue.hub().toString());
    assertEquals(List.of("immich-app/ViT-B-32__openai", "immich-app/ViT-B-16-SigLIP__webli",
        "immich-app/XLM-Roberta-Large-Vit-B-32"), catalogue.entries().stream().map(CatalogueEntry::repository).toList());
  }
}
