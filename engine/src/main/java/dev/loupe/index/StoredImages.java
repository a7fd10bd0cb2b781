package dev.loupe.index;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BytesRef;

/**
 * The stored form of an image, for backends other than the embedded one: the same binary
 * encodings of the signature, keypoints, metadata and occurrences that the Lucene documents keep
 * ({@link ImageDocuments}), and the hash-chunk terms of the pigeonhole lookup. A backend that stores
 * these bytes stores exactly what the embedded index stores, and reads back equal images.
 */
public final class StoredImages {
  /** The keypoint format written now; images stored in an earlier one are upgraded by {@link ImageIndex#upgradeKeypoints}. */
  public static final long KEYPOINT_VERSION = ImageDocuments.KEYPOINT_VERSION;

  private StoredImages() {}

  /** The signature as stored: without the query-side dihedral variants, keypoints apart. */
  public static ImageSignature storedSignature(ImageSignature signature) {
    return ImageDocuments.stripVariants(signature);
  }

  /** Hash, quality, descriptor and likeness; the keypoints are stored apart ({@link #keypoints}). */
  public static byte[] signature(ImageSignature signature) {
    return ImageDocuments.encodeSignature(signature);
  }

  /** The keypoints in the stored (compact) form, at most {@link LocalFeatures#STORED_KEYPOINTS}. */
  public static LocalFeatures keypoints(LocalFeatures local) {
    return local.compact(LocalFeatures.STORED_KEYPOINTS);
  }

  /** Format, width and height. */
  public static byte[] metadata(IndexedImage image) {
    return ImageDocuments.encodeMeta(image);
  }

  public static byte[] occurrences(List<Occurrence> occurrences) {
    return ImageDocuments.encodeOccurrences(occurrences);
  }

  public static List<Occurrence> occurrences(byte[] bytes) throws IOException {
    return ImageDocuments.decodeOccurrences(new BytesRef(bytes));
  }

  public static LocalFeatures keypoints(byte[] bytes) throws IOException {
    return ImageDocuments.decodeKeypoints(new BytesRef(bytes));
  }

  /**
   * The image rebuilt from its stored parts.
   *
   * @param keypoints the stored keypoints, or null when the image has none
   */
  public static IndexedImage image(String id, String pixelKey, byte[] signature, byte[] keypoints, byte[] metadata,
      byte[] occurrences) throws IOException {
    ImageSignature sig = ImageDocuments.decodeSignature(pixelKey, new BytesRef(signature));
    if (keypoints != null) {
      sig = sig.withLocal(keypoints(keypoints));
    }
    ByteArrayDataInput meta = new ByteArrayDataInput(metadata);
    String format = meta.readString();
    int width = meta.readVInt();
    int height = meta.readVInt();
    return new IndexedImage(id, sig, format, width, height, occurrences(occurrences));
  }

  /**
   * The hash-chunk terms to look up for hashes within {@code maxDistance} bits of one of
   * {@code hashes} ({@link ImageIndex#withinDistance}), each as its three bytes: chunk number, then
   * the 16-bit chunk value.
   */
  public static List<byte[]> chunkTerms(List<Hash256> hashes, int maxDistance) {
    List<byte[]> out = new ArrayList<>();
    for (BytesRef term : ImageDocuments.chunkTerms(hashes.toArray(Hash256[]::new), maxDistance / Hash256.CHUNKS)) {
      out.add(BytesRef.deepCopyOf(term).bytes);
    }
    return out;
  }

  /**
   * How many of its chunk terms an image within {@code maxDistance} bits of a query hash shares with
   * {@link #chunkTerms(List, int)}: fewer, and no query hash is within reach (8 at a radius of 16).
   */
  public static int minChunkHits(int maxDistance) {
    return HashChunkVotes.minChunkHits(maxDistance);
  }

  /** The most images a visual word may be in, of {@code totalImages}, and still count in a vote. */
  public static long maxWordFrequency(long totalImages) {
    return WordVotes.maxFrequency(totalImages);
  }

  /**
   * What one shared visual word adds to an image's vote ({@link ImageIndex#sharingWords}): its
   * lookup weight times its inverse document frequency, 0 for a word in no image or in too many.
   */
  public static float wordScore(float weight, long documentFrequency, long totalImages) {
    return WordVotes.score(weight, documentFrequency, totalImages, maxWordFrequency(totalImages));
  }

  /** The chunk terms of a stored hash (one per chunk), as {@link #chunkTerms} spells them. */
  public static List<byte[]> chunkTerms(Hash256 hash) {
    List<byte[]> out = new ArrayList<>();
    for (int c = 0; c < Hash256.CHUNKS; c++) {
      out.add(BytesRef.deepCopyOf(ImageDocuments.chunkTerm(c, hash.chunk(c))).bytes);
    }
    return out;
  }
}
