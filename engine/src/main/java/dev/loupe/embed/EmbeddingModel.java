package dev.loupe.embed;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.image.DecodedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An image (and optionally text) embedding model from a directory in the open_clip export layout
 * that immich uses:
 *
 * <pre>
 * config.json                  embed_dim, text_cfg.context_length
 * visual/model.onnx            input "image" float32 [1, 3, S, S], output "embedding" [1, embed_dim]
 * visual/preprocess_cfg.json   size, mean, std, interpolation (bicubic), resize_mode (shortest | squash)
 * textual/model.onnx           optional: input "text" int32 [1, context_length], output "embedding"
 * textual/tokenizer.json       the tokenizer (HuggingFace format)
 * textual/tokenizer_config.json  pad_token
 * </pre>
 *
 * <p>{@link #open} checks all of it and fails with a {@link ModelDirectoryException} naming the file
 * and what is wrong. Sessions are created once; every tensor and result is closed after each call.
 * Vectors are returned with unit length, so cosine similarity is their dot product.
 *
 * <p>Thread-safe: ONNX Runtime sessions may be run concurrently. {@link #embedImages} runs on the
 * model's own pool of {@code workers} threads named {@code loupe-embed-N}; close the model to stop it.
 */
public final class EmbeddingModel implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Path dir;
  private final ModelIdentity identity;
  private final Preprocessing preprocessing;
  private final OrtEnvironment env;
  private final OrtSession visual;
  private final OrtSession textual;
  private final TextTokenizer tokenizer;
  private final int contextLength;
  private final ExecutorService pool;

  private EmbeddingModel(Path dir, ModelIdentity identity, Preprocessing preprocessing, OrtEnvironment env,
      OrtSession visual, OrtSession textual, TextTokenizer tokenizer, int contextLength, int workers) {
    this.dir = dir;
    this.identity = identity;
    this.preprocessing = preprocessing;
    this.env = env;
    this.visual = visual;
    this.textual = textual;
    this.tokenizer = tokenizer;
    this.contextLength = contextLength;
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "loupe-embed-" + pool + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens a model with 2 batch workers, each session using up to 2 threads. */
  public static EmbeddingModel open(Path dir) throws ModelDirectoryException {
    return open(dir, 2, 2);
  }

  /**
   * Opens and checks a model directory.
   *
   * @param workers threads of the pool {@link #embedImages} runs on, at least 1
   * @param threadsPerRun ONNX Runtime's intra-op threads for one image or text, at least 1
   */
  public static EmbeddingModel open(Path dir, int workers, int threadsPerRun) throws ModelDirectoryException {
    if (workers < 1 || threadsPerRun < 1) {
      throw new IllegalArgumentException("workers and threadsPerRun must be at least 1, got: " + workers + ", " + threadsPerRun);
    }
    // ONNX Runtime's first environment creation overflows a thread stack of the JVM's default 1 MB
    // (SIGSEGV, seen with 1.29.0 from a plain `java` launch); it runs on a thread with a large stack.
    Object[] outcome = new Object[1];
    Thread opener = new Thread(null, () -> {
      try {
        outcome[0] = openChecked(dir, workers, threadsPerRun);
      } catch (ModelDirectoryException | RuntimeException | Error e) {
        outcome[0] = e;
      }
    }, "loupe-embed-open", OPEN_STACK_BYTES);
    opener.start();
    try {
      opener.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the model in " + dir, e);
    }
    return switch (outcome[0]) {
      case EmbeddingModel model -> model;
      case ModelDirectoryException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException("opening the model in " + dir + " gave " + outcome[0]);
    };
  }

  /** Stack of the thread that opens models (see {@link #open(Path, int, int)}). */
  private static final long OPEN_STACK_BYTES = 64L << 20;

  private static EmbeddingModel openChecked(Path dir, int workers, int threadsPerRun) throws ModelDirectoryException {
    String where = "model directory " + dir + ": ";
    if (!Files.isDirectory(dir)) {
      throw new ModelDirectoryException(where + "not a directory");
    }
    JsonNode config = readJson(dir, "config.json", where);
    int dimension = positiveInt(config.path("embed_dim"), "config.json", "embed_dim", where);
    Preprocessing preprocessing = preprocessing(readJson(dir, "visual/preprocess_cfg.json", where), where);
    boolean hasText = Files.exists(dir.resolve("textual"));
    List<String> files = new ArrayList<>(List.of("config.json", "visual/model.onnx", "visual/preprocess_cfg.json"));
    if (hasText) {
      files.addAll(List.of("textual/model.onnx", "textual/tokenizer.json", "textual/tokenizer_config.json"));
    }
    Map<String, String> checksums = new LinkedHashMap<>();
    for (String file : files) {
      checksums.put(file, sha256(dir, file, where));
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession visual = null;
    OrtSession textual = null;
    TextTokenizer tokenizer = null;
    try {
      visual = session(env, dir, "visual/model.onnx", threadsPerRun, where);
      long size = preprocessing.size();
      check(visual, "visual/model.onnx", "image", OnnxJavaType.FLOAT, new long[] {1, 3, size, size}, dimension, where);
      int contextLength = 0;
      if (hasText) {
        contextLength = positiveInt(config.path("text_cfg").path("context_length"), "config.json",
            "text_cfg.context_length", where);
        JsonNode tokenizerConfig = readJson(dir, "textual/tokenizer_config.json", where);
        JsonNode pad = tokenizerConfig.path("pad_token");
        String padToken = pad.isObject() ? pad.path("content").asText("") : pad.asText("");
        if (padToken.isEmpty()) {
          throw new ModelDirectoryException(where + "textual/tokenizer_config.json has no pad_token");
        }
        textual = session(env, dir, "textual/model.onnx", threadsPerRun, where);
        check(textual, "textual/model.onnx", "text", OnnxJavaType.INT32, new long[] {1, contextLength}, dimension, where);
        tokenizer = TextTokenizer.open(dir.resolve("textual/tokenizer.json"), contextLength, padToken, where);
      }
      ModelIdentity identity = new ModelIdentity(dir.toAbsolutePath().normalize().getFileName().toString(),
          dimension, checksums);
      return new EmbeddingModel(dir, identity, preprocessing, env, visual, textual, tokenizer, contextLength, workers);
    } catch (ModelDirectoryException | RuntimeException e) {
      closeQuietly(visual, textual, tokenizer);
      throw e;
    }
  }

  /** Which model this is: recorded by the index beside the vectors. */
  public ModelIdentity identity() {
    return identity;
  }

  public int dimension() {
    return identity.dimension();
  }

  public Path directory() {
    return dir;
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** True if the model has a text tower, so that {@link #embedText} works. */
  public boolean understandsText() {
    return textual != null;
  }

  /** The unit embedding of a picture. */
  public float[] embedImage(DecodedImage image) {
    float[] input = preprocessing.tensor(image.bgr(), image.pixelWidth(), image.pixelHeight());
    long size = preprocessing.size();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, size, size})) {
      return run(visual, "image", tensor);
    } catch (OrtException e) {
      throw new IllegalStateException("visual/model.onnx of " + identity.name() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The unit embeddings of several pictures, computed on the model's pool; in the order given.
   *
   * @throws IllegalStateException if the model fails on one of them
   */
  public List<float[]> embedImages(List<DecodedImage> images) throws InterruptedException {
    List<Future<float[]>> futures = new ArrayList<>(images.size());
    for (DecodedImage image : images) {
      futures.add(pool.submit(() -> embedImage(image)));
    }
    List<float[]> out = new ArrayList<>(images.size());
    try {
      for (Future<float[]> f : futures) {
        out.add(f.get());
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(false));
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
    return out;
  }

  /**
   * The unit embedding of a text, in the same space as the pictures'.
   *
   * @throws UnsupportedOperationException if the model has no text tower ({@link #understandsText()})
   */
  public float[] embedText(String text) {
    if (textual == null) {
      throw new UnsupportedOperationException("the model " + identity.name() + " has no text tower (textual/model.onnx)");
    }
    int[] tokens = tokenizer.tokens(text);
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, IntBuffer.wrap(tokens), new long[] {1, contextLength})) {
      return run(textual, "text", tensor);
    } catch (OrtException e) {
      throw new IllegalStateException("textual/model.onnx of " + identity.name() + " failed: " + e.getMessage(), e);
    }
  }

  private float[] run(OrtSession session, String input, OnnxTensor tensor) throws OrtException {
    try (OrtSession.Result result = session.run(Map.of(input, tensor))) {
      Optional<OnnxValue> value = result.get("embedding");
      float[] v = new float[identity.dimension()];
      FloatBuffer buffer = ((OnnxTensor) value.orElseThrow()).getFloatBuffer();
      if (buffer.remaining() != v.length) {
        throw new IllegalStateException("the model " + identity.name() + " returned " + buffer.remaining()
            + " values, expected embed_dim " + v.length);
      }
      buffer.get(v);
      return unit(v);
    }
  }

  static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum == 0 || !Double.isFinite(sum)) {
      throw new IllegalStateException("the model returned a vector of length " + Math.sqrt(sum) + ", which has no direction");
    }
    float inv = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    closeQuietly(visual, textual, tokenizer);
  }

  private static void closeQuietly(OrtSession visual, OrtSession textual, TextTokenizer tokenizer) {
    for (OrtSession s : new OrtSession[] {visual, textual}) {
      if (s != null) {
        try {
          s.close();
        } catch (OrtException ignored) {
          // closing releases native memory; nothing to report to a caller that is already failing or done
        }
      }
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  // ---- checks ----

  private enum OnnxJavaType { FLOAT, INT32 }

  private static OrtSession session(OrtEnvironment env, Path dir, String file, int threads, String where)
      throws ModelDirectoryException {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new ModelDirectoryException(where + "missing " + file);
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      return env.createSession(path.toString(), options);
    } catch (OrtException e) {
      throw new ModelDirectoryException(where + file + " is not a readable ONNX model: "
          + TextTokenizer.firstLine(e.getMessage()), e);
    }
  }

  private static void check(OrtSession session, String file, String input, OnnxJavaType type, long[] shape,
      int dimension, String where) throws ModelDirectoryException {
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (inputs.size() != 1 || !inputs.containsKey(input)) {
        throw new ModelDirectoryException(where + file + " must have one input named \"" + input + "\", it has: "
            + inputs.keySet());
      }
      TensorInfo info = (TensorInfo) inputs.get(input).getInfo();
      String wantType = type == OnnxJavaType.FLOAT ? "FLOAT" : "INT32";
      if (!info.type.name().equals(wantType) || !shapeFits(info.getShape(), shape)) {
        throw new ModelDirectoryException(where + file + " input \"" + input + "\" must be " + wantType.toLowerCase()
            + " " + Arrays.toString(shape) + ", it is " + info.type.name().toLowerCase() + " "
            + Arrays.toString(info.getShape()));
      }
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      if (!outputs.containsKey("embedding")) {
        throw new ModelDirectoryException(where + file + " must have an output named \"embedding\", it has: "
            + outputs.keySet());
      }
      long[] out = ((TensorInfo) outputs.get("embedding").getInfo()).getShape();
      long last = out.length == 0 ? 0 : out[out.length - 1];
      if (last != -1 && last != dimension) {
        throw new ModelDirectoryException(where + file + " returns embeddings of " + last
            + " values but config.json says embed_dim " + dimension);
      }
    } catch (OrtException e) {
      throw new ModelDirectoryException(where + file + ": " + e.getMessage(), e);
    }
  }

  /** The graph's shape may leave a dimension free (-1); a fixed one must match. */
  private static boolean shapeFits(long[] actual, long[] wanted) {
    if (actual.length != wanted.length) {
      return false;
    }
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] >= 0 && actual[i] != wanted[i]) {
        return false;
      }
    }
    return true;
  }

  private static Preprocessing preprocessing(JsonNode cfg, String where) throws ModelDirectoryException {
    String file = "visual/preprocess_cfg.json";
    JsonNode sizeNode = cfg.path("size");
    int size;
    if (sizeNode.isArray() && sizeNode.size() == 2 && sizeNode.get(0).asInt() == sizeNode.get(1).asInt()) {
      size = sizeNode.get(0).asInt();
    } else if (sizeNode.isInt()) {
      size = sizeNode.asInt();
    } else {
      throw new ModelDirectoryException(where + file + " size must be a number or [S, S], got: " + sizeNode);
    }
    String interpolation = cfg.path("interpolation").asText("bicubic");
    if (!interpolation.equals("bicubic")) {
      throw new ModelDirectoryException(where + file + " interpolation must be \"bicubic\", got: \"" + interpolation + "\"");
    }
    String mode = cfg.path("resize_mode").asText("shortest");
    Preprocessing.ResizeMode resizeMode = switch (mode) {
      case "shortest" -> Preprocessing.ResizeMode.SHORTEST;
      case "squash" -> Preprocessing.ResizeMode.SQUASH;
      default -> throw new ModelDirectoryException(where + file
          + " resize_mode must be \"shortest\" or \"squash\", got: \"" + mode + "\"");
    };
    try {
      return new Preprocessing(size, floats(cfg.path("mean")), floats(cfg.path("std")), resizeMode);
    } catch (IllegalArgumentException e) {
      throw new ModelDirectoryException(where + file + ": " + e.getMessage());
    }
  }

  private static float[] floats(JsonNode node) {
    float[] out = new float[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) node.get(i).asDouble();
    }
    return out;
  }

  private static int positiveInt(JsonNode node, String file, String field, String where) throws ModelDirectoryException {
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
      throw new ModelDirectoryException(where + file + " needs a positive integer " + field + ", got: "
          + (node.isMissingNode() ? "nothing" : node.toString()));
    }
    return node.asInt();
  }

  private static JsonNode readJson(Path dir, String file, String where) throws ModelDirectoryException {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new ModelDirectoryException(where + "missing " + file);
    }
    try {
      JsonNode node = JSON.readTree(path.toFile());
      if (node == null || !node.isObject()) {
        throw new ModelDirectoryException(where + file + " must hold a JSON object");
      }
      return node;
    } catch (IOException e) {
      if (e instanceof ModelDirectoryException m) {
        throw m;
      }
      throw new ModelDirectoryException(where + file + " is not valid JSON: " + TextTokenizer.firstLine(e.getMessage()), e);
    }
  }

  private static String sha256(Path dir, String file, String where) throws ModelDirectoryException {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new ModelDirectoryException(where + "missing " + file);
    }
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new ModelDirectoryException(where + "cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
