package dev.loupe.search;

import java.util.Objects;

/**
 * The neural side of a query: the query image's embedding, a text's embedding, or both (a hybrid
 * query), made by the model whose vectors the index holds. Vectors have unit length.
 *
 * @param image the query image's embedding, or null
 * @param text the query text's embedding, or null
 * @param textWeight weight of the text in a hybrid query, 0 to 1; default {@link #DEFAULT_TEXT_WEIGHT}
 * @param scoring how a hybrid query combines the two; default {@link HybridScoring#WEIGHTED_SUM}
 * @param floor similar images whose combined cosine is not above this are not returned; -1 to 1,
 *     default {@link #DEFAULT_FLOOR}; a model's own floor must be calibrated on labelled images
 */
public record EmbeddingQuery(float[] image, float[] text, double textWeight, HybridScoring scoring, double floor) {
  /** Weight of the text in a hybrid query unless told otherwise (chosen by `bench/run hybrid`, docs/embeddings.md). */
  public static final double DEFAULT_TEXT_WEIGHT = 0.7;
  /** Cosines at or below 0 point away from the query: never similar. */
  public static final double DEFAULT_FLOOR = 0;

  public EmbeddingQuery {
    if (image == null && text == null) {
      throw new IllegalArgumentException("an embedding query needs an image or a text vector");
    }
    if (image != null && text != null && image.length != text.length) {
      throw new IllegalArgumentException("image and text vectors differ in dimension: " + image.length + " and "
          + text.length);
    }
    if (!(textWeight >= 0 && textWeight <= 1)) {
      throw new IllegalArgumentException("text weight must be between 0 and 1, got: " + textWeight);
    }
    if (!(floor >= -1 && floor <= 1)) {
      throw new IllegalArgumentException("floor must be between -1 and 1, got: " + floor);
    }
    Objects.requireNonNull(scoring, "scoring");
    image = image == null ? null : image.clone();
    text = text == null ? null : text.clone();
  }

  /** A query with the defaults; either vector may be null, not both. */
  public static EmbeddingQuery of(float[] image, float[] text) {
    return new EmbeddingQuery(image, text, DEFAULT_TEXT_WEIGHT, HybridScoring.WEIGHTED_SUM, DEFAULT_FLOOR);
  }

  public EmbeddingQuery withScoring(HybridScoring s) {
    return new EmbeddingQuery(image, text, textWeight, s, floor);
  }

  public EmbeddingQuery withFloor(double f) {
    return new EmbeddingQuery(image, text, textWeight, scoring, f);
  }

  @Override
  public float[] image() {
    return image == null ? null : image.clone();
  }

  @Override
  public float[] text() {
    return text == null ? null : text.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbeddingQuery q && java.util.Arrays.equals(q.image, image)
        && java.util.Arrays.equals(q.text, text) && q.textWeight == textWeight && q.scoring == scoring
        && q.floor == floor;
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(image) * 31 + java.util.Arrays.hashCode(text);
  }

  @Override
  public String toString() {
    return "EmbeddingQuery[image=" + (image != null) + ", text=" + (text != null) + ", textWeight=" + textWeight
        + ", scoring=" + scoring + ", floor=" + floor + "]";
  }
}
