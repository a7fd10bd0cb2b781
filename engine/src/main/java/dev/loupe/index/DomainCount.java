package dev.loupe.index;

/**
 * How many images have at least one occurrence on a host.
 *
 * @param domain the host, lower-case, without {@code www.}
 * @param images distinct images seen there
 */
public record DomainCount(String domain, long images) {}
