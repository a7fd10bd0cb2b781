/**
 * Stored responses in an embedded SQLite database, for {@code GET /v1/responses/{id}}, its input
 * items and {@code previous_response_id}. Holds JSON documents as opaque text; the protocol package
 * owns their shape.
 */
package dev.loupe.store;
