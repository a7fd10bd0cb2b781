package dev.loupe.server.http;

import io.helidon.webserver.http.HttpService;

/**
 * A protocol service whose rules are absolute paths: {@link dev.loupe.server.LoupeServer} registers
 * it once at the root rather than under each Responses prefix. DashScope's native API needs this,
 * since its SDK appends {@code /services/aigc/multimodal-generation/generation} to a base ending
 * in {@code /api/v1} (contract 1.1), a path no OpenAI prefix covers.
 */
public interface RootService extends HttpService {}
