package dev.loupe.index;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

/**
 * How an {@link IndexedImage} is laid out as a Lucene document, and back: the field names, the
 * sixteen hash-chunk terms, doc values for verification and sorting, and the compact binary stored
 * fields (signature, metadata, occurrences) from which a document is rebuilt when an occurrence is
 * added. Stateless.
 */
final class ImageDocuments {
  static final String F_ID = "id";
  static final String F_PIXKEY = "pixkey";
  static final String F_CHUNK = "hc";
  static final String F_HASH = "hash";
  static final String F_QUALITY = "q";
  static final String F_SIG = "sig";
  static final String F_VEC = "vec";
  /** The likeness descriptor's HNSW graph; absent from documents written before it existed. */
  static final String F_LIKENESS = "likeness";
  static final String F_META = "meta";
  static final String F_PIXELS = "px";
  static final String F_FIRST = "first";
  static final String F_NOCC = "nocc";
  static final String F_OCC = "occ";
  static final String F_DOMAIN = "domain";
  static final String F_SOURCE = "src";
  static final String F_URL = "url";
  static final String F_THUMB = "thumb";
  /** Visual words of the keypoints (terms) and the keypoints themselves (stored). */
  static final String F_WORD = "vw";
  static final String F_KEYPOINTS = "kp";
  /** Present (as {@link #KEYPOINT_VERSION}) when the image's keypoints were computed. */
  static final String F_KEYPOINT_VERSION = "kpv";
  static final long KEYPOINT_VERSION = 2;
  /** The stored fields a search result needs (not the thumbnail). */
  static final Set<String> IMAGE_FIELDS = Set.of(F_ID, F_PIXKEY, F_SIG, F_META, F_OCC);
  /** What rewriting a document needs: the image and its keypoints (not the thumbnail). */
  static final Set<String> IMAGE_AND_KEYPOINT_FIELDS = Set.of(F_ID, F_PIXKEY, F_SIG, F_META, F_OCC, F_KEYPOINTS);

  private ImageDocuments() {}

  /** Every chunk term within {@code chunkRadius} bits (0 or 1) of some query hash's chunk. */
  static List<BytesRef> chunkTerms(Hash256[] hashes, int chunkRadius) {
    if (chunkRadius > 1) {
      throw new IllegalArgumentException("chunk radius must be 0 or 1, got: " + chunkRadius);
    }
    Set<BytesRef> terms = new LinkedHashSet<>();
    for (Hash256 hash : hashes) {
      for (int c = 0; c < Hash256.CHUNKS; c++) {
        int value = hash.chunk(c);
        terms.add(chunkTerm(c, value));
        if (chunkRadius == 1) {
          for (int bit = 0; bit < 16; bit++) {
            terms.add(chunkTerm(c, value ^ (1 << bit)));
          }
        }
      }
    }
    return new ArrayList<>(terms);
  }

  static BytesRef chunkTerm(int chunk, int value) {
    return new BytesRef(new byte[] {(byte) chunk, (byte) (value >>> 8), (byte) value});
  }

  static Document toDocument(IndexedImage image, byte[] thumbnail) {
    ImageSignature sig = image.signature();
    Document doc = new Document();
    doc.add(new StringField(F_ID, image.id(), Field.Store.YES));
    doc.add(new StringField(F_PIXKEY, sig.pixelKey(), Field.Store.YES));
    for (int c = 0; c < Hash256.CHUNKS; c++) {
      doc.add(new StringField(F_CHUNK, chunkTerm(c, sig.hash().chunk(c)), Field.Store.NO));
    }
    doc.add(new BinaryDocValuesField(F_HASH, new BytesRef(sig.hash().toBytes())));
    doc.add(new NumericDocValuesField(F_QUALITY, sig.quality()));
    doc.add(new StoredField(F_SIG, encodeSignature(sig)));
    float[] descriptor = sig.descriptor();
    if (descriptor.length > 0) {
      doc.add(new KnnFloatVectorField(F_VEC, descriptor, VectorSimilarityFunction.DOT_PRODUCT));
    }
    float[] likeness = sig.likeness();
    if (likeness.length > 0) {
      doc.add(new KnnFloatVectorField(F_LIKENESS, likeness, VectorSimilarityFunction.DOT_PRODUCT));
    }
    LocalFeatures local = sig.local();
    if (local.isComputed()) {
      LocalFeatures compact = local.compact(LocalFeatures.STORED_KEYPOINTS);
      for (int word : VisualWords.indexWords(compact)) {
        doc.add(new StringField(F_WORD, new BytesRef(VisualWords.termBytes(word)), Field.Store.NO));
      }
      doc.add(new StoredField(F_KEYPOINTS, compact.toBytes()));
      doc.add(new NumericDocValuesField(F_KEYPOINT_VERSION, KEYPOINT_VERSION));
    }
    doc.add(new StoredField(F_META, encodeMeta(image)));
    doc.add(new NumericDocValuesField(F_PIXELS, image.pixels()));
    doc.add(new NumericDocValuesField(F_FIRST, image.firstSeen().toEpochMilli()));
    doc.add(new NumericDocValuesField(F_NOCC, image.occurrences().size()));
    doc.add(new StoredField(F_OCC, encodeOccurrences(image.occurrences())));
    Set<String> domains = new HashSet<>();
    Set<String> urls = new HashSet<>();
    Set<String> sources = new HashSet<>();
    for (Occurrence o : image.occurrences()) {
      String domain = o.domain();
      if (domain != null) {
        domains.add(domain);
      }
      if (o.url() != null) {
        urls.add(o.url());
      }
      sources.add(o.source());
    }
    domains.forEach(d -> doc.add(new StringField(F_DOMAIN, d, Field.Store.NO)));
    urls.forEach(u -> doc.add(new StringField(F_URL, u, Field.Store.NO)));
    sources.forEach(s -> doc.add(new StringField(F_SOURCE, s, Field.Store.NO)));
    doc.add(new StoredField(F_THUMB, thumbnail));
    return doc;
  }

