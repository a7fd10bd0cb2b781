package dev.loupe.ingest;

import dev.loupe.image.DecodedImage;
import java.io.IOException;

/**
 * Where an ingest sends each image's neural embedding (the engine binds a model and its vector
 * index). {@link #embed} runs on the ingest's worker threads, so a bounded, named pool embeds in
 * parallel; {@link #put} and {@link #commit} run on the writing thread, {@link #commit} just before
 * the image index commits, so that a committed image has its vector unless the process died between
 * the two commits ({@code loupe reembed} repairs that).
 */
public interface VectorSink {
  /** The embedding of one decoded image; thread-safe. */
  float[] embed(DecodedImage image);

  /** Stores the vector of the image with this id. */
  void put(String id, float[] vector) throws IOException;

  /** Makes the stored vectors durable. */
  void commit() throws IOException;
}
