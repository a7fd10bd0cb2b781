package dev.loupe.index.solr;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.index.StoredImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * How an image is laid out as a Solr document of the {@code loupe-images} configset, and back. The
 * stored parts are the embedded index's own binary encodings ({@link StoredImages}); terms are
 * spelled in hex. Stateless.
 */
final class SolrDocuments {
  static final String F_ID = "id";
  static final String F_VERSION = "_version_";
  static final String F_PIXKEY = "pixkey";
  static final String F_CHUNK = "hc";
  static final String F_HASH = "hash";
  static final String F_QUALITY = "q";
  static final String F_SIG = "sig";
  static final String F_META = "meta";
  static final String F_OCC = "occ";
  static final String F_THUMB = "thumb";
  static final String F_WORD = "vw";
  static final String F_KEYPOINTS = "kp";
  static final String F_KEYPOINT_VERSION = "kpv";
  static final String F_DOMAIN = "domain";
  static final String F_SOURCE = "src";
  static final String F_URL = "url";
  static final String F_FIRST = "first";
  static final String F_PIXELS = "px";
  static final String F_NOCC = "nocc";
  static final String F_LIKENESS_DIMS = "lkd";
  /** The stored fields an image is rebuilt from (not the thumbnail). */
  static final String IMAGE_FIELDS = String.join(",", F_ID, F_PIXKEY, F_SIG, F_META, F_OCC, F_KEYPOINTS, F_VERSION);
  private static final HexFormat HEX = HexFormat.of();

  private SolrDocuments() {}

  /** The descriptor's vector field for {@code dims} dimensions (one dynamic field per size the configset knows). */
  static String descriptorField(int dims) {
    return "vec_v" + dims;
  }

  static String likenessField(int dims) {
    return "lk_v" + dims;
  }

  static String term(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static String wordTerm(int word) {
    return term(VisualWords.termBytes(word));
  }

  static SolrInputDocument toDocument(IndexedImage image, byte[] thumbnail) {
    ImageSignature sig = image.signature();
    SolrInputDocument doc = new SolrInputDocument();
    doc.setField(F_ID, image.id());
    doc.setField(F_PIXKEY, sig.pixelKey());
    for (byte[] chunk : StoredImages.chunkTerms(sig.hash())) {
      doc.addField(F_CHUNK, term(chunk));
    }
    doc.setField(F_HASH, sig.hash().toHex());
    doc.setField(F_QUALITY, sig.quality());
    doc.setField(F_SIG, StoredImages.signature(sig));
    if (sig.descriptor().length > 0) {
      doc.setField(descriptorField(sig.descriptor().length), vector(sig.descriptor()));
    }
    if (sig.likeness().length > 0) {
      doc.setField(likenessField(sig.likeness().length), vector(sig.likeness()));
      doc.setField(F_LIKENESS_DIMS, sig.likeness().length);
    }
    LocalFeatures local = sig.local();
    if (local.isComputed()) {
      LocalFeatures compact = StoredImages.keypoints(local);
      Set<String> words = new LinkedHashSet<>();
      for (int word : VisualWords.indexWords(compact)) {
        words.add(wordTerm(word));
      }
      words.forEach(w -> doc.addField(F_WORD, w));
      doc.setField(F_KEYPOINTS, compact.toBytes());
      doc.setField(F_KEYPOINT_VERSION, (int) StoredImages.KEYPOINT_VERSION);
    }
    doc.setField(F_META, StoredImages.metadata(image));
    doc.setField(F_OCC, StoredImages.occurrences(image.occurrences()));
    doc.setField(F_PIXELS, image.pixels());
    doc.setField(F_FIRST, image.firstSeen().toEpochMilli());
    doc.setField(F_NOCC, image.occurrences().size());
    Set<String> domains = new LinkedHashSet<>();
    Set<String> urls = new LinkedHashSet<>();
    Set<String> sources = new LinkedHashSet<>();
    for (Occurrence o : image.occurrences()) {
      if (o.domain() != null) {
        domains.add(o.domain());
      }
      if (o.url() != null) {
        urls.add(o.url());
      }
      sources.add(o.source());
    }
    domains.forEach(d -> doc.addField(F_DOMAIN, d));
    urls.forEach(u -> doc.addField(F_URL, u));
    sources.forEach(s -> doc.addField(F_SOURCE, s));
    doc.setField(F_THUMB, thumbnail);
    return doc;
  }

  static IndexedImage fromDocument(SolrDocument doc) throws IOException {
    return StoredImages.image((String) doc.getFirstValue(F_ID), (String) doc.getFirstValue(F_PIXKEY),
        bytes(doc, F_SIG), bytes(doc, F_KEYPOINTS), bytes(doc, F_META), bytes(doc, F_OCC));
  }

  static Hash256 hash(SolrDocument doc) {
    return Hash256.fromHex((String) doc.getFirstValue(F_HASH));
  }

  static long version(SolrDocument doc) {
    return ((Number) doc.getFirstValue(F_VERSION)).longValue();
  }

  /** A binary field's bytes, or null when the document lacks it. */
  static byte[] bytes(SolrDocument doc, String field) {
    Object value = doc.getFirstValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof java.nio.ByteBuffer buffer) {
      byte[] out = new byte[buffer.remaining()];
      buffer.duplicate().get(out);
      return out;
    }
    if (value instanceof String base64) {
      return java.util.Base64.getDecoder().decode(base64);
    }
    throw new IllegalStateException("field " + field + " holds a " + value.getClass().getName() + ", not bytes");
  }

  static List<Float> vector(float[] values) {
    List<Float> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  /** A vector as the knn query parser reads it: {@code [0.1,0.2,...]}. */
  static String vectorLiteral(float[] values) {
    StringBuilder s = new StringBuilder(values.length * 12).append('[');
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ",").append(values[i]);
    }
    return s.append(']').toString();
  }
}
