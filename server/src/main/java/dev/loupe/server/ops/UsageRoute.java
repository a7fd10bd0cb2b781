package dev.loupe.server.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.server.http.Caller;
import dev.loupe.store.KeyStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code GET /v1/usage}: the calling key's ledger, {@code {"object": "usage", "key", "image_search_calls",
 * "searches", "input_tokens", "output_tokens", "images_added"}}; on a server without keys, the
 * {@code anonymous} caller's. Token counts are the sums of the {@code usage} the model APIs
 * answered; {@code image_search_calls} the sum of their tool counts.
 */
public final class UsageRoute implements HttpService {
  private final KeyStore keys;

  public UsageRoute(KeyStore keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/v1/usage", (request, response) -> {
      Caller caller = Caller.of(request);
      KeyStore.Usage usage = keys.usage(caller.name());
      ObjectNode body = JsonNodeFactory.instance.objectNode().put("object", "usage").put("key", caller.name())
          .put("image_search_calls", usage.imageSearchCalls()).put("searches", usage.searches())
          .put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens())
          .put("images_added", usage.imagesAdded());
      response.status(Status.OK_200);
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.send(body.toString().getBytes(StandardCharsets.UTF_8));
    });
  }
}
