package dev.loupe.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.embed.EmbeddingModel;
import dev.loupe.embed.ModelDirectoryException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The models directory ({@code <data>/models} by default): one directory per installed model, named
 * like its catalogue entry, in the open_clip layout, with a pull manifest {@value #MANIFEST}
 * recording the repository, the revision, and each file's size and SHA-256.
 *
 * <p>A pull downloads into {@code .<name>.partial/} beside the models: each file to a {@code .part}
 * file (kept across interrupted runs, so the next pull resumes it), checked against the hub's
 * checksum, then renamed to its name; when every file is there, the model is opened with {@link
 * EmbeddingModel} and the staging directory is renamed to {@code <name>}. So a directory named
 * like a model is always complete and checked; a failed pull leaves only the staging directory,
 * which {@link #installed()} does not list.
 */
public final class ModelStore {
  /** The pull manifest's file name inside a model directory. */
  public static final String MANIFEST = "loupe-model.json";

  private final Path dir;

  public ModelStore(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  public Path dir() {
    return dir;
  }

  /** Where the model {@code name} is (or would be) installed. */
  public Path modelDir(String name) {
    return dir.resolve(name);
  }

  /**
   * Downloads {@code entry} from {@code hub} and installs it; returns its directory. A model already
   * installed is left as it is (returns its directory without contacting the hub).
   */
  public Path pull(CatalogueEntry entry, ModelHub hub, Consumer<PullProgress> progress)
      throws ModelStoreException {
    Path target = modelDir(entry.name());
    if (Files.exists(target)) {
      return target;
    }
    List<HubFile> files = hub.files(entry);
    Path staging = dir.resolve("." + entry.name() + ".partial");
    Map<String, String> sha256s = new LinkedHashMap<>();
    try {
      Files.createDirectories(staging);
      for (int i = 0; i < files.size(); i++) {
        HubFile file = files.get(i);
        Path dest = staging.resolve(file.path());
        Files.createDirectories(dest.getParent());
        int number = i + 1;
        if (!Files.exists(dest)) {
          Path part = dest.resolveSibling(dest.getFileName() + ".part");
          hub.download(entry, file, part,
              bytes -> progress.accept(new PullProgress(file.path(), number, files.size(), bytes, file.size())));
          check(entry, file, part);
          Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE);
        } else {
          progress.accept(new PullProgress(file.path(), number, files.size(), file.size(), file.size()));
        }
        sha256s.put(file.path(), FileDigest.sha256(dest));
      }
      writeManifest(staging, entry, hub, files, sha256s);
    } catch (IOException e) {
      throw new ModelStoreException(staging + ": " + e, e);
    }
    try (EmbeddingModel model = EmbeddingModel.open(staging)) {
      Objects.requireNonNull(model);
    } catch (ModelDirectoryException e) {
      throw new ModelStoreException(entry.repository() + " was downloaded with matching checksums but "
          + "does not open as a model, so it is not installed: " + e.getMessage(), e);
    }
    try {
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staging, target);
      }
    } catch (IOException e) {
      throw new ModelStoreException(target + ": cannot install the downloaded model: " + e, e);
    }
    return target;
  }

  /** The downloaded {@code part} against the listing: its SHA-256, or its Git blob id. Deleted if wrong. */
  private static void check(CatalogueEntry entry, HubFile file, Path part) throws IOException, ModelStoreException {
    String actual = file.hasSha256() ? FileDigest.sha256(part) : FileDigest.gitBlobId(part);
    String expected = file.hasSha256() ? file.sha256() : file.gitBlobId();
    if (!actual.equals(expected)) {
      long size = Files.size(part);
      Files.delete(part);
      throw new ModelStoreException(entry.repository() + " " + file.path() + ": downloaded "
          + size + " bytes with "
          + (file.hasSha256() ? "SHA-256 " : "Git blob id ") + actual + ", but the hub lists " + expected
          + "; the download was deleted and the model is not installed");
    }
  }

  private static void writeManifest(Path staging, CatalogueEntry entry, ModelHub hub, List<HubFile> files,
      Map<String, String> sha256s) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("name", entry.name());
    root.put("repository", entry.repository());
    root.put("revision", entry.revision());
    root.put("source", hub.base().toString());
    ArrayNode list = root.putArray("files");
    for (HubFile file : files) {
      list.addObject().put("path", file.path()).put("size", file.size()).put("sha256", sha256s.get(file.path()));
    }
    json.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(MANIFEST).toFile(), root);
  }

  /** The model directories (names not starting with a dot), by name; empty if the directory does not exist. */
  public List<InstalledModel> installed() throws IOException {
    List<InstalledModel> models = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return models;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        models.add(describe(child));
      }
    }
    models.sort(Comparator.comparing(InstalledModel::name));
    return models;
  }

  private static InstalledModel describe(Path model) throws IOException {
    String name = model.getFileName().toString();
    Path manifest = model.resolve(MANIFEST);
    if (!Files.exists(manifest)) {
      return new InstalledModel(name, model, null, "no pull manifest; verify opens it without checksums");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(manifest.toFile());
    } catch (IOException e) {
      return new InstalledModel(name, model, null, MANIFEST + " is unreadable: " + e.getMessage());
    }
    String repository = root.path("repository").asText() + "@" + root.path("revision").asText();
    for (JsonNode file : root.path("files")) {
      Path path = model.resolve(file.path("path").asText());
      long size = file.path("size").asLong();
      if (!Files.exists(path)) {
        return new InstalledModel(name, model, repository, file.path("path").asText() + " is missing");
      }
      if (Files.size(path) != size) {
        return new InstalledModel(name, model, repository, file.path("path").asText() + " has "
            + Files.size(path) + " bytes, " + size + " were pulled");
      }
    }
    return new InstalledModel(name, model, repository, "complete");
  }

  /**
   * Recomputes the SHA-256 of every file of the model's pull manifest (when it has one), then opens
   * it with {@link EmbeddingModel}, which checks the layout, the graphs' inputs and outputs and the
   * tokenizer.
   */
  public VerifiedModel verify(Path model) throws ModelStoreException {
    if (!Files.isDirectory(model)) {
      throw new ModelStoreException(model + ": not a directory");
    }
    Path manifest = model.resolve(MANIFEST);
    int checked = 0;
    boolean hasManifest = Files.exists(manifest);
    if (hasManifest) {
      try {
        for (JsonNode file : new ObjectMapper().readTree(manifest.toFile()).path("files")) {
          String path = file.path("path").asText();
          String expected = file.path("sha256").asText();
          Path local = model.resolve(path);
          if (!Files.exists(local)) {
            throw new ModelStoreException(model + ": " + path + " is missing");
          }
          String actual = FileDigest.sha256(local);
          if (!actual.equals(expected)) {
            throw new ModelStoreException(model + ": " + path + " has SHA-256 " + actual + ", but " + expected
                + " was recorded when it was pulled; pull it again (delete the directory first)");
          }
          checked++;
        }
      } catch (IOException e) {
        throw new ModelStoreException(model + ": " + e, e);
      }
    }
    try (EmbeddingModel opened = EmbeddingModel.open(model)) {
      return new VerifiedModel(model, opened.dimension(), opened.understandsText(), checked, hasManifest);
    } catch (ModelDirectoryException e) {
      throw new ModelStoreException(e.getMessage(), e);
    }
  }
}
