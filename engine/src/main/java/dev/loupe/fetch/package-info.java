/**
 * Image locations to bytes, safely: {@link dev.loupe.fetch.ImageReference} parses what users send
 * (http(s) and data URLs, Base64, local paths) and {@link dev.loupe.fetch.ImageFetcher} reads it
 * under a {@link dev.loupe.fetch.FetchPolicy} of time, size, redirect and address limits. The bytes
 * are not validated as an image here; that is {@code dev.loupe.image}'s job.
 */
package dev.loupe.fetch;
