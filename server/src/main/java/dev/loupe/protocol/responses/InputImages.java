package dev.loupe.protocol.responses;

import dev.loupe.protocol.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.protocol.qwen.ImageTokens;
import dev.loupe.protocol.qwen.PixelBounds;
import dev.loupe.protocol.qwen.VisionInput;
import dev.loupe.tools.FetchedImage;
import dev.loupe.tools.ImageSearchFailed;
import dev.loupe.tools.ImageSearchTool;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request's input images, read before the turn runs: fetched (an http(s) URL under the engine's
 * fetch policy) or decoded (a data URL), their headers checked against the engine's limits and the
 * contract's (8.3), and their tokens counted by the route's smart-resize rule (section 9), as Chat
 * Completions and the DashScope endpoint count them. An image that cannot be used is a 400 with the
 * contract's code before any stream starts (contract 2.5, 8.3); the run then searches the bytes read
 * here, so each image is fetched once.
 *
 * @param fetched the images read, by URL
 * @param tokens each image's tokens, by URL
 */
record InputImages(Map<String, FetchedImage> fetched, Map<String, Integer> tokens) {
  InputImages {
    fetched = Map.copyOf(fetched);
    tokens = Map.copyOf(tokens);
  }

  /**
   * Reads every {@code input_image} of the request's input.
   *
   * @param factor the route's patch factor, 32 or 28
   * @throws ApiException 400 with the code of contract 8.3 and the part's path in {@code param}
   */
  static InputImages read(ResponsesRequest request, ImageSearchTool tool, int factor) throws ApiException {
    Map<String, FetchedImage> fetched = new LinkedHashMap<>();
    Map<String, Integer> tokens = new HashMap<>();
    for (int i = 0; i < request.input().size(); i++) {
      JsonNode content = request.input().get(i).path("content");
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        if (!part.path("type").asText().equals("input_image")) {
          continue;
        }
        String url = part.path("image_url").asText();
        if (fetched.containsKey(url)) {
          continue;
        }
        String param = "input[" + i + "].content[" + j + "].image_url";
        FetchedImage image;
        try {
          image = tool.fetch(url);
        } catch (ImageSearchFailed e) {
          throw ApiException.invalid(param, e.code(), e.getMessage());
        }
        var refused = VisionInput.refusal(image.info());
        if (refused.isPresent()) {
          throw ApiException.invalid(param, refused.get().code(), refused.get().message());
        }
        try {
          tokens.put(url, ImageTokens.of(image.info().width(), image.info().height(),
              PixelBounds.of(factor, false, null, null)));
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid(param, "invalid_image", e.getMessage());
        }
        fetched.put(url, image);
      }
    }
    return new InputImages(fetched, tokens);
  }
}
