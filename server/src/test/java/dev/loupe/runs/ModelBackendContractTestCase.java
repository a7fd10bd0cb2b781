package dev.loupe.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.image.ImageFormat;
import dev.loupe.image.ImageInfo;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.tools.FetchedImage;
import dev.loupe.tools.ImageSearchBackend;
import dev.loupe.tools.ImageSearchTool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The grammar of a turn's event stream, run against a backend: every {@link ModelBackend} has a
 * subclass, so that the protocols that encode the stream (Responses, Chat Completions, DashScope)
 * can rely on its shape whichever backend answers. A subclass gives the backend and prepares
 * whatever the backend needs to answer each {@link Scenario} (an upstream's scripted replies; the
 * builtin model needs nothing).
 *
 * <p>The grammar: {@code Created, InProgress}, then the backend's events, then exactly one
 * terminal event. Each tool call is {@code Started, Searching, Completed} with one id; each
 * message is {@code MessageStarted}, its {@code TextDelta}s, {@code MessageDone} whose text is
 * the deltas joined, and messages do not interleave; exactly one {@code UsageReported}, whose tool
 * count is the number of calls; {@code ReasoningDelta}s only from a backend that declares {@code
 * thinking}, {@code FunctionCallRequested} only from one that declares {@code clientTools} and
 * only after a {@link Passthrough}.
 */
public abstract class ModelBackendContractTestCase {
  /** What the turn is asked to do. */
  protected enum Scenario {
    /** Words, no image, tool offered. */
    TEXT_ONLY,
    /** One image, {@code image_search} offered. */
    SEARCH_ONE_IMAGE,
    /** One image, {@code tool_choice: none}. */
    TOOL_CHOICE_NONE,
    /** One image, an output budget of 3 tokens that the answer exceeds. */
    OUTPUT_BUDGET,
    /** The client's own body with one function offered and thinking on, no {@code image_search}. */
    PASSTHROUGH
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String IMAGE = "https://img.example.org/query.jpg";

  /** What the search tool was asked, by image URL. */
  protected final List<String> searched = new CopyOnWriteArrayList<>();

  /** The backend under test. */
  protected abstract ModelBackend backend();

  /** Prepares what the backend needs to answer {@code scenario} (called before each turn). */
  protected abstract void prepare(Scenario scenario) throws Exception;

  @Test
  void aTextOnlyTurnKeepsTheGrammar() throws Exception {
    List<RunEvent> events = run(Scenario.TEXT_ONLY, request(false, ToolChoice.AUTO, null));
    assertInstanceOf(RunEvent.Completed.class, events.getLast());
    assertFalse(messages(events).isEmpty(), "a turn answers with a message: " + events);
  }

  @Test
  void anImageSearchTurnCallsTheToolAndCountsIt() throws Exception {
    List<RunEvent> events = run(Scenario.SEARCH_ONE_IMAGE, request(true, ToolChoice.AUTO, null));
    assertInstanceOf(RunEvent.Completed.class, events.getLast());
    assertEquals(1, count(events, RunEvent.ToolCallCompleted.class), "one call for one image: " + events);
    assertEquals(List.of(IMAGE), searched.stream().map(s -> s.split(" ")[0]).toList());
  }

  @Test
  void toolChoiceNoneCallsNoTool() throws Exception {
    List<RunEvent> events = run(Scenario.TOOL_CHOICE_NONE, request(true, ToolChoice.NONE, null));
    assertInstanceOf(RunEvent.Completed.class, events.getLast());
    assertEquals(0, count(events, RunEvent.ToolCallStarted.class), events.toString());
    assertEquals(List.of(), searched);
  }

