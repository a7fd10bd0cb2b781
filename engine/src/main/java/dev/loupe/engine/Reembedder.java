package dev.loupe.engine;

import dev.loupe.embed.EmbeddingModel;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.EmbeddingIndex;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.ingest.ImageAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Gives vectors to the images of an index that have none (indexed before a model was set, or with
 * another model): pages through the image ids, reads each picture from its original file when a
 * local source still exists, else from the stored 256 px thumbnail, and embeds them in batches on
 * the model's pool. Vectors from thumbnails are slightly worse: the model sees a 256 px JPEG
 * upscaled to its input size instead of the full picture (docs/embeddings.md#reembed).
 */
final class Reembedder {
  private static final int PAGE = 256;
  private static final int BATCH = 32;
  /** A URL scheme of two letters or more (so that "C:\..." stays a path). */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  private final ImageIndex index;
  private final EmbeddingIndex embeddings;
  private final EmbeddingModel model;
  private final ImageLoader loader;

  Reembedder(ImageIndex index, EmbeddingIndex embeddings, EmbeddingModel model, ImageAnalyzer analyzer,
      ImageLimits limits) {
    this.index = index;
    this.embeddings = embeddings;
    this.model = model;
    this.loader = new ImageLoader(limits);
  }

  ReembedProgress run(int commitEvery, Consumer<ReembedProgress> progress) throws IOException {
    if (commitEvery < 1) {
      throw new IllegalArgumentException("commitEvery must be at least 1, got: " + commitEvery);
    }
    long total = index.stats().images();
    long seen = 0;
    long embedded = 0;
    long done = 0;
    long failed = 0;
    long sinceCommit = 0;
    List<String> ids = new ArrayList<>();
    List<DecodedImage> pictures = new ArrayList<>();
    String after = null;
    while (true) {
      List<String> page = index.imageIds(after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      after = page.getLast();
      for (String id : page) {
        seen++;
        if (embeddings.has(id)) {
          done++;
          continue;
        }
        Optional<DecodedImage> picture = picture(id);
        if (picture.isEmpty()) {
          failed++;
          continue;
        }
        ids.add(id);
        pictures.add(picture.get());
        if (pictures.size() == BATCH) {
          embedded += store(ids, pictures);
          sinceCommit += BATCH;
          if (sinceCommit >= commitEvery) {
            embeddings.commit();
            sinceCommit = 0;
          }
          progress.accept(new ReembedProgress(seen, embedded, done, failed, total));
        }
      }
    }
    embedded += store(ids, pictures);
    embeddings.commit();
    ReembedProgress last = new ReembedProgress(seen, embedded, done, failed, total);
    progress.accept(last);
    return last;
  }

  private int store(List<String> ids, List<DecodedImage> pictures) throws IOException {
    List<float[]> vectors;
    try {
      vectors = model.embedImages(pictures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("re-embedding interrupted", e);
    }
    for (int i = 0; i < ids.size(); i++) {
      embeddings.put(ids.get(i), vectors.get(i));
    }
    int n = ids.size();
    ids.clear();
    pictures.clear();
    return n;
  }

  /** The original file if a local source still holds it, else the thumbnail. */
  private Optional<DecodedImage> picture(String id) throws IOException {
    Optional<IndexedImage> image = index.image(id);
    if (image.isEmpty()) {
      return Optional.empty();
    }
    for (Occurrence o : image.get().occurrences()) {
      Optional<Path> file = localFile(o.source());
      if (file.isPresent() && Files.isRegularFile(file.get())) {
        try {
          return Optional.of(loader.decode(Files.readAllBytes(file.get()), ImageAnalyzer.WORKING_SIZE));
        } catch (ImageRejected | IOException e) {
          // changed or unreadable since it was indexed: fall back to the thumbnail
        }
      }
    }
    Optional<byte[]> thumbnail = index.thumbnail(id);
    if (thumbnail.isEmpty() || thumbnail.get().length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(loader.decode(thumbnail.get(), ImageAnalyzer.WORKING_SIZE));
    } catch (ImageRejected e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> localFile(String source) {
    if (SCHEME.matcher(source).find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(source));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }
}
