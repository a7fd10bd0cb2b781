package dev.loupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.protocol.ApiException;
import dev.loupe.server.http.MethodNotAllowed;
import dev.loupe.tools.HitJson;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /readyz}, the readiness probe: 200 {@code {"status":"ready","running","waiting"}} while
 * the index answers and {@link AdmissionGate} could take another heavy request; otherwise 503
 * {@code overloaded} with {@code Retry-After}, so that a load balancer sends traffic elsewhere
 * without restarting a server that is only busy ({@code /healthz} stays 200: it is liveness).
 * Runs on the request's virtual thread, never behind the gate; open without a key like {@code
 * /healthz}.
 */
final class ReadinessRoute implements HttpService {
  private final Loupe loupe;
  private final AdmissionGate gate;

  ReadinessRoute(Loupe loupe, AdmissionGate gate) {
    this.loupe = loupe;
    this.gate = gate;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/readyz", this::ready).any("/readyz", MethodNotAllowed.allowing("GET"));
  }

  private void ready(ServerRequest request, ServerResponse response) {
    try {
      loupe.index().stats();
    } catch (Exception | AssertionError e) {
      throw ApiException.overloaded("Not ready: the index does not answer (" + e.getClass().getSimpleName()
          + ").", 5);
    }
    if (gate.saturated()) {
      throw ApiException.overloaded("Not ready: " + gate.running() + " heavy requests are running and "
          + gate.waiting() + " waiting, the most this server takes.", 1);
    }
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("status", "ready");
    body.put("running", gate.running());
    body.put("waiting", gate.waiting());
    response.header(HeaderNames.CONTENT_TYPE, "application/json");
    response.send(body.toString().getBytes(StandardCharsets.UTF_8));
  }
}
