package dev.loupe.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.protocol.responses.ResponsesConfig;
import dev.loupe.protocol.responses.ResponsesService;
import dev.loupe.runs.BuiltinModel;
import dev.loupe.runs.ModelCatalog;
import dev.loupe.store.ResponseStore;
import dev.loupe.store.StoreSummary;
import dev.loupe.store.StoredResponse;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.tools.LoupeSearchBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What storing a response costs: {@code POST /v1/responses} through the Responses service (no HTTP),
 * alternating {@code "store": true} and {@code "store": false} on the same conversation, one client.
 * Stored turns form chains of three: an image, then two text follow-ups with {@code
 * previous_response_id}; the unstored twin of each turn carries the same input and history, so the
 * difference of the medians is the save. Then the bytes a stored turn takes: in the database file,
 * counted by the store (documents plus images once), and what the same documents weigh with their
 * images inline (every earlier format's row).
 */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Latency of POST /v1/responses with store on vs off, and bytes per stored turn.")
public final class StoreBench implements Callable<Integer> {
  @Option(names = "--turns", description = "Stored turns, each with an unstored twin (default: ${DEFAULT-VALUE}).")
  int turns = 300;

  @Option(names = "--images", description = "Indexed images (default: ${DEFAULT-VALUE}).")
  int images = 1_000;

  @Option(names = "--seed", description = "Seed of the synthetic index and picture (default: ${DEFAULT-VALUE}).")
  long seed = 7;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("loupe-store-bench");
    byte[] original = ServeBench.jpeg(ServeBench.picture(seed, 1024, 768), 90);
    String dataUrl = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
        ServeBench.jpeg(ServeBench.picture(seed, 800, 600), 85));
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
        ResponseStore store = ResponseStore.open(dir.resolve("data"))) {
      ServeBench.build(loupe, original, images, seed);
      try (ResponsesService service = new ResponsesService(ModelCatalog.serving(new BuiltinModel()),
          new ImageSearchTool(new LoupeSearchBackend(loupe), 100, id -> "http://127.0.0.1/v1/images/" + id + "/content"),
          store, ResponsesConfig.defaults(), Clock.systemUTC())) {
        for (int i = 0; i < 30; i++) {
          service.prepare(request(dataUrl, null, false), null).await();
        }
        long[] on = new long[turns];
        long[] off = new long[turns];
        List<String> stored = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < turns; i++) {
          String image = i % 3 == 0 ? dataUrl : null;
          String history = i % 3 == 0 ? null : previous;
          // Alternate which twin goes first, so neither always runs on a warmer cache.
          if (i % 2 == 0) {
            off[i] = time(service, request(image, history, false));
          }
          long start = System.nanoTime();
          previous = service.prepare(request(image, history, true), null).await().get("id").asText();
          on[i] = System.nanoTime() - start;
          if (i % 2 == 1) {
            off[i] = time(service, request(image, history, false));
          }
          stored.add(previous);
        }
        long inline = 0;
        for (String id : stored) {
          StoredResponse r = store.find(id).orElseThrow();
          inline += utf8(r.response()) + utf8(r.inputItems()) + utf8(r.conversation());
        }
        StoreSummary summary = store.summary();
        try (var s = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/responses.db"))
            .createStatement()) {
          s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        long file = Files.size(dir.resolve("data/responses.db"));
        System.out.printf("POST /v1/responses, %d turns (chains of 3, an image of %d bytes in the first turn), one client%n",
            turns, dataUrl.length());
        for (int kind = 0; kind < 2; kind++) {
          int first = kind;
          long[] kindOn = java.util.stream.IntStream.range(0, turns).filter(i -> (i % 3 == 0) == (first == 0))
              .mapToLong(i -> on[i]).toArray();
          long[] kindOff = java.util.stream.IntStream.range(0, turns).filter(i -> (i % 3 == 0) == (first == 0))
              .mapToLong(i -> off[i]).toArray();
          System.out.printf("%s (%d): median ms store off %.2f, store on %.2f, cost of storing %.2f ms"
                  + " (p90 off %.2f, on %.2f)%n", kind == 0 ? "turns with the image" : "text follow-ups",
              kindOn.length, median(kindOff), median(kindOn), median(kindOn) - median(kindOff),
              percentile(kindOff, 0.9), percentile(kindOn, 0.9));
        }
        System.out.printf("bytes per stored turn: %d counted by the store, %d in responses.db, %d with images inline%n",
            summary.bytes() / turns, file / turns, inline / turns);
      }
    }
    return 0;
  }

  private static long time(ResponsesService service, ObjectNode body) throws Exception {
    long start = System.nanoTime();
    service.prepare(body, null).await();
    return System.nanoTime() - start;
  }

  private static ObjectNode request(String dataUrl, String previous, boolean store) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "builtin").put("store", store);
    var content = body.putArray("input").addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "input_text").put("text", dataUrl != null ? "Where else does this appear?" : "And the oldest?");
    if (dataUrl != null) {
      content.addObject().put("type", "input_image").put("image_url", dataUrl);
    }
    if (previous != null) {
      body.put("previous_response_id", previous);
    }
    body.putArray("tools").addObject().put("type", "image_search");
    return body;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static double median(long[] nanos) {
    return percentile(nanos, 0.5);
  }

  private static double percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
  }
}