  @Test
  void anAnswerOverItsBudgetEndsIncomplete() throws Exception {
    List<RunEvent> events = run(Scenario.OUTPUT_BUDGET, request(true, ToolChoice.AUTO, 3));
    assertEquals(new RunEvent.Incomplete("max_output_tokens"), events.getLast());
    RunEvent.MessageDone done = (RunEvent.MessageDone) events.stream()
        .filter(RunEvent.MessageDone.class::isInstance).reduce((a, b) -> b).orElseThrow();
    assertTrue(done.truncated(), "the last message says it was cut: " + done);
  }

  @Test
  void aPassthroughIsAnsweredByWhatTheBackendCanDo() throws Exception {
    ObjectNode body = NODES.objectNode().put("model", "m").put("enable_thinking", true);
    body.putArray("messages").addObject().put("role", "user").put("content", "What is the weather in Paris?");
    ObjectNode function = body.putArray("tools").addObject().put("type", "function").putObject("function")
        .put("name", "weather");
    function.putObject("parameters").put("type", "object").putObject("properties").putObject("city")
        .put("type", "string");
    RunRequest request = new RunRequest("m", null, List.of(),
        List.of(new Message(Role.USER, List.of(new TextPart("What is the weather in Paris?")))), false,
        ToolChoice.AUTO, null, null).withPassthrough(new Passthrough(body, 20));
    List<RunEvent> events = run(Scenario.PASSTHROUGH, request);
    assertInstanceOf(RunEvent.Completed.class, events.getLast());
    Capabilities can = backend().capabilities();
    if (can.clientTools()) {
      assertEquals(1, count(events, RunEvent.FunctionCallRequested.class), "the function call comes back: " + events);
    } else {
      assertFalse(messages(events).isEmpty(), "a backend without client tools answers in words: " + events);
    }
  }

  /** Runs the turn and checks the grammar; returns the events. */
  protected final List<RunEvent> run(Scenario scenario, RunRequest request) throws Exception {
    searched.clear();
    prepare(scenario);
    List<RunEvent> events = new ArrayList<>();
    ResponseRun.execute(backend(), request, tool(searched), events::add);
    assertGrammar(events, backend().capabilities(), request.passthrough() != null);
    return events;
  }

  static void assertGrammar(List<RunEvent> events, Capabilities can, boolean passthrough) {
    String all = events.toString();
    assertTrue(events.size() >= 3, all);
    assertEquals(new RunEvent.Created(), events.get(0), all);
    assertEquals(new RunEvent.InProgress(), events.get(1), all);
    RunEvent last = events.getLast();
    assertTrue(last instanceof RunEvent.Completed || last instanceof RunEvent.Incomplete
        || last instanceof RunEvent.Failed, "ends with a terminal event: " + all);
    if (last instanceof RunEvent.Incomplete i) {
      assertTrue(Set.of("max_output_tokens", "content_filter", "upstream_timeout").contains(i.reason()), all);
    }
    Map<String, Integer> callState = new HashMap<>(); // 1 started, 2 searching, 3 completed
    Set<String> messageIds = new HashSet<>();
    String openMessage = null;
    StringBuilder text = new StringBuilder();
    int usages = 0;
    Usage usage = null;
    for (RunEvent e : events.subList(2, events.size() - 1)) {
      switch (e) {
        case RunEvent.Created c -> throw new AssertionError("a second Created: " + all);
        case RunEvent.InProgress p -> throw new AssertionError("a second InProgress: " + all);
        case RunEvent.Completed c -> throw new AssertionError("a terminal event before the end: " + all);
        case RunEvent.Incomplete i -> throw new AssertionError("a terminal event before the end: " + all);
        case RunEvent.Failed f -> throw new AssertionError("a terminal event before the end: " + all);
        case RunEvent.ToolCallStarted s -> {
          assertEquals(null, callState.put(s.callId(), 1), "call ids are unique: " + all);
          assertEquals(null, openMessage, "no call inside a message: " + all);
        }
        case RunEvent.ToolCallSearching s -> assertEquals(1, callState.put(s.callId(), 2), "searching after started: " + all);
        case RunEvent.ToolCallCompleted c -> assertEquals(2, callState.put(c.callId(), 3), "completed after searching: " + all);
        case RunEvent.MessageStarted m -> {
          assertEquals(null, openMessage, "messages do not interleave: " + all);
          assertTrue(messageIds.add(m.messageId()), "message ids are unique: " + all);
          openMessage = m.messageId();
          text.setLength(0);
        }
        case RunEvent.TextDelta d -> {
          assertEquals(openMessage, d.messageId(), "a delta belongs to the open message: " + all);
          text.append(d.delta());
        }
        case RunEvent.MessageDone d -> {
          assertEquals(openMessage, d.messageId(), "done closes the open message: " + all);
          assertEquals(text.toString(), d.text(), "the message's text is its deltas joined");
          openMessage = null;
        }
        case RunEvent.ReasoningDelta r -> assertTrue(can.thinking(), "reasoning from a backend without thinking: " + all);
        case RunEvent.FunctionCallRequested f -> {
          assertTrue(can.clientTools() && passthrough, "a client function call without client tools: " + all);
          assertFalse(f.call().callId().isBlank(), all);
        }
        case RunEvent.UsageReported u -> {
          usages++;
          usage = u.usage();
        }
      }
    }
    assertEquals(null, openMessage, "every message is done: " + all);
    assertTrue(callState.values().stream().allMatch(s -> s == 3) || last instanceof RunEvent.Failed,
        "every call completes: " + all);
    if (!(last instanceof RunEvent.Failed)) {
      assertEquals(1, usages, "exactly one usage: " + all);
      assertTrue(usage.inputTokens() > 0 && usage.outputTokens() >= 0, "counts: " + usage);
      assertEquals(callState.size(), usage.toolCalls().getOrDefault(ImageSearchTool.NAME, 0),
          "the usage counts each call: " + all);
    }
  }

