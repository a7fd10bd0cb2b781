/**
 * HTTP plumbing shared by every route of the server: the OpenAI error envelope and the one place
 * that maps failures to statuses ({@link dev.loupe.server.http.ErrorMapping}), request ids, and
 * request bodies read under a size cap. Protocol layers mounted on the server use these too, so
 * that every path answers errors the same way.
 */
package dev.loupe.server.http;
