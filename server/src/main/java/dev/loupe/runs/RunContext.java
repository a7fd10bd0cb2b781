package dev.loupe.runs;

import dev.loupe.tools.ImageSearchTool;

/** What a backend gets for one turn: the tools and the event stream. Used by one thread. */
public interface RunContext {
  /** Appends an event to the turn's stream. */
  void emit(RunEvent event);

  /** The {@code image_search} tool. */
  ImageSearchTool imageSearch();

  /** A fresh id with this prefix ({@code isc}, {@code msg}, …), unique in practice. */
  String newId(String prefix);
}
