package dev.loupe.protocol.responses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramingTest {
  @Test
  void eventIsNameDataLineAndBlankLine() {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("type", "response.output_text.delta")
        .put("sequence_number", 6).put("item_id", "msg_7d2c").put("output_index", 1).put("content_index", 0)
        .put("delta", "I found\nline two \u6a4b");
    data.putArray("logprobs");
    byte[] bytes = SseFraming.event(new ResponseStreamEvent("response.output_text.delta", data));
    assertArrayEquals(("event: response.output_text.delta\n"
        + "data: {\"type\":\"response.output_text.delta\",\"sequence_number\":6,\"item_id\":\"msg_7d2c\","
        + "\"output_index\":1,\"content_index\":0,\"delta\":\"I found\\nline two \u6a4b\",\"logprobs\":[]}\n\n")
        .getBytes(StandardCharsets.UTF_8), bytes);
  }

  @Test
  void commentIsOneLine() {
    assertArrayEquals(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8), SseFraming.comment("keep-alive"));
    assertArrayEquals(": a b\n\n".getBytes(StandardCharsets.UTF_8), SseFraming.comment("a\nb"));
  }
}
