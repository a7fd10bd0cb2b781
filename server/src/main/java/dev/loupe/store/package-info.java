/**
 * Stored responses in an embedded SQLite database, for {@code GET /v1/responses/{id}}, its input
 * items and {@code previous_response_id}, bounded by a {@link dev.loupe.store.ResponseRetention}.
 * Holds JSON documents as text whose shape the protocol package owns; only Base64 image data URLs
 * inside them are recognised, to keep each image once by content hash.
 */
package dev.loupe.store;
