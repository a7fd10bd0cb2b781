package dev.loupe.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/** Sends JSON bodies for the routes of this package. */
final class Json {
  private Json() {}

  static void send(ServerResponse response, JsonNode body) {
    response.header(HeaderNames.CONTENT_TYPE, "application/json");
    response.send(body.toString().getBytes(StandardCharsets.UTF_8));
  }
}
