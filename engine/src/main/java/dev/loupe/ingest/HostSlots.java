package dev.loupe.ingest;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * At most {@code perHost} fetches in flight per host (scheme, host and port), so that a dataset
 * listing thousands of pictures on one server does not flood it. Hosts without a fetch in flight
 * are forgotten, so memory is bounded by the fetches in flight, not by the hosts met.
 * Thread-safe.
 */
final class HostSlots {
  private final int perHost;
  private final Map<String, Integer> inFlight = new HashMap<>();

  HostSlots(int perHost) {
    this.perHost = perHost;
  }

  /** The key of an http(s) location, or null for anything else (files, data URLs: not limited). */
  static String hostOf(String location) {
    if (!location.regionMatches(true, 0, "http://", 0, 7) && !location.regionMatches(true, 0, "https://", 0, 8)) {
      return null;
    }
    try {
      URI uri = URI.create(location.strip());
      return uri.getHost() == null ? null
          : uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
    } catch (IllegalArgumentException e) {
      return null; // The fetcher reports the bad URL.
    }
  }

  /** Waits for a slot on {@code host} (no wait when null). */
  synchronized void acquire(String host) throws InterruptedException {
    if (host == null) {
      return;
    }
    while (inFlight.getOrDefault(host, 0) >= perHost) {
      wait();
    }
    inFlight.merge(host, 1, Integer::sum);
  }

  /** Gives back a slot taken by {@link #acquire}. */
  synchronized void release(String host) {
    if (host == null) {
      return;
    }
    inFlight.computeIfPresent(host, (h, n) -> n == 1 ? null : n - 1);
    notifyAll();
  }
}
