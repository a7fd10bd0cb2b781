package dev.loupe.fetch;

import dev.loupe.fetch.FetchException.Reason;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The address rules of a {@link FetchPolicy} for one URL, before any connection is made: the scheme
 * (http or https), numeric host forms, and every address the host resolves to. Shared by {@link
 * ImageFetcher} and by anything else that downloads under the same policy (model downloads), so that
 * {@code --allow-private-addresses} means the same everywhere.
 */
public final class AddressGuard {
  private final FetchPolicy policy;
  private final List<AddressRange> allowed;

  public AddressGuard(FetchPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.allowed = policy.allowedAddresses().stream().map(AddressRange::parse).toList();
  }

  /**
   * Refuses {@code uri} unless the policy allows contacting it; {@code where} starts the message.
   *
   * @throws FetchException {@link Reason#BAD_REFERENCE}, {@link Reason#UNREACHABLE} (unknown host) or
   *     {@link Reason#BLOCKED_ADDRESS}
   */
  public void check(String where, URI uri) throws FetchException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(Reason.BAD_REFERENCE,
          where + ": unsupported scheme " + scheme + ": (only http and https are fetched)");
    }
    // Redirects and mirrors give new URLs: the same refusal of ambiguous numeric hosts applies.
    NumericHost.check(where, uri);
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new FetchException(Reason.BAD_REFERENCE, where + ": URL has no host");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new FetchException(Reason.UNREACHABLE, where + ": unknown host " + host);
    }
    if (policy.allowPrivateAddresses()) {
      return;
    }
    // All addresses, not just the first: the client may connect to any of them.
    for (InetAddress address : addresses) {
      String kind = AddressRange.nonPublicKind(address);
      if (kind != null && allowed.stream().noneMatch(range -> range.contains(address))) {
        throw new FetchException(Reason.BLOCKED_ADDRESS, where + ": address "
            + address.getHostAddress() + " is " + kind
            + "; fetching private addresses is disabled (loupe --allow-private-addresses allows it)");
      }
    }
  }
}
