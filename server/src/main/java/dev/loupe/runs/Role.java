package dev.loupe.runs;

/** Who wrote a message. */
public enum Role {
  SYSTEM, DEVELOPER, USER, ASSISTANT
}
