/**
 * One model turn: a {@link dev.loupe.runs.ModelBackend} decides, the {@code image_search} tool
 * runs, and everything is reported as one ordered stream of {@link dev.loupe.runs.RunEvent}s that
 * {@link dev.loupe.runs.ResponseRun} brackets with the lifecycle events. Protocols turn that stream
 * into their wire format; a non-streaming answer is the fold of the same stream. No JSON here.
 */
package dev.loupe.runs;
