package dev.loupe.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Attaches the run's seed to the failure of a test whose class used {@link TestSeed}: in the message
 * of a failed assertion, as a suppressed note on any other exception. Registered for every
 * test by JUnit's extension auto-detection (the parent pom turns it on; the service file is in this
 * module's test jar).
 */
public final class SeedReporter implements TestExecutionExceptionHandler {
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    if (context.getTestClass().filter(TestSeed::usedBy).isEmpty()) {
      throw failure;
    }
    if (failure instanceof AssertionError assertion) {
      // The seed goes into the message itself, so that Surefire's one-line summary shows it.
      throw new AssertionError(assertion.getMessage() + TestSeed.rerunHint(), assertion);
    }
    failure.addSuppressed(new SeedUsed(TestSeed.rerunHint().strip()));
    throw failure;
  }

  /** Carries the seed into the failure's report; never thrown on its own. */
  static final class SeedUsed extends RuntimeException {
    SeedUsed(String message) {
      super("randomized test " + message, null, false, false);
    }
  }
}
