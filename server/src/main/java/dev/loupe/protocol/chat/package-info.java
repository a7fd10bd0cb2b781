/**
 * OpenAI's Chat Completions API without HTTP (contract section 6): {@link
 * dev.loupe.protocol.chat.ChatCompletionsService} prepares a body through the shared {@code
 * protocol.completion} and {@link dev.loupe.protocol.chat.ChatCall} writes the answer as {@code
 * chat.completion} objects or chunks; {@link dev.loupe.protocol.chat.ChatChunkFraming} frames the
 * stream.
 */
package dev.loupe.protocol.chat;
