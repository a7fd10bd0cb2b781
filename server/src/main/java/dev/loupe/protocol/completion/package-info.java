/**
 * What the chat-shaped wires share, without HTTP: {@link
 * dev.loupe.protocol.completion.CompletionService} checks a Chat Completions body (contract 6.1),
 * reads its images (fetched, checked, smart-resized per contract section 9) and videos (sampled
 * into frames), and {@link dev.loupe.protocol.completion.CompletionCall} runs the turn over the
 * runs layer's one event stream, encoding it into a wire's {@link
 * dev.loupe.protocol.completion.CompletionWriter}. Chat Completions ({@code protocol.chat}) and
 * DashScope's native API ({@code protocol.dashscope}, translated into the chat request it means)
 * each write their own shapes and never import each other.
 */
package dev.loupe.protocol.completion;
