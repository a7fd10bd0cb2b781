package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.reasoning;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.fetch.FetchPolicy;
import dev.loupe.fetch.FetchPolicy.UrlMirror;
import dev.loupe.image.TestImages;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.runs.upstream.ScriptedUpstream;
import dev.loupe.server.chat.ChatCompletionsRoutes;
import dev.loupe.server.dashscope.DashScopeRoutes;
import dev.loupe.video.TestClips;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curl examples of the Qwen-VL guide (seed 003, Japanese): Chat Completions and DashScope
 * native requests with images by URL, several images, videos as frame lists and as files,
 * thinking and streaming, run unchanged against a live server.
 *
 * <p>The commands are read from the seed file at test time. Only the host part of the URL is
 * replaced; the key goes in through {@code $DASHSCOPE_API_KEY}, which the commands read. Every
 * model is routed to a scripted upstream, so the requests reach a real image-understanding path.
 * The pictures and videos the commands name live on public hosts; the engine's URL mirror sends
 * them to a loopback server answering any image path with a generated picture and any video path
 * with a generated clip.
 *
 * <p>The seed has 20 lines starting with {@code curl}: 18 commands and two bare {@code curl}
 * lines, which are the labels of the guide's language tabs (each is followed by prose or comments
 * and then a real command, which is counted), so they are not commands. Six of the commands
 * carry placeholders where the guide truncates or leaves out the data ({@code ""}, {@code "..."},
 * a cut base64 string): they cannot describe a picture or video, and the server must refuse them
 * with a 400 in the path's error envelope before anything reaches the upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QwenSeedCurlTest {
  private static final String SEED = "003_ff3daab7bf3ad211.txt";
  private static final List<String> SEED_HOSTS =
      List.of("https://dashscope-intl.aliyuncs.com", "https://dashscope.aliyuncs.com");
  private static final String CHAT = "/compatible-mode/v1/chat/completions";
  private static final String NATIVE = "/api/v1/services/aigc/multimodal-generation/generation";
  private static final String API_KEY = "sk-seed-test";
  private static final String STATUS_MARK = "\n--http-status:";
  private static final long TIMEOUT_SECONDS = 90;
  /** A command: from its {@code curl} line to the quote closing its {@code -d}/{@code --data} body. */
  private static final Pattern COMMAND = Pattern.compile("(?ms)^curl [^\\n]*\\n.*?(?:-d|--data) '[^']*'");
  private static final Pattern MEDIA_URL = Pattern.compile("\"(https?://[^\"/]+/)([^\"]*)\"");

  private Path workDir;
  private String seed;
  private final List<Command> commands = new ArrayList<>();
  private HttpServer mediaHost;
  private Loupe loupe;
  private ScriptedUpstream upstream;
  private ModelRoutes models;
  private LoupeServer server;

  /** One seed command, where it starts in the seed, and its text with our host. */
  private record Command(int line, String seedText, String text) {
    boolean isNative() {
      return text.contains(NATIVE);
    }

    boolean streams() {
      return text.replace(" ", "").contains("\"stream\":true") || text.contains("X-DashScope-SSE: enable");
    }

    boolean thinks() {
      return text.replace(" ", "").contains("\"enable_thinking\":true");
    }

    boolean hasVideo() {
      return text.contains("\"video\"") || text.contains("\"video_url\"");
    }

    boolean hasImage() {
      return text.contains("\"image\"") || text.contains("\"image_url\"");
    }

    /** The guide leaves the data out here ({@code ""}, {@code "..."} or a cut base64 string). */
    boolean hasPlaceholder() {
      return text.contains("\"\"") || text.contains("...\"");
    }
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    workDir = dir;
    Path seedFile = ExternalTools.seedFile(ExternalTools.repoRoot(), SEED);
    Prerequisites.require(Files.isRegularFile(seedFile), "the seed examples are missing: expected " + seedFile
        + " (the shared/seeds folder beside the repository)");
    seed = Files.readString(seedFile);

    byte[] mp4 = Files.readAllBytes(TestClips.write(dir, TestClips.Kind.MP4_H264, 3 * 10, 10, 320, 240));
    byte[] avi = Files.readAllBytes(TestClips.write(dir, TestClips.Kind.AVI_MJPEG, 3 * 10, 10, 320, 240));
    mediaHost = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    mediaHost.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        int seedOfPath = Math.floorMod(path.hashCode(), 1000);
        byte[] body;
        String type;
        switch (ext) {
          case "jpg", "jpeg" -> {
            body = TestImages.encode(TestImages.scene(788, 450, seedOfPath), "jpeg");
            type = "image/jpeg";
          }
          case "png" -> {
            body = TestImages.encode(TestImages.scene(788, 450, seedOfPath), "png");
            type = "image/png";
          }
          case "webp" -> {
            body = TestImages.webp(TestImages.scene(788, 450, seedOfPath));
            type = "image/webp";
          }
          case "mp4" -> {
            body = mp4;
            type = "video/mp4";
          }
          case "mov" -> {
            body = mp4; // an MP4 is a QuickTime file as far as the demuxer is concerned
            type = "video/quicktime";
          }
          case "avi" -> {
            body = avi;
            type = "video/x-msvideo";
          }
          default -> {
            body = "not found".getBytes(StandardCharsets.UTF_8);
            type = "text/plain";
          }
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(type.equals("text/plain") ? 404 : 200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    mediaHost.start();
    String mirrorBase = "http://127.0.0.1:" + mediaHost.getAddress().getPort() + "/";

    upstream = new ScriptedUpstream();
    models = RoutesConfig.of("""
        {"routes": [
          {"model": "*", "backend": "openai-compatible", "base_url": "%s", "max_retries": 0}
        ]}""".formatted(upstream.baseUrl()), "models.json", Map.of());
    AtomicReference<String> base = new AtomicReference<>();

    // The commands, with their media hosts mirrored to the loopback server.
    Matcher found = COMMAND.matcher(seed);
    Set<String> prefixes = new LinkedHashSet<>();
    List<String[]> raw = new ArrayList<>();
    while (found.find()) {
      int line = 1 + (int) seed.substring(0, found.start()).chars().filter(c -> c == '\n').count();
      raw.add(new String[] {Integer.toString(line), found.group()});
      Matcher urls = MEDIA_URL.matcher(found.group());
      while (urls.find()) {
        prefixes.add(urls.group(1));
      }
    }
    List<UrlMirror> mirrors = new ArrayList<>();
    for (String prefix : prefixes) {
      String host = prefix.substring(prefix.indexOf("//") + 2);
      mirrors.add(new UrlMirror(prefix, mirrorBase + host));
    }
    FetchPolicy fetch = FetchPolicy.defaults().withMirrors(mirrors).withAllowedAddresses(List.of("127.0.0.1"));
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")).withFetchPolicy(fetch));
    long max = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(API_KEY)), loupe,
        List.of(ChatCompletionsRoutes.forEngine(loupe, models, base::get, max),
            DashScopeRoutes.forEngine(loupe, models, base::get, max)), models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());

    for (String[] command : raw) {
      String text = command[1];
      for (String host : SEED_HOSTS) {
        text = text.replace(host + "/", base.get() + "/");
      }
      commands.add(new Command(Integer.parseInt(command[0]), command[1], text));
    }
    System.out.println("Seed " + SEED + ": " + commands.size() + " curl commands; media hosts mirrored: " + prefixes);
    for (Command command : commands) {
      System.out.println("--- line " + command.line() + "\n" + command.seedText());
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (models != null) {
      models.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (loupe != null) {
      loupe.close();
    }
    if (mediaHost != null) {
      mediaHost.stop(0);
    }
  }

  @TestFactory
  Stream<DynamicTest> seedCurlCommands() {
    // 20 lines start with curl; two are bare tab labels (see the class comment).
    assertEquals(20, Pattern.compile("(?m)^curl\\b").matcher(seed).results().count());
    assertEquals(2, Pattern.compile("(?m)^curl$").matcher(seed).results().count());
    assertEquals(18, commands.size(), "commands found in the seed");
    return commands.stream().map(command -> DynamicTest.dynamicTest(
        "line " + command.line() + (command.isNative() ? " native" : " chat")
            + (command.streams() ? " streaming" : "") + (command.hasPlaceholder() ? " placeholder" : ""),
        () -> check(command)));
  }

  private void check(Command command) throws Exception {
    for (String host : SEED_HOSTS) {
      assertFalse(command.text().contains(host), command.text());
    }
    assertFalse(command.text().contains(" -w "), "the seed's command already writes out: " + command.text());
    int before = upstream.requests().size();
    if (!command.hasPlaceholder()) {
      if (command.thinks()) {
        upstream.then(sse(role(), reasoning("Look at the picture."), text("A short answer."), finish("stop"),
            usage(1200, 8)));
      } else {
        upstream.then(sse(role(), text("A short answer."), finish("stop"), usage(1200, 4)));
      }
    }
    String out = curl(command.text() + " -w '" + STATUS_MARK + "%{http_code}'");
    int mark = out.lastIndexOf(STATUS_MARK);
    assertTrue(mark >= 0, out);
    int status = Integer.parseInt(out.substring(mark + STATUS_MARK.length()).strip());
    String body = out.substring(0, mark);

    if (command.hasPlaceholder()) {
      assertRefused(command, status, body);
      assertEquals(before, upstream.requests().size(), "nothing reaches the upstream");
      return;
    }
    assertEquals(200, status, body);
    assertEquals(before + 1, upstream.requests().size(), "one request reaches the upstream");
    // The pictures (and video frames) were fetched through the mirror and reach the upstream.
    int images = 0;
    for (JsonNode part : upstream.requests().get(before).at("/messages/0/content")) {
      if (part.path("type").asText().equals("image_url")) {
        assertTrue(part.at("/image_url/url").asText().startsWith("data:image/"), command.text());
        images++;
      }
    }
    int expected = expectedImages(command);
    assertEquals(expected, images, "images sent upstream for line " + command.line());
    if (command.isNative()) {
      if (command.streams()) {
        assertNativeStream(command, body);
      } else {
        JsonNode response = ServerTestSupport.JSON.readTree(body);
        assertFalse(response.at("/output/choices/0/message/content").isMissingNode(), body);
        assertFalse(response.at("/output/choices/0/message/content").toString().isBlank(), body);
        assertUsage(command, response.get("usage"), body);
      }
    } else if (command.streams()) {
      assertChatStream(body);
    } else {
      JsonNode response = ServerTestSupport.JSON.readTree(body);
      assertEquals("A short answer.", response.at("/choices/0/message/content").asText(), body);
    }
  }

  private void assertRefused(Command command, int status, String body) throws Exception {
    assertEquals(400, status, body);
    JsonNode response = ServerTestSupport.JSON.readTree(body);
    System.out.println("line " + command.line() + " refused: " + body);
    // A cut base64 video cannot be decoded; "" and "..." are not URLs (contract: invalid_image_url).
    boolean video = command.text().contains("base64,");
    String message;
    if (command.isNative()) {
      assertEquals("InvalidParameter", response.get("code").asText(), body);
      message = response.get("message").asText();
    } else {
      JsonNode error = response.get("error");
      assertEquals(video ? "invalid_video" : "invalid_image_url", error.get("code").asText(), body);
      assertEquals("invalid_request_error", error.get("type").asText(), body);
      assertTrue(error.get("param").asText().startsWith("messages[0].content[0]"), body);
      message = error.get("message").asText();
    }
    assertTrue(video ? message.contains("invalid base64") : message.startsWith("Invalid image URL"), body);
  }

  /**
   * Images the upstream gets: one per picture, four for a four-frame list, and six for a 3 s clip
   * sampled at fps 2.
   */
  private static int expectedImages(Command command) {
    int images = (int) Pattern.compile("\"image\"\\s*:|\"type\"\\s*:\\s*\"image_url\"").matcher(command.text())
        .results().count();
    int frameLists = (int) Pattern.compile("\"video\"\\s*:\\s*\\[").matcher(command.text()).results().count();
    int clips = (int) Pattern.compile("\"video\"\\s*:\\s*\"|\"video_url\"\\s*:").matcher(command.text())
        .results().count();
    return images + 4 * frameLists + 6 * clips;
  }

  private static void assertUsage(Command command, JsonNode usage, String body) {
    assertTrue(usage != null && usage.isObject(), body);
    if (command.hasVideo()) {
      assertTrue(usage.path("video_tokens").asInt() > 0, body);
    }
    if (command.hasImage()) {
      assertTrue(usage.path("image_tokens").asInt() > 0, body);
    }
  }

  private static void assertChatStream(String body) throws Exception {
    List<String> data = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data:")) {
        data.add(line.substring(5).strip());
      }
    }
    assertTrue(data.size() >= 2, body);
    assertEquals("[DONE]", data.getLast(), body);
    StringBuilder text = new StringBuilder();
    for (String chunk : data.subList(0, data.size() - 1)) {
      JsonNode delta = ServerTestSupport.JSON.readTree(chunk).at("/choices/0/delta/content");
      if (delta.isTextual()) {
        text.append(delta.asText());
      }
    }
    assertEquals("A short answer.", text.toString(), body);
    // stream_options.include_usage: the last chunk carries the usage and no choices.
    JsonNode last = ServerTestSupport.JSON.readTree(data.get(data.size() - 2));
    assertTrue(last.path("usage").path("total_tokens").asInt() > 0, body);
  }

  private static void assertNativeStream(Command command, String body) throws Exception {
    List<JsonNode> results = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String event = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data = line.substring(5);
        }
      }
      assertEquals("result", event, block);
      results.add(ServerTestSupport.JSON.readTree(data));
    }
    assertFalse(results.isEmpty(), body);
    StringBuilder text = new StringBuilder();
    for (JsonNode result : results) {
      for (JsonNode part : result.at("/output/choices/0/message/content")) {
        text.append(part.path("text").asText());
      }
    }
    assertEquals("A short answer.", text.toString(), body);
    assertUsage(command, results.getLast().get("usage"), body);
  }

  // ---- running curl ----

  private String curl(String command) throws Exception {
    Prerequisites.require(ExternalTools.executable("curl") != null, "curl is not installed (.ci/run installs it)");
    return ExternalTools.run(List.of("bash", "-c", command), workDir, Map.of("DASHSCOPE_API_KEY", API_KEY), "",
        TIMEOUT_SECONDS);
  }

}
