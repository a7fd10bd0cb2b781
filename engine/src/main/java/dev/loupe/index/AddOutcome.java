package dev.loupe.index;

/** What {@link ImageIndex#add} did. */
public enum AddOutcome {
  /** A new distinct image was stored. */
  NEW_IMAGE,
  /** The image was already stored; this source was added to its occurrences. */
  NEW_OCCURRENCE,
  /** The image was already stored with this source; its last-seen time was updated. */
  SEEN_AGAIN
}
