package dev.loupe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Counts the JSON-RPC requests read from a stdio client and the responses written back (MCP's stdio
 * transport sends one message per line), so that when the client closes its input {@code loupe mcp}
 * can answer what it already sent before it exits.
 */
final class JsonRpcLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long answerSeconds;
  private long requests;
  private long responses;
  private boolean ended;

  /** @param answerSeconds how long the requests read before the input ended may take to be answered */
  JsonRpcLines(long answerSeconds) {
    this.answerSeconds = answerSeconds;
  }

  /**
   * {@code in}, counting the requests in it. Its end is held back until every request read has been
   * answered (at most {@code answerSeconds}): the transport stops taking work when its input ends.
   */
  InputStream reading(InputStream in) {
    return new FilterInputStream(in) {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
          drainThenEnd();
        } else {
          take(b);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        if (n < 0) {
          drainThenEnd();
        }
        for (int i = 0; i < n; i++) {
          take(buffer[off + i]);
        }
        return n;
      }

      private void take(int b) {
        if (b == '\n') {
          if (isRequest(line.toByteArray())) {
            counted(true);
          }
          line.reset();
        } else {
          line.write(b);
        }
      }
    };
  }

  /** {@code out}, counting the responses written to it. */
  OutputStream writing(OutputStream out) {
    return new FilterOutputStream(out) {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        take(b);
      }

      @Override
      public void write(byte[] buffer, int off, int len) throws IOException {
        out.write(buffer, off, len);
        for (int i = 0; i < len; i++) {
          take(buffer[off + i]);
        }
      }

      private void take(int b) {
        if (b == '\n') {
          if (isResponse(line.toByteArray())) {
            counted(false);
          }
          line.reset();
        } else {
          line.write(b);
        }
      }
    };
  }

  private static JsonNode parse(byte[] line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null; // not JSON: the transport answers it, or not, by itself
    }
  }

  private static boolean isRequest(byte[] line) {
    JsonNode message = parse(line);
    return message != null && message.has("method") && message.has("id");
  }

  private static boolean isResponse(byte[] line) {
    JsonNode message = parse(line);
    return message != null && message.has("id") && !message.has("method")
        && (message.has("result") || message.has("error"));
  }

  private synchronized void counted(boolean request) {
    if (request) {
      requests++;
    } else {
      responses++;
    }
    notifyAll();
  }

  private void drainThenEnd() throws IOException {
    try {
      if (!awaitAnswered(answerSeconds)) {
        System.err.println("loupe mcp: the input ended with requests unanswered after " + answerSeconds
            + " s; stopping");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while answering the last requests");
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /** Waits until the input has ended (and what it asked was answered, or the wait gave up). */
  synchronized void awaitEnd() throws InterruptedException {
    while (!ended) {
      wait();
    }
  }

  /** Waits until every request read has its response, at most {@code seconds}; whether it had. */
  private synchronized boolean awaitAnswered(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (responses < requests) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
