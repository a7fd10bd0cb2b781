/**
 * DashScope's native multimodal-generation protocol without HTTP (contract section 7): {@link
 * dev.loupe.protocol.dashscope.DashScopeService} translates a native body into the Chat Completions
 * request it means and runs it through the same image checks, smart resize and builtin/upstream
 * dispatch ({@link dev.loupe.protocol.completion.CompletionCall#run}); {@link
 * dev.loupe.protocol.dashscope.DashScopeSseFraming} frames the stream and {@link
 * dev.loupe.protocol.dashscope.DashScopeErrors} the native error envelope.
 */
package dev.loupe.protocol.dashscope;
