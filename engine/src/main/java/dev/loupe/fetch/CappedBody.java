package dev.loupe.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a cap and cancels the exchange as soon as the cap is passed, so a
 * huge or endless body costs at most {@code cap} bytes of memory. With a negative cap it cancels at
 * once, for responses whose body is not wanted (errors, redirects).
 */
final class CappedBody implements BodySubscriber<byte[]> {
  /** Signals that the body passed the cap; turned into {@code TOO_LARGE} by the fetcher. */
  static final class TooLarge extends IOException {
    TooLarge(long cap) {
      super("body larger than " + cap + " bytes");
    }
  }

  private final long cap;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  CappedBody(long cap) {
    this.cap = cap;
  }

  static CappedBody discarding() {
    return new CappedBody(-1);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cap < 0) {
      s.cancel();
      result.complete(new byte[0]);
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if ((long) out.size() + buffer.remaining() > cap) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(cap));
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      out.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }
}
