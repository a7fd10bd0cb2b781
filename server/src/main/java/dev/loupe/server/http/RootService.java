package dev.loupe.server.http;

import io.helidon.webserver.http.HttpService;

/**
 * A protocol service whose rules are absolute paths: {@link dev.loupe.server.LoupeServer} registers
 * it once at the root rather than under each Responses prefix, and mounts its {@link #envelope()}
 * under {@link #root()}. DashScope's native API needs this, since its SDK appends {@code
 * /services/aigc/multimodal-generation/generation} to a base ending in {@code /api/v1} (contract
 * 1.1), a path no OpenAI prefix covers, and reads errors only in its own envelope (8.2).
 */
public interface RootService extends HttpService {
  /** The path prefix the service's rules live under, starting and ending with {@code /}. */
  String root();

  /** How failures under {@link #root()} are written, including refusals before routing. */
  ErrorEnvelope envelope();
}
