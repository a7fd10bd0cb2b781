/**
 * The process's Prometheus metrics ({@link dev.loupe.telemetry.Metrics}): requests and latency
 * per route, searches and hits per tier, images added, model upstream calls. Depends on the engine's
 * value types only, so that the tools, the runs layer and the transport can all count into it.
 */
package dev.loupe.telemetry;
