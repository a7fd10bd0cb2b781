package dev.loupe.runs;

/** An earlier call of a client-side function, sent back as context. */
public record FunctionCall(String callId, String name, String arguments) implements ConversationItem {}
