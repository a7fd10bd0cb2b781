/**
 * Operators' routes: {@code GET /metrics} (Prometheus text) and {@code GET /openapi.json} (the API
 * description).
 */
package dev.loupe.server.ops;
