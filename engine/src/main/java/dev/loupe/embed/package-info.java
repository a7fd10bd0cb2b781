/**
 * Neural image and text embeddings from a model directory in the open_clip export layout
 * ({@code config.json}, {@code visual/}, optional {@code textual/}), run with ONNX Runtime:
 * {@link dev.loupe.embed.EmbeddingModel} checks the directory, preprocesses pixels exactly as the
 * model's {@code preprocess_cfg.json} says, tokenises with the model's own {@code tokenizer.json}
 * and returns unit vectors. The only package that imports ONNX Runtime or the tokenizer library.
 */
package dev.loupe.embed;
