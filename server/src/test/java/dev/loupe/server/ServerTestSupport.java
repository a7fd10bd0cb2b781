package dev.loupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Requests against a running server and checks of the OpenAI error envelope. */
final class ServerTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private ServerTestSupport() {}

  static URI uri(LoupeServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertTrue(response.headers().firstValue("x-request-id").filter(id -> !id.isBlank()).isPresent(),
        "x-request-id missing on " + response);
    return response;
  }

  static HttpResponse<byte[]> get(LoupeServer server, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(server, path)).GET());
  }

  static HttpResponse<byte[]> postJson(LoupeServer server, String path, String json)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(server, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static HttpResponse<byte[]> postMultipart(LoupeServer server, String path, Map<String, String> fields,
      byte[] file) throws IOException, InterruptedException {
    String boundary = "loupe-test-boundary-7d1f";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var field : fields.entrySet()) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
          + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    if (file != null) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q.jpg\""
          + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.writeBytes(file);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(uri(server, path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  static JsonNode json(HttpResponse<byte[]> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** Asserts the status and the whole envelope but the message, and returns the message. */
  static String assertError(HttpResponse<byte[]> response, int status, String code, String param)
      throws IOException {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(status, response.statusCode(), text);
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    JsonNode error = json(response).get("error");
    assertEquals(code, error.get("code").isNull() ? null : error.get("code").asText(), text);
    assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText(), text);
    assertEquals(status >= 500 ? "server_error" : "invalid_request_error", error.get("type").asText(), text);
    assertEquals(response.headers().firstValue("x-request-id").orElseThrow(), json(response).get("request_id").asText());
    return error.get("message").asText();
  }
}
