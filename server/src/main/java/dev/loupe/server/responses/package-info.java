/**
 * The Responses API over HTTP: frames what {@link dev.loupe.protocol.responses.ResponsesService}
 * produces, as JSON or as server-sent events, under the three route prefixes of the contract.
 */
package dev.loupe.server.responses;
