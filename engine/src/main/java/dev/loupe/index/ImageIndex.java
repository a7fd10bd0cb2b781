package dev.loupe.index;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.WordLookup;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The image store contract that every backend honours (the embedded Lucene index; a clustered
 * engine later). Conformance tests run against each implementation.
 *
 * <p>Writes become durable only at {@link #commit()}; a process killed between commits loses the
 * writes since the last commit and nothing else. Reads see every write made through the same
 * instance, committed or not. Implementations are thread-safe: writes are serialised internally,
 * reads run concurrently.
 */
public interface ImageIndex extends Closeable {

  /**
   * Adds one sighting of an image. An image with the same pixel key is stored once: a new source
   * becomes another occurrence of it, a known source updates that occurrence's last-seen time.
   */
  AddOutcome add(ImageSignature signature, ImageMetadata metadata, Occurrence occurrence) throws IOException;

  /**
   * The image with this id, if stored. Its signature need not carry the stored keypoints (the
   * embedded index leaves them out: a search result does not need them, and they are most of a
   * stored image): read them with {@link #localFeatures}.
   */
  Optional<IndexedImage> image(String id) throws IOException;

  /** The image with this pixel key, if stored. */
  Optional<IndexedImage> imageByPixelKey(String pixelKey) throws IOException;

  /** The stored thumbnail (JPEG) of the image with this id. */
  Optional<byte[]> thumbnail(String id) throws IOException;

  /** Whether some occurrence was indexed from exactly this source (used to resume ingests). */
  default boolean hasSource(String source) throws IOException {
    return hasSource(source, false);
  }

  /**
   * As {@link #hasSource(String)}; with {@code withKeypoints}, an image stored without computed
   * keypoints (indexed before keypoints existed) does not count, so that an ingest resumed over
   * such an index analyses those sources again and adds their keypoints.
   */
  boolean hasSource(String source, boolean withKeypoints) throws IOException;

  /** Removes an image and all its occurrences; false if there was none with that id. */
  boolean deleteImage(String id) throws IOException;

  /**
   * Removes every occurrence whose source or URL equals {@code location}; an image left without
   * occurrences is removed. Returns the number of occurrences removed.
   */
  int deleteLocation(String location) throws IOException;

  /**
   * Every image whose hash is within {@code maxDistance} bits of one of {@code queryHashes} and
   * whose hash quality is at least {@code minQuality}: exact, not approximate, for
   * {@code maxDistance} up to {@link #MAX_HASH_RADIUS}. Results are sorted by distance.
   *
   * @param limit at most this many results (the closest)
   */
  List<Candidate> withinDistance(
      List<Hash256> queryHashes, int maxDistance, int minQuality, IndexFilter filter, int limit) throws IOException;

  /**
   * The {@code k} images whose descriptors are most similar to {@code descriptor} (approximate
   * nearest neighbours), best first.
   */
  List<Candidate> nearest(float[] descriptor, int k, IndexFilter filter) throws IOException;

  /**
   * The {@code k} images whose likeness descriptors ({@link ImageSignature#likeness()}) are most
   * similar to {@code likeness} (approximate nearest neighbours), best first, with the similarity
   * as {@link Candidate#similarity()}. Images stored without one are never returned; an index
   * holding none returns an empty list (see {@link #hasLikeness()}).
   */
  List<Candidate> alike(float[] likeness, int k, IndexFilter filter) throws IOException;

  /** Whether some stored image has a likeness descriptor (an index written before them has none). */
  boolean hasLikeness() throws IOException;

  /**
   * The images sharing the most visual words with {@code words} (see
   * {@link dev.loupe.features.VisualWords}), best first: the candidates for geometric verification.
   * Each shared word adds its weight times its inverse document frequency over the whole index;
   * words in more than half a percent of the images are skipped as uninformative. The candidates
   * carry their keypoints.
   *
   * @param lookup the query's distinct visual words and their weights
   * @param limit at most this many candidates
   */
  List<KeypointCandidate> sharingWords(WordLookup lookup, int limit, IndexFilter filter) throws IOException;

  /** The keypoints stored for the image with this id ({@link LocalFeatures#EMPTY} if it has none). */
  Optional<LocalFeatures> localFeatures(String id) throws IOException;

  /**
   * How many images keep their keypoints in an older stored format: their visual words are not the
   * ones queries look up, so keypoints find them only once {@link #upgradeKeypoints upgraded}.
   */
  long outdatedKeypoints() throws IOException;

  /**
   * Rewrites up to {@code limit} images whose keypoints are in an older format into the current one
   * (compact signatures, at most {@link LocalFeatures#STORED_KEYPOINTS} keypoints, their words),
   * from what the index stores: no original file is needed. Not committed; returns how many were
   * rewritten (0 when none is left).
   */
  int upgradeKeypoints(int limit) throws IOException;

  /**
   * Ids of stored images in ascending order, starting after {@code after} (null: from the first),
   * at most {@code limit}: pages through the whole index without holding it in memory (re-embedding
   * reads it this way).
   */
  List<String> imageIds(String after, int limit) throws IOException;

  /**
   * The occurrence sources of stored images that start with {@code prefix}, each once, in ascending
   * order: the uploads ({@code upload:sha256:…}) whose originals the data directory keeps.
   */
  List<String> sourcesStartingWith(String prefix) throws IOException;

  /** A page of the images the listing selects, with every occurrence of each. */
  ImagePage list(ImageListing listing) throws IOException;

  /** Makes every write so far durable. */
  void commit() throws IOException;

  /** Counts; cost grows with the number of images (a pass over doc values). */
  IndexStats stats() throws IOException;

  /**
   * The hosts images were seen on, most images first, at most {@code limit}. Images seen only in
   * local files have no host and are not counted. Cost grows with the number of occurrences.
   */
  List<DomainCount> domains(int limit) throws IOException;

  /** Largest Hamming radius {@link #withinDistance} serves exactly. */
  int MAX_HASH_RADIUS = 2 * Hash256.CHUNKS - 1;
}
