/**
 * The HTTP binding of the Chat Completions API: {@link dev.loupe.server.chat.ChatCompletionsRoutes}
 * mounts {@code POST /chat/completions} under each protocol prefix and writes what {@link
 * dev.loupe.protocol.chat.ChatCompletionsService} produces.
 */
package dev.loupe.server.chat;
