package dev.loupe.server.ops;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of every route this server mounts and of
 * its error envelopes, kept as a resource next to this class ({@code OpenApiDocumentTest} parses it
 * and checks it against the routes in the code, both ways).
 */
public final class OpenApiRoute implements HttpService {
  /** The resource's name, next to this class. */
  public static final String RESOURCE = "openapi.json";

  private final byte[] document;

  public OpenApiRoute() {
    try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/openapi.json", (request, response) -> {
      response.status(Status.OK_200);
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.send(document);
    });
  }
}
