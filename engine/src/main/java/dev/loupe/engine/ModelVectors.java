package dev.loupe.engine;

import dev.loupe.embed.EmbeddingModel;
import dev.loupe.image.DecodedImage;
import dev.loupe.index.EmbeddingIndex;
import dev.loupe.ingest.VectorSink;
import java.io.IOException;

/** The ingest's vectors: embedded by the model on the ingest workers, stored in the vector index. */
record ModelVectors(EmbeddingModel model, EmbeddingIndex embeddings) implements VectorSink {
  @Override
  public float[] embed(DecodedImage image) {
    return model.embedImage(image);
  }

  @Override
  public void put(String id, float[] vector) throws IOException {
    embeddings.put(id, vector);
  }

  @Override
  public void commit() throws IOException {
    embeddings.commit();
  }
}
