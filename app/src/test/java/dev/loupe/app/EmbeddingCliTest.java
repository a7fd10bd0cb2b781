package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.embed.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --model}, {@code LOUPE_MODEL}, {@code search --text} and {@code reembed}: the text "red"
 * finds the red pictures through a real ONNX Runtime session in a separate {@code loupe} process.
 */
class EmbeddingCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Path photos;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void pictures() throws Exception {
    photos = TinyModels.colourPictures(dir.resolve("photos"), 3);
  }

  /** Runs {@code loupe} as its own process, with {@code env} added to the environment. */
  private static Result process(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("LOUPE_MODEL");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("loupe-out", ".txt");
    Path err = Files.createTempFile("loupe-err", ".txt");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("loupe " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Result inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static List<String> titles(Result search) throws Exception {
    List<String> titles = new ArrayList<>();
    for (JsonNode hit : JSON.readTree(search.out()).get("results")) {
      titles.add(hit.get("title").asText());
    }
    return titles;
  }

  @Test
  void textRedFindsTheRedPicturesInASeparateProcess() throws Exception {
    String data = "--data=" + dir.resolve("data");
    Result indexed = process(Map.of("LOUPE_MODEL", TinyModels.colour().toString()), "index", data, photos.toString(),
        "--quiet");
    assertEquals(0, indexed.code(), indexed.err());
    // no --model: the data directory remembers it
    Result search = process(Map.of(), "search", data, "--text", "red", "--json");
    assertEquals(0, search.code(), search.err());
    List<String> titles = titles(search);
    assertEquals(3, titles.size(), titles.toString());
    assertTrue(titles.stream().allMatch(t -> t.startsWith("red-")), titles.toString());
  }

  @Test
  void textWithoutAModelNamesTheSetting() throws Exception {
    String data = "--data=" + dir.resolve("plain");
    assertEquals(0, inProcess("index", data, photos.toString(), "--quiet").code());
    Result search = inProcess("search", data, "--text", "red");
    assertEquals(1, search.code());
    assertEquals("loupe search: text queries need an embedding model with a text tower, and none is set: set --model "
        + "DIR (or LOUPE_MODEL=DIR) to a model directory that has textual/model.onnx\n", search.err());
  }

  @Test
  void reembedKilledWithSigkillResumes() throws Exception {
    Path many = TinyModels.colourPictures(dir.resolve("many"), 40); // 120 images: four batches
    String data = "--data=" + dir.resolve("data");
    assertEquals(0, inProcess("index", data, many.toString(), "--quiet").code());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "reembed", data, "--model",
        TinyModels.colour().toString(), "--commit-every", "32"));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null && !line.startsWith("reembed: ")) {
        // skip the JVM's and Lucene's warnings
      }
      p.destroyForcibly(); // SIGKILL, right after the first batch was committed
    }
    p.waitFor(30, TimeUnit.SECONDS);
    Result resumed = inProcess("reembed", data, "--quiet");
    System.out.println("after SIGKILL: " + resumed.out().strip());
    assertEquals(0, resumed.code(), resumed.err());
    var counts = java.util.regex.Pattern.compile("(\\d+) images embedded, (\\d+) had a vector already, 0 unreadable, of 120\n")
        .matcher(resumed.out());
    assertTrue(counts.matches(), resumed.out());
    int embedded = Integer.parseInt(counts.group(1));
    int already = Integer.parseInt(counts.group(2));
    assertEquals(120, embedded + already);
    assertTrue(already >= 32, "the killed run had committed its first batch: " + resumed.out());
    Result search = inProcess("search", data, "--text", "blue", "--json", "--top-k", "100");
    List<String> titles = titles(search);
    assertEquals(40, titles.size());
    assertTrue(titles.stream().allMatch(t -> t.startsWith("blue-")), titles.toString());
  }

  @Test
  void reembedAddsVectorsToAnIndexMadeWithoutAModel() throws Exception {
    String data = "--data=" + dir.resolve("data");
    assertEquals(0, inProcess("index", data, photos.toString(), "--quiet").code());
    Result reembed = inProcess("reembed", data, "--model", TinyModels.colour().toString(), "--quiet");
    assertEquals(0, reembed.code(), reembed.err());
    assertEquals("9 images embedded, 0 had a vector already, 0 unreadable, of 9\n", reembed.out());
    Result again = inProcess("reembed", data, "--quiet");
    assertEquals("0 images embedded, 9 had a vector already, 0 unreadable, of 9\n", again.out());
    Result search = inProcess("search", data, "--text", "green", "--json");
    assertEquals(0, search.code(), search.err());
    assertEquals(List.of("green-0", "green-1", "green-2"), titles(search).stream().sorted().toList());
  }
}
