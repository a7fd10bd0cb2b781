/**
 * Operators' routes: {@code GET /metrics} (Prometheus text), {@code GET /openapi.json} (the API
 * description) and {@code GET /v1/usage} (the calling key's ledger).
 */
package dev.loupe.server.ops;
