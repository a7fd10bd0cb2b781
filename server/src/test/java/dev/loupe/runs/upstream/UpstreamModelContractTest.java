package dev.loupe.runs.upstream;

import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.reasoning;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.toolCall;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;

import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.ModelBackendContractTestCase;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An OpenAI-compatible upstream keeps the event stream's grammar: the scripted server on loopback
 * answers each scenario in the real streamed wire format, as vLLM does.
 */
class UpstreamModelContractTest extends ModelBackendContractTestCase {
  private ScriptedUpstream upstream;
  private UpstreamModel model;

  @BeforeEach
  void start() throws IOException {
    upstream = new ScriptedUpstream();
    model = new UpstreamModel(UpstreamConfig.of(upstream.baseUrl(), null).withRetries(0, Duration.ofMillis(10)));
  }

  @AfterEach
  void stop() {
    model.close();
    upstream.close();
  }

  @Override
  protected ModelBackend backend() {
    return model;
  }

  @Override
  protected void prepare(Scenario scenario) {
    switch (scenario) {
      case TEXT_ONLY, TOOL_CHOICE_NONE -> upstream.then(
          sse(role(), text("I search "), text("pictures."), finish("stop"), usage(30, 4)));
      case SEARCH_ONE_IMAGE -> upstream.then(
          sse(role(), reasoning("The user wants copies."), toolCall(0, "call_1", "image_search", "{\"image_index\": 1}"),
              finish("tool_calls"), usage(300, 12)),
          sse(role(), text("It appears on "), text("one page."), finish("stop"), usage(420, 6)));
      case OUTPUT_BUDGET -> upstream.then(
          sse(role(), toolCall(0, "call_1", "image_search", "{\"image_index\": 1}"), finish("tool_calls"), usage(300, 2)),
          sse(role(), text("It appears"), finish("length"), usage(420, 1)));
      case PASSTHROUGH -> upstream.then(
          sse(role(), reasoning("Paris, so the weather tool."), text("Let me check."),
              toolCall(0, "call_w", "weather", "{\"city\": \"Paris\"}"), finish("tool_calls"), usage(40, 15)));
    }
  }
}
