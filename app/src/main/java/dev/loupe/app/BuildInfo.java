package dev.loupe.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit Loupe was built from, written into {@code git.properties} at build time
 * by the git-commit-id plugin (see app/pom.xml).
 */
record BuildInfo(String version, String commit, boolean dirty) {
  private static final String RESOURCE = "/dev/loupe/app/git.properties";

  static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Unreadable build information reads as unknown below.
    }
    return new BuildInfo(
        p.getProperty("git.build.version", "unknown"),
        p.getProperty("git.commit.id.abbrev", "unknown"),
        Boolean.parseBoolean(p.getProperty("git.dirty", "false")));
  }

  /** {@code loupe 0.1.0 (commit 1a2b3c4)}, with {@code , with local changes} when built from a modified tree. */
  String line() {
    return "loupe " + version + " (commit " + commit + (dirty ? ", with local changes" : "") + ")";
  }
}
