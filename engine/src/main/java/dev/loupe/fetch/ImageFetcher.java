package dev.loupe.fetch;

import dev.loupe.fetch.FetchException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Reads image bytes from URLs, data URLs, Base64 text and local files under a {@link FetchPolicy}.
 *
 * <pre>{@code
 * try (ImageFetcher fetcher = new ImageFetcher(FetchPolicy.defaults())) {
 *   FetchedImage image = fetcher.readLocation("https://example.com/cat.jpg");
 *   DecodedImage pixels = loader.decode(image.bytes());
 * }
 * }</pre>
 *
 * <p>HTTP: redirects are followed here, not by the client, so that every hop is checked: its
 * scheme (http or https; a downgrade from https to http is allowed), its host's addresses against
 * the policy (before connecting), and the redirect count. Relative {@code Location}s resolve
 * against the hop that sent them. A declared {@code Content-Length} over the limit is refused
 * before the body is read, and the body is cut off as soon as it passes the limit, so memory stays
 * bounded by {@link FetchPolicy#maxBytes()}. The content type must be {@code image/*}, {@code
 * application/octet-stream} or absent; the image loader sniffs the bytes anyway.
 *
 * <p><b>DNS rebinding.</b> Addresses are checked by resolving the host, and the HTTP client then
 * resolves it again to connect; a hostile DNS server could answer a public address first and a
 * private one second. Closing that gap needs connecting to the checked address while presenting the
 * original host name (TLS SNI and certificate checks), which the JDK client does not offer. Deploy
 * behind an egress proxy or firewall where that matters; literal IP URLs are not affected.
 *
 * <p>{@link FetchPolicy#mirrors() Mirrors} rewrite each hop's URL before its checks, so a mirrored
 * URL meets the same scheme, address and redirect rules as one sent as it is.
 *
 * <p>Local files are read from any readable path: a server must not pass {@link
 * ImageReference.LocalFile} references from remote callers to this class.
 *
 * <p>Thread-safe; share one instance. It owns an {@link HttpClient} and its pool of daemon threads
 * named {@code loupe-fetch-N}; {@link #close()} releases them.
 */
public final class ImageFetcher implements AutoCloseable {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final FetchPolicy policy;
  private final AddressGuard guard;
  private final ExecutorService executor;
  private final ScheduledExecutorService deadlines;
  private final HttpClient client;

  public ImageFetcher(FetchPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.guard = new AddressGuard(policy);
    this.executor = Executors.newCachedThreadPool(
        Thread.ofPlatform().name("loupe-fetch-", 1).daemon(true).factory());
    this.deadlines = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("loupe-fetch-deadline").daemon(true).factory());
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(policy.connectTimeout())
        .executor(executor)
        .build();
  }

  public FetchPolicy policy() {
    return policy;
  }

  /**
   * {@link ImageReference#parse(String) Parses} the location, then reads it: a local path or
   * {@code file:} URL included. For the command line and local ingest only; what a remote caller
   * names is read with {@link #read(RemoteImage)}.
   */
  public FetchedImage readLocation(String location) throws FetchException {
    return read(ImageReference.parse(location));
  }

  /** Reads an image a remote caller named: never a file of this machine. */
  public FetchedImage read(RemoteImage image) throws FetchException {
    return readRemote(image, false);
  }

  /** Reads a video a remote caller named, as {@link #readVideo(String)} does. */
  public FetchedImage readVideo(RemoteImage video) throws FetchException {
    return readRemote(video, true);
  }

  private FetchedImage readRemote(RemoteImage image, boolean video) throws FetchException {
    return switch (image) {
      case RemoteImage.Url url -> read(new ImageReference.RemoteUrl(url.uri()), video);
      case RemoteImage.Data data -> read(data.url(), video);
      case RemoteImage.Upload upload -> new FetchedImage(upload.bytes(), null, upload.describe());
    };
  }

  /**
   * Reads the referenced bytes. Blocks for at most about {@link FetchPolicy#totalTimeout()} (DNS
   * lookups use the system resolver's own timeout).
   *
   * @throws FetchException naming the location and the failed limit or error
   */
  public FetchedImage read(ImageReference reference) throws FetchException {
    return read(reference, false);
  }

  /**
   * Reads a video file the way {@link #readLocation(String)} reads an image: the same address, redirect,
   * time and {@link FetchPolicy#maxBytes()} checks, but the content type must be {@code video/*},
   * {@code application/octet-stream} or absent. The bytes are not checked to be a video; the
   * video sampler sniffs them.
   *
   * @throws FetchException naming the location and the failed limit or error
   */
  public FetchedImage readVideo(String location) throws FetchException {
    return read(ImageReference.parse(location), true);
  }

  private FetchedImage read(ImageReference reference, boolean video) throws FetchException {
    return switch (reference) {
      case ImageReference.RemoteUrl url -> {
        FetchedPage page = readUrl(url.uri(), video ? Wanted.VIDEO : Wanted.IMAGE);
        yield new FetchedImage(page.body(), page.contentType(), page.location());
      }
      case ImageReference.LocalFile file -> readFile(file.path());
      case ImageReference.DataUrl data -> readDataUrl(data, video);
      case ImageReference.Base64Data data -> {
        InlineData.checkLength(data.describe(), data.text(), policy.maxBytes());
        yield new FetchedImage(InlineData.base64(data.describe(), data.text()), null, data.describe());
      }
    };
  }

  private FetchedImage readDataUrl(ImageReference.DataUrl data, boolean video) throws FetchException {
    String where = data.describe();
    if (!data.mediaType().isEmpty() && !accepted(data.mediaType(), video)) {
      throw new FetchException(Reason.BAD_CONTENT_TYPE, where + ": content type "
          + data.mediaType() + (video ? " is not a video" : " is not an image"));
    }
    InlineData.checkLength(where, data.payload(), policy.maxBytes());
    byte[] bytes = data.base64()
        ? InlineData.base64(where, data.payload())
        : InlineData.percentDecoded(where, data.payload());
    return new FetchedImage(bytes, data.mediaType().isEmpty() ? null : data.mediaType(), where);
  }

  private FetchedImage readFile(Path path) throws FetchException {
    String where = path.toString();
    try {
      if (Files.isDirectory(path)) {
        throw new FetchException(Reason.BAD_REFERENCE, where + ": is a directory, not a file");
      }
      long size = Files.size(path);
      if (size > policy.maxBytes()) {
        throw tooLargeFile(where, size);
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(path)) {
        // The file may have grown since size(): read one byte past the limit to notice.
        bytes = in.readNBytes((int) policy.maxBytes() + 1);
      }
      if (bytes.length > policy.maxBytes()) {
        throw new FetchException(Reason.TOO_LARGE,
            where + ": file is larger than " + policy.maxBytes() + " bytes");
      }
      return new FetchedImage(bytes, null, where);
    } catch (NoSuchFileException e) {
      throw new FetchException(Reason.NOT_FOUND, where + ": no such file");
    } catch (AccessDeniedException e) {
      throw new FetchException(Reason.NOT_FOUND, where + ": permission denied");
    } catch (IOException e) {
      throw new FetchException(Reason.NOT_FOUND, where + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private FetchException tooLargeFile(String where, long size) {
    return new FetchException(Reason.TOO_LARGE,
        where + ": file is " + size + " bytes; at most " + policy.maxBytes() + " bytes are allowed");
  }

  /**
   * Reads a web page, sitemap or robots.txt for a crawler, under the same address, redirect, time
   * and size checks as images. Unlike {@link #read(String)}, a final status other than 200 is
   * returned rather than thrown (robots.txt rules depend on it; a 304 answers a conditional GET),
   * with an empty body; only a 200's body is read.
   *
   * @param url an http(s) URL
   * @param userAgent the {@code User-Agent} header to send
   * @param headers further request headers, for example {@code If-None-Match}
   * @param acceptedTypes media types accepted for a 200 (compared without parameters); another
   *     declared type fails with {@link Reason#BAD_CONTENT_TYPE}; an absent type is accepted
   * @param follow asked before each redirect hop is followed, with the hop's target (resolved against
   *     the previous URL, before mirrors and the address rules); when it answers false the redirect is
   *     returned as it is: its status, an empty body, and the target as {@link
   *     FetchedPage#location()}. A crawler uses it to check each hop against robots.txt.
   * @throws FetchException naming the URL and the failed limit or error
   */
  public FetchedPage readPage(URI url, String userAgent, Map<String, String> headers,
      Set<String> acceptedTypes, Predicate<URI> follow) throws FetchException {
    return readUrl(url, new Wanted(String.join(", ", acceptedTypes), acceptedTypes::contains,
        "is not one of " + String.join(", ", new TreeSet<>(acceptedTypes)), userAgent,
        headers, true, follow));
  }

  /** Whether {@code status} is a redirect this fetcher follows (when the hop is allowed). */
  public static boolean isRedirect(int status) {
    return REDIRECTS.contains(status);
  }

  /**
   * Reads an image as {@link #read(String)} does, sending {@code userAgent} and {@code headers}
   * (for a crawler: its own User-Agent token, conditional GET headers). A 304 is returned as a
   * {@link FetchedPage} with an empty body, and so is a redirect that {@code follow} declined (as
   * {@link #readPage} does); other statuses than 200 and 304 fail.
   */
  public FetchedPage readImage(URI url, String userAgent, Map<String, String> headers,
      Predicate<URI> follow) throws FetchException {
    FetchedPage page = readUrl(url, new Wanted(Wanted.IMAGE.accept, ImageFetcher::isImageType,
        Wanted.IMAGE.refusal, userAgent, headers, true, follow));
    if (page.status() != 200 && page.status() != 304 && !isRedirect(page.status())) {
      throw new FetchException(Reason.HTTP_STATUS, page.where() + ": HTTP " + page.status());
    }
    return page;
  }

  /** What a fetch asks for and accepts. */
  private record Wanted(String accept, Predicate<String> acceptedType,
      String refusal, String userAgent, Map<String, String> headers, boolean anyStatus,
      Predicate<URI> follow) {
    static final Wanted IMAGE = new Wanted("image/*, application/octet-stream;q=0.5",
        ImageFetcher::isImageType, "is not an image", "Loupe image fetcher", Map.of(), false,
        hop -> true);
    static final Wanted VIDEO = new Wanted("video/*, application/octet-stream;q=0.5",
        type -> accepted(type, true), "is not a video", "Loupe image fetcher", Map.of(), false,
        hop -> true);
  }

  private FetchedPage readUrl(URI start, Wanted wanted) throws FetchException {
    long deadline = System.nanoTime() + policy.totalTimeout().toNanos();
    URI current = start;
    int redirects = 0;
    while (true) {
      String where = redirects == 0 ? start.toString() : start + " (redirected to " + current + ")";
      URI mirrored = mirror(where, current);
      if (mirrored != current) {
        where += " (mirrored to " + mirrored + ")";
        current = mirrored;
      }
      checkAddresses(where, current);
      HttpResponse<byte[]> response = send(where, current, deadline, wanted);
      int status = response.statusCode();
      if (REDIRECTS.contains(status)) {
        String location = response.headers().firstValue("location").orElse(null);
        if (location == null) {
          throw new FetchException(Reason.HTTP_STATUS,
              where + ": HTTP " + status + " without a Location header");
        }
        if (++redirects > policy.maxRedirects()) {
          throw new FetchException(Reason.TOO_MANY_REDIRECTS,
              start + ": more than " + policy.maxRedirects() + " redirects");
        }
        URI target = resolveRedirect(where, current, location);
        if (!wanted.follow().test(target)) {
          // A redirect status with a Location whose hop was declined: returned, not failed.
          return new FetchedPage(status, new byte[0], null, target.toString(), where,
              response.headers().map());
        }
        current = target;
        continue;
      }
      if (status != 200) {
        if (wanted.anyStatus()) {
          return new FetchedPage(status, new byte[0], null, current.toString(), where,
              response.headers().map());
        }
        throw new FetchException(Reason.HTTP_STATUS, where + ": HTTP " + status);
      }
      String contentType = mediaType(response);
      if (contentType != null && !wanted.acceptedType().test(contentType)) {
        throw new FetchException(Reason.BAD_CONTENT_TYPE,
            where + ": content type " + contentType + " " + wanted.refusal());
      }
      long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
      if (declared > policy.maxBytes()) {
        throw new FetchException(Reason.TOO_LARGE, where + ": response is " + declared
            + " bytes; at most " + policy.maxBytes() + " bytes are allowed");
      }
      return new FetchedPage(status, response.body(), contentType, current.toString(), where,
          response.headers().map());
    }
  }

  /** {@code uri} rewritten by the policy's mirrors, or the same instance when none matches. */
  private URI mirror(String where, URI uri) throws FetchException {
    String text = uri.toString();
    String rewritten = policy.mirrored(text);
    if (rewritten.equals(text)) {
      return uri;
    }
    try {
      return new URI(rewritten);
    } catch (URISyntaxException e) {
      throw new FetchException(Reason.BAD_REFERENCE,
          where + ": mirror rewrote it to an invalid URL: " + ReferenceSyntax.shorten(rewritten));
    }
  }

  private static URI resolveRedirect(String where, URI from, String location)
      throws FetchException {
    URI target;
    try {
      target = from.resolve(location.strip());
    } catch (IllegalArgumentException e) {
      throw new FetchException(Reason.BAD_REFERENCE,
          where + ": redirect to an invalid URL: " + ReferenceSyntax.shorten(location));
    }
    return target;
  }

  /** Scheme and every resolved address of the host, before any connection is made. */
  private void checkAddresses(String where, URI uri) throws FetchException {
    guard.check(where, uri);
  }

  private HttpResponse<byte[]> send(String where, URI uri, long deadline, Wanted wanted)
      throws FetchException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw totalTimeout(where);
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofNanos(remaining))
        .header("Accept", wanted.accept())
        .header("User-Agent", wanted.userAgent());
    wanted.headers().forEach(builder::header);
    HttpRequest request = builder.GET().build();
    // Blocking send(), not sendAsync(): the JDK completes sendAsync's future through the common
    // fork-join pool, which has a single worker on a 2-core machine, so any task blocking that pool
    // stalled every fetch until its timeout. The request timeout covers only the wait for headers;
    // the watchdog bounds the body too by interrupting this thread, which cancels the exchange.
    Thread caller = Thread.currentThread();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> watchdog = deadlines.schedule(() -> {
      expired.set(true);
      caller.interrupt();
    }, remaining, TimeUnit.NANOSECONDS);
    try {
      return client.send(request, info -> {
        // Only a 200 with an acceptable type and size is worth reading; cancel the rest at once.
        boolean worthReading = info.statusCode() == 200
            && info.headers().firstValueAsLong("content-length").orElse(-1) <= policy.maxBytes()
            && info.headers().firstValue("content-type").map(ImageFetcher::stripParameters)
                .map(type -> type.isEmpty() || wanted.acceptedType().test(type)).orElse(true);
        return worthReading ? new CappedBody(policy.maxBytes()) : CappedBody.discarding();
      });
    } catch (InterruptedException e) {
      if (expired.get()) {
        throw totalTimeout(where);
      }
      Thread.currentThread().interrupt();
      throw new FetchException(Reason.UNREACHABLE, where + ": interrupted");
    } catch (IOException e) {
      if (expired.get()) {
        throw totalTimeout(where);
      }
      throw failure(where, uri, e);
    } finally {
      watchdog.cancel(false);
      if (expired.get()) {
        Thread.interrupted(); // The watchdog's interrupt must not leak to the caller's next wait.
      }
    }
  }

  private FetchException failure(String where, URI uri, Throwable error) {
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    // The JDK client wraps some causes in a plain IOException; look one level further.
    Throwable cause = error.getCause();
    if (error instanceof CappedBody.TooLarge || cause instanceof CappedBody.TooLarge) {
      return new FetchException(Reason.TOO_LARGE,
          where + ": response is larger than " + policy.maxBytes() + " bytes");
    }
    if (error instanceof HttpConnectTimeoutException) {
      return new FetchException(Reason.TIMEOUT,
          where + ": no connection within " + seconds(policy.connectTimeout()), error);
    }
    if (error instanceof HttpTimeoutException) {
      return totalTimeout(where);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    if (error instanceof ConnectException || cause instanceof ConnectException) {
      return new FetchException(Reason.UNREACHABLE,
          where + ": connection to " + uri.getHost() + ":" + port + " refused", error);
    }
    if (error instanceof SSLException) {
      return new FetchException(Reason.UNREACHABLE,
          where + ": TLS failed (" + error.getMessage() + ")", error);
    }
    return new FetchException(Reason.UNREACHABLE, where + ": " + (error.getMessage() == null
        ? error.getClass().getSimpleName() : error.getMessage()), error);
  }

  private FetchException totalTimeout(String where) {
    return new FetchException(Reason.TIMEOUT,
        where + ": no complete response within " + seconds(policy.totalTimeout()));
  }

  private static String seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  private static String mediaType(HttpResponse<?> response) {
    return response.headers().firstValue("content-type").map(ImageFetcher::stripParameters)
        .filter(type -> !type.isEmpty()).orElse(null);
  }

  private static String stripParameters(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip().toLowerCase(Locale.ROOT);
  }

  private static boolean accepted(String mediaType, boolean video) {
    return video
        ? mediaType.isEmpty() || mediaType.startsWith("video/")
            || mediaType.equals("application/octet-stream")
        : isImageType(mediaType);
  }

  static boolean isImageType(String mediaType) {
    return mediaType.isEmpty() || mediaType.startsWith("image/")
        || mediaType.equals("application/octet-stream");
  }

  /** Stops the HTTP client and its threads; fetches in progress fail. */
  @Override
  public void close() {
    client.shutdownNow();
    executor.shutdownNow();
    deadlines.shutdownNow();
  }
}
