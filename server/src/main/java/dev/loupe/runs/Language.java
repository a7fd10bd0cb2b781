package dev.loupe.runs;

/** The language an answer is written in, guessed from the script of the user's text. */
enum Language {
  EN, ZH, JA;

  /** Kana means Japanese; Han without kana means Chinese; anything else English. */
  static Language detect(String text) {
    boolean han = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      Character.UnicodeScript script = Character.UnicodeScript.of(cp);
      if (script == Character.UnicodeScript.HIRAGANA || script == Character.UnicodeScript.KATAKANA) {
        return JA;
      }
      han |= script == Character.UnicodeScript.HAN;
      i += Character.charCount(cp);
    }
    return han ? ZH : EN;
  }
}
