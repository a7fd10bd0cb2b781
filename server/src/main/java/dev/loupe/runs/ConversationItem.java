package dev.loupe.runs;

/** One item of the conversation a model sees, oldest first. */
public sealed interface ConversationItem
    permits Message, ImageSearchCall, FunctionCall, FunctionCallOutput {}