  private static RunRequest request(boolean withImage, ToolChoice choice, Integer maxOutput) {
    List<ContentPart> parts = new ArrayList<>();
    parts.add(new TextPart(withImage ? "Where else is this picture?" : "Hello, what can you do?"));
    if (withImage) {
      parts.add(new ImagePart(IMAGE, "auto"));
    }
    return new RunRequest("m", null, List.of(), List.of(new Message(Role.USER, parts)), true, choice, null, maxOutput);
  }

  private static long count(List<RunEvent> events, Class<? extends RunEvent> type) {
    return events.stream().filter(type::isInstance).count();
  }

  private static List<RunEvent.MessageDone> messages(List<RunEvent> events) {
    return events.stream().filter(RunEvent.MessageDone.class::isInstance).map(RunEvent.MessageDone.class::cast).toList();
  }

  /**
   * An {@code image_search} tool that finds one hit for any image and records each search in
   * {@code searched} as {@code "<url> top <k>"}; a request's image URL stands for its bytes.
   */
  public static ImageSearchTool tool(List<String> searched) {
    return new ImageSearchTool(new ImageSearchBackend() {
      @Override
      public List<SearchHit> search(String imageUrl, SearchRequest request) {
        searched.add(imageUrl + " top " + request.topK());
        return List.of(new SearchHit(1, "3f9c", "Stone bridge", "https://img.example.org/bridge.jpg",
            "https://www.example.org/bridges.html", 0.97, MatchKind.NEAR_DUPLICATE, null, 640, 480, "x", 3, null));
      }

      @Override
      public FetchedImage fetch(String imageUrl) {
        return new FetchedImage(imageUrl.getBytes(StandardCharsets.UTF_8), new ImageInfo(ImageFormat.JPEG, 640, 480, 1));
      }

      @Override
      public List<SearchHit> search(byte[] encoded, SearchRequest request) {
        return search(new String(encoded, StandardCharsets.UTF_8), request);
      }
    }, 100, id -> "http://loupe/" + id);
  }
}
