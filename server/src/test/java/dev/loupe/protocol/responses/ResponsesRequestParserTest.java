package dev.loupe.protocol.responses;

import dev.loupe.protocol.ApiException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.runs.ToolChoice;
import org.junit.jupiter.api.Test;

class ResponsesRequestParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  private static ApiException refused(String body) {
    return assertThrows(ApiException.class, () -> ResponsesRequestParser.parse(json(body), null));
  }

  private static void assertError(String param, String code, String message, ApiException e) {
    assertEquals(400, e.status());
    assertEquals("invalid_request_error", e.type());
    assertEquals(param, e.param());
    assertEquals(code, e.code());
    assertEquals(message, e.getMessage());
  }

  @Test
  void stringInputIsOneUserMessageAndDefaultsAreEchoed() throws Exception {
    ResponsesRequest r = ResponsesRequestParser.parse(json("{'model':'qwen3.7-plus','input':'hello','future_field':1}"), null);
    assertEquals("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hello\"}]}",
        r.input().getFirst().toString());
    assertEquals("\"auto\"", r.toolChoice().toString());
    assertEquals(ToolChoice.AUTO, r.toolChoiceMode());
    assertEquals("{\"format\":{\"type\":\"text\"}}", r.text().toString());
    assertTrue(r.store());
    assertTrue(r.parallelToolCalls());
    assertFalse(r.stream());
    assertFalse(r.imageSearch());
    assertEquals("disabled", r.truncation());
  }

  @Test
  void javaAndNodeShapesBothParse() throws Exception {
    ResponsesRequest r = ResponsesRequestParser.parse(json("""
        {'model':'m','tools':[{'type':'image_search','extra':true}],'tool_choice':{'type':'image_search'},
         'input':[{'type':'message','role':'user','content':[{'type':'input_text','text':'find'},
           {'type':'input_image','image_url':'https://img.example.org/a.png','detail':'auto'}]},
           {'role':'user','content':[{'type':'input_image','image_url':'data:image/png;base64,AAAA'}]}],
         'include':['whatever'],'max_tool_calls':0}"""), "enable");
    assertTrue(r.imageSearch());
    assertTrue(r.stream(), "X-DashScope-SSE: enable streams");
    assertEquals(ToolChoice.REQUIRED, r.toolChoiceMode());
    assertEquals(0, r.maxToolCalls());
    assertEquals("message", r.input().get(1).get("type").asText());
  }

  @Test
  void missingModel() {
    assertError("model", "missing_required_parameter", "Missing required parameter: 'model'.", refused("{'input':'x'}"));
  }

  @Test
  void wrongTypes() {
    assertError("max_output_tokens", "invalid_type",
        "Invalid type for 'max_output_tokens': expected an integer, but got a string instead.",
        refused("{'model':'m','input':'x','max_output_tokens':'12'}"));
    assertError("input", "invalid_type", "Invalid type for 'input': expected a string or an array, but got an integer instead.",
        refused("{'model':'m','input':3}"));
    assertError("stream", "invalid_type", "Invalid type for 'stream': expected a boolean, but got a string instead.",
        refused("{'model':'m','input':'x','stream':'true'}"));
    assertError("input[0].content", "invalid_type",
        "Invalid type for 'input[0].content': expected a string or an array, but got an object instead.",
        refused("{'model':'m','input':[{'role':'user','content':{}}]}"));
    assertError(null, "invalid_type", "Invalid type for request body: expected an object, but got an array instead.",
        assertThrows(ApiException.class, () -> ResponsesRequestParser.parse(json("[]"), null)));
  }

  @Test
  void badValues() {
    assertError("input[0].role", "invalid_value",
        "Invalid value for 'input[0].role': 'robot'. Supported values are: 'user', 'system', 'developer' and 'assistant'.",
        refused("{'model':'m','input':[{'role':'robot','content':'x'}]}"));
    assertError("tools[1].type", "invalid_value",
        "Invalid value for 'tools[1].type': 'code_interpreter'. Supported values are: 'image_search', 'function' and 'web_search'.",
        refused("{'model':'m','input':'x','tools':[{'type':'image_search'},{'type':'code_interpreter'}]}"));
    assertError("max_tool_calls", "integer_below_min_value",
        "Invalid 'max_tool_calls': integer below minimum value. Expected a value >= 0, but got -1 instead.",
        refused("{'model':'m','input':'x','max_tool_calls':-1}"));
    assertError("input[0].content[0].detail", "invalid_value",
        "Invalid value for 'input[0].content[0].detail': 'ultra'. Supported values are: 'low', 'high', 'auto' and 'original'.",
        refused("{'model':'m','input':[{'role':'user','content':[{'type':'input_image','image_url':'https://a/b.png','detail':'ultra'}]}]}"));
    assertError("background", "unsupported_value",
        "Unsupported value: 'background' does not support true with this server; omit it or send false.",
        refused("{'model':'m','input':'x','background':true}"));
  }

  @Test
  void imagesAndUnsupportedParts() {
    assertError("input[0].content[1].file_id", "unsupported_value",
        "Unsupported parameter 'input[0].content[1].file_id': this server has no Files API; send the image as an "
            + "http(s) or data URL in 'image_url'.",
        refused("{'model':'m','input':[{'role':'user','content':[{'type':'input_text','text':'x'},{'type':'input_image','file_id':'file-1'}]}]}"));
    assertError("input[0].content[0]", "invalid_image",
        "Invalid image at 'input[0].content[0]': exactly one of 'image_url' and 'file_id' must be set, got neither.",
        refused("{'model':'m','input':[{'role':'user','content':[{'type':'input_image','detail':'auto'}]}]}"));
    assertError("input[0].content[0].image_url", "invalid_image_url",
        "Invalid image URL at 'input[0].content[0].image_url': expected an http(s) URL or a data URL "
            + "(data:<mime>;base64,<payload>), got 'file:///etc/passwd'.",
        refused("{'model':'m','input':[{'role':'user','content':[{'type':'input_image','image_url':'file:///etc/passwd'}]}]}"));
    assertError("input[0].content[0]", "unsupported_value",
        "Unsupported content type 'input_file' at 'input[0].content[0]': this server accepts input_text and "
            + "input_image parts only.",
        refused("{'model':'m','input':[{'role':'user','content':[{'type':'input_file','file_id':'f'}]}]}"));
    assertError("input[0].content[0]", "unsupported_value",
        "Unsupported content type 'input_audio' at 'input[0].content[0]': this server accepts input_text and "
            + "input_image parts only.",
        refused("{'model':'m','input':[{'role':'user','content':[{'type':'input_audio','input_audio':{}}]}]}"));
  }

  @Test
  void metadataLimits() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 17; i++) {
      many.append(i == 0 ? "" : ",").append("'k").append(i).append("':'v'");
    }
    assertError("metadata", "invalid_value", "Invalid 'metadata': too many keys, at most 16 allowed, got 17.",
        refused("{'model':'m','input':'x','metadata':" + many + "}}"));
    assertError("metadata.k", "invalid_type", "Invalid type for 'metadata.k': expected a string, but got an integer instead.",
        refused("{'model':'m','input':'x','metadata':{'k':1}}"));
  }
}
