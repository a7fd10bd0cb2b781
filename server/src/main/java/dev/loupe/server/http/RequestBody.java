package dev.loupe.server.http;

import dev.loupe.protocol.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.Filter;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads a request body into memory under a byte cap, refusing with 413 before allocating when the
 * declared length is over the cap and as soon as a chunked body passes it.
 */
public final class RequestBody {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RequestBody() {}

  /**
   * The whole body, at most {@code maxBytes}; 413 {@code request_too_large} beyond; 408 {@code
   * request_timeout} when the client pauses longer than the request's {@linkplain #readTimeout read
   * timeout} (the connection is then closed).
   */
  public static byte[] read(ServerRequest request, long maxBytes) throws IOException {
    OptionalLong declared = request.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      throw tooLarge(maxBytes, declared.getAsLong());
    }
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    int initial = (int) Math.min(declared.orElse(8192), maxBytes);
    byte[] buffer = new byte[Math.max(initial, 16)];
    int length = 0;
    StallWatch watch = new StallWatch(request.context().get(ReadTimeout.class, ReadTimeout.class)
        .map(ReadTimeout::limit).orElse(DEFAULT_READ_TIMEOUT));
    try (InputStream in = request.content().inputStream()) {
      while (true) {
        if (length == buffer.length) {
          if (length >= maxBytes) {
            if (watch.read(in) < 0) {
              break;
            }
            throw tooLarge(maxBytes, -1);
          }
          buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes, (long) buffer.length * 2));
        }
        int n = watch.read(in, buffer, length, buffer.length - length);
        if (n < 0) {
          break;
        }
        length += n;
      }
    } catch (IOException | RuntimeException e) {
      if (watch.fired()) {
        throw stalled(length);
      }
      throw e;
    } finally {
      watch.close();
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  /** Used when no {@link #readTimeout} filter set one. */
  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** A request's body read timeout, kept in its context. */
  private record ReadTimeout(Duration limit) {}

  /**
   * A filter giving every request the longest pause allowed while its body is read. Helidon reads
   * sockets through NIO channels, where the socket's own read timeout does not apply, so the read
   * is watched here: a reader blocked longer than {@code limit} without a byte is interrupted,
   * which closes the connection (the channel is interruptible), and the request ends with 408.
   */
  public static Filter readTimeout(Duration limit) {
    ReadTimeout timeout = new ReadTimeout(Objects.requireNonNull(limit, "limit"));
    return (chain, request, response) -> {
      request.context().register(ReadTimeout.class, timeout);
      chain.proceed();
    };
  }

  /** Interrupts the reading thread when one read blocks longer than the limit. Used by one reader. */
  private static final class StallWatch implements AutoCloseable {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loupe-body-watchdog");
      t.setDaemon(true);
      return t;
    });

    private final Thread reader = Thread.currentThread();
    private final long limitNanos;
    private final ScheduledFuture<?> check;
    private long readSince; // guarded by this; 0 when not in a read
    private boolean fired; // guarded by this

    StallWatch(Duration limit) {
      this.limitNanos = limit.toNanos();
      long period = Math.clamp(limit.toMillis() / 4, 10, 1000);
      this.check = WATCHDOG.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    int read(InputStream in) throws IOException {
      enter();
      try {
        return in.read();
      } finally {
        leave();
      }
    }

    int read(InputStream in, byte[] buffer, int offset, int length) throws IOException {
      enter();
      try {
        return in.read(buffer, offset, length);
      } finally {
        leave();
      }
    }

    private synchronized void enter() {
      readSince = System.nanoTime();
    }

    private synchronized void leave() {
      readSince = 0;
    }

    private synchronized void check() {
      if (!fired && readSince != 0 && System.nanoTime() - readSince > limitNanos) {
        fired = true;
        reader.interrupt();
      }
    }

    synchronized boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      check.cancel(false);
      synchronized (this) {
        if (fired && Thread.currentThread() == reader) {
          Thread.interrupted(); // the worker thread goes back to its pool clean
        }
      }
    }
  }

  /**
   * The body as a JSON object, at most {@code maxBytes}. Malformed JSON is 400 {@code invalid_json};
   * anything but an object (an array, a number, nothing) is 400 too.
   */
  public static ObjectNode readJsonObject(ServerRequest request, long maxBytes) throws IOException {
    return parseJsonObject(read(request, maxBytes));
  }

  /** {@code body} as a JSON object, with the same errors as {@link #readJsonObject}. */
  public static ObjectNode parseJsonObject(byte[] body) {
    JsonNode node;
    try {
      node = body.length == 0 ? null : MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid_json", null,
          "The request body is not valid JSON: " + e.getOriginalMessage());
    } catch (CharConversionException e) {
      // Jackson reads a body whose first bytes look like UTF-32 as UTF-32, and reports bytes that
      // are not such text (a truncated or out-of-range unit, an odd byte order) this way.
      throw ApiException.badRequest("invalid_json", null,
          "The request body is not valid JSON: " + e.getMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading JSON from memory", e); // cannot happen
    }
    if (node == null || node.isMissingNode()) {
      throw ApiException.badRequest("invalid_json", null, "The request body is empty: send a JSON object.");
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.badRequest("invalid_json", null,
          "The request body must be a JSON object, got: " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return object;
  }

  /** 408: the body stopped arriving; the connection is closed after the answer ({@link ErrorMapping}). */
  private static ApiException stalled(int received) {
    return new ApiException(408, "invalid_request_error", "request_timeout", null,
        "The request body stopped arriving after " + received + " bytes: a pause longer than the server's read"
            + " timeout (loupe serve --read-timeout) ends the request.");
  }

  private static ApiException tooLarge(long maxBytes, long declared) {
    return new ApiException(413, "invalid_request_error", "request_too_large", null,
        "The request body is larger than the server accepts: at most " + maxBytes + " bytes"
            + (declared >= 0 ? ", got: " + declared : "") + ".");
  }
}
