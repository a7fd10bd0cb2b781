/**
 * The OpenAI Responses API wire format (contract sections 2, 3, 5 and 8.1): request parsing and
 * validation, the Response object, stream events and their SSE framing. {@link
 * dev.loupe.protocol.responses.ResponsesService} is the one entry point; the HTTP layer only moves
 * bytes and writes a {@link dev.loupe.protocol.ApiException} in the route's envelope.
 */
package dev.loupe.protocol.responses;
