package dev.loupe.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The version and commit Loupe was built from: {@code version.properties} (the Maven project
 * version, filtered in at build time) and {@code commit.txt} ({@code git describe --always --dirty}
 * of the checkout, written at build time; absent when built outside git). See app/pom.xml.
 */
record BuildInfo(String version, String commit) {
  static BuildInfo load() {
    Properties p = new Properties();
    String commit = "unknown";
    try (InputStream version = BuildInfo.class.getResourceAsStream("version.properties");
        InputStream described = BuildInfo.class.getResourceAsStream("commit.txt")) {
      if (version != null) {
        p.load(version);
      }
      if (described != null) {
        String text = new String(described.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (text.matches("[0-9a-f]{7,40}(-dirty)?")) {
          commit = text;
        }
      }
    } catch (IOException e) {
      // Unreadable build information reads as unknown.
    }
    return new BuildInfo(p.getProperty("version", "unknown"), commit);
  }

  /** {@code loupe 0.1.0 (commit 1a2b3c4)}, with {@code , with local changes} when built from a modified tree. */
  String line() {
    boolean dirty = commit.endsWith("-dirty");
    String id = dirty ? commit.substring(0, commit.length() - "-dirty".length()) : commit;
    return "loupe " + version + " (commit " + id + (dirty ? ", with local changes" : "") + ")";
  }
}
