package dev.loupe.runs;

/** Whether the model may, must or must not call tools (the request's {@code tool_choice}). */
public enum ToolChoice {
  AUTO, NONE, REQUIRED
}