  static IndexedImage fromDocument(Document doc) throws IOException {
    String pixelKey = doc.get(F_PIXKEY);
    ImageSignature sig = decodeSignature(pixelKey, doc.getBinaryValue(F_SIG));
    BytesRef keypoints = doc.getBinaryValue(F_KEYPOINTS);
    if (keypoints != null) {
      sig = sig.withLocal(decodeKeypoints(keypoints));
    }
    ByteArrayDataInput meta = input(doc.getBinaryValue(F_META));
    String format = meta.readString();
    int width = meta.readVInt();
    int height = meta.readVInt();
    return new IndexedImage(doc.get(F_ID), sig, format, width, height, decodeOccurrences(doc.getBinaryValue(F_OCC)));
  }

  static ImageSignature stripVariants(ImageSignature sig) {
    // Stored images need only their own hash; the dihedral variants are a query-side device.
    return new ImageSignature(sig.pixelKey(), sig.hash(), sig.quality(), List.of(), sig.descriptor(), sig.local(),
        sig.likeness());
  }

  static LocalFeatures decodeKeypoints(BytesRef bytes) throws IOException {
    try {
      return LocalFeatures.fromBytes(bytes.bytes, bytes.offset, bytes.length);
    } catch (IllegalArgumentException e) {
      throw new org.apache.lucene.index.CorruptIndexException(e.getMessage(), F_KEYPOINTS, e);
    }
  }

  static byte[] encodeSignature(ImageSignature sig) {
    ByteBuffersDataOutput out = new ByteBuffersDataOutput();
    try {
      out.writeBytes(sig.hash().toBytes(), 32);
      out.writeVInt(sig.quality());
      float[] d = sig.descriptor();
      out.writeVInt(d.length);
      for (float v : d) {
        out.writeInt(Float.floatToIntBits(v));
      }
      // Appended after the descriptor: signatures stored before the likeness tier end here.
      float[] likeness = sig.likeness();
      if (likeness.length > 0) {
        out.writeVInt(likeness.length);
        for (float v : likeness) {
          out.writeInt(Float.floatToIntBits(v));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toArrayCopy();
  }

  static ImageSignature decodeSignature(String pixelKey, BytesRef bytes) throws IOException {
    ByteArrayDataInput in = input(bytes);
    byte[] hash = new byte[32];
    in.readBytes(hash, 0, 32);
    int quality = in.readVInt();
    float[] d = new float[in.readVInt()];
    for (int i = 0; i < d.length; i++) {
      d[i] = Float.intBitsToFloat(in.readInt());
    }
    float[] likeness = new float[in.eof() ? 0 : in.readVInt()];
    for (int i = 0; i < likeness.length; i++) {
      likeness[i] = Float.intBitsToFloat(in.readInt());
    }
    return new ImageSignature(pixelKey, Hash256.fromBytes(hash, 0), quality, List.of(), d, LocalFeatures.EMPTY,
        likeness);
  }

  static byte[] encodeMeta(IndexedImage image) {
    ByteBuffersDataOutput out = new ByteBuffersDataOutput();
    try {
      out.writeString(image.format());
      out.writeVInt(image.width());
      out.writeVInt(image.height());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toArrayCopy();
  }

  static byte[] encodeOccurrences(List<Occurrence> occurrences) {
    ByteBuffersDataOutput out = new ByteBuffersDataOutput();
    try {
      out.writeVInt(occurrences.size());
      for (Occurrence o : occurrences) {
        out.writeString(o.source());
        writeOptional(out, o.url());
        writeOptional(out, o.pageUrl());
        out.writeString(o.title());
        writeInstant(out, o.firstSeen());
        writeInstant(out, o.lastSeen());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toArrayCopy();
  }

  static List<Occurrence> decodeOccurrences(BytesRef bytes) throws IOException {
    ByteArrayDataInput in = input(bytes);
    int n = in.readVInt();
    List<Occurrence> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String source = in.readString();
      String url = readOptional(in);
      String pageUrl = readOptional(in);
      String title = in.readString();
      Instant first = readInstant(in);
      Instant last = readInstant(in);
      out.add(new Occurrence(source, url, pageUrl, title, first, last));
    }
    return out;
  }

  static void writeOptional(ByteBuffersDataOutput out, String value) throws IOException {
    out.writeByte((byte) (value == null ? 0 : 1));
    if (value != null) {
      out.writeString(value);
    }
  }

  static String readOptional(ByteArrayDataInput in) throws IOException {
    return in.readByte() == 0 ? null : in.readString();
  }

  static void writeInstant(ByteBuffersDataOutput out, Instant instant) throws IOException {
    out.writeZLong(instant.getEpochSecond());
    out.writeVInt(instant.getNano());
  }

  static Instant readInstant(ByteArrayDataInput in) throws IOException {
    long seconds = in.readZLong();
    return Instant.ofEpochSecond(seconds, in.readVInt());
  }

  static ByteArrayDataInput input(BytesRef bytes) {
    return new ByteArrayDataInput(bytes.bytes, bytes.offset, bytes.length);
  }
}
