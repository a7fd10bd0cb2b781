package dev.loupe.fetch;

/** Placeholder until the fetcher lands. */
public record FetchPolicy(boolean allowPrivateAddresses) {
  public static FetchPolicy defaults() {
    return new FetchPolicy(false);
  }

  public FetchPolicy withPrivateAddressesAllowed() {
    return new FetchPolicy(true);
  }
}
