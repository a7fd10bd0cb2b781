/**
 * OpenAI's Chat Completions API without HTTP (contract section 6): {@link
 * dev.loupe.protocol.chat.ChatCompletionsService} validates a body, prepares its images (fetched,
 * checked, smart-resized per contract section 9) and videos (sampled into frames that an upstream
 * receives as {@code image_url} parts after a one-line note; see {@link
 * dev.loupe.protocol.chat.ChatCompletionsService}), and either runs a turn over the shared runs layer
 * (the builtin model with {@code image_search}) or proxies the request to an OpenAI-compatible
 * upstream; {@link dev.loupe.protocol.chat.ChatChunkFraming} frames the stream.
 */
package dev.loupe.protocol.chat;
