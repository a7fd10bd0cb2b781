package dev.loupe.store;

import java.util.Objects;

/**
 * One stored response.
 *
 * @param id the response id
 * @param createdAt Unix seconds
 * @param response the Response object JSON, as returned to the client
 * @param inputItems this request's input items, a JSON array (the {@code input_items} route)
 * @param conversation every item the model saw before answering (earlier turns and this input), a
 *     JSON array; a later {@code previous_response_id} continues from it plus the output
 */
public record StoredResponse(String id, long createdAt, String response, String inputItems, String conversation) {
  public StoredResponse {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(inputItems, "inputItems");
    Objects.requireNonNull(conversation, "conversation");
  }
}
