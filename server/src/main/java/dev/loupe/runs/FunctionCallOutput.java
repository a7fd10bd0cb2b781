package dev.loupe.runs;

/** The result of a client-side function, sent by the client. */
public record FunctionCallOutput(String callId, String output) implements ConversationItem {}
