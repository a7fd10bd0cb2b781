package dev.loupe.protocol.completion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.image.ImageLoader;
import dev.loupe.protocol.ApiException;
import dev.loupe.runs.Capabilities;
import dev.loupe.runs.routing.ModelRoute;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.tools.LoupeSearchBackend;
import dev.loupe.video.FrameList;
import dev.loupe.video.FrameSampler;
import dev.loupe.video.VideoLimits;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A chat-shaped completion request without a wire: what the Chat Completions API (contract 6) and
 * DashScope's native API (contract 7, translated into the chat request it means) share. {@link
 * #prepare} checks a Chat Completions body and reads its images and videos; the wire's call then
 * {@linkplain CompletionCall#run runs} it into its own {@link CompletionWriter}.
 *
 * <p><b>Which path.</b> The request's {@code model} goes through the same {@link ModelRoutes} as the
 * Responses API. The builtin model answers requests that only need {@code image_search}: with the
 * tool in {@code tools} it searches each image and summarises the hits, exactly as on the Responses
 * path. Images without the tool need a vision model, so the builtin model refuses them with 400
 * naming {@code LOUPE_UPSTREAM_URL} and {@code --models}. A backend that takes client tools (an
 * OpenAI-compatible upstream) gets the request passed through, functions and thinking fields and
 * all, its {@code reasoning_content} streamed back; with {@code image_search} in {@code tools} it
 * runs its own {@code image_search} turn instead. Which a backend can do is its {@link
 * dev.loupe.runs.Capabilities}, never its class.
 *
 * <p><b>Images</b> are read and checked before anything runs (contract 8.3): data URLs locally,
 * http(s) URLs under the engine's fetch policy. Each is sized by {@link
 * dev.loupe.protocol.qwen.SmartResize} with the route's {@link
 * dev.loupe.runs.routing.VisionFamily}, {@code vl_high_resolution_images} and its own {@code
 * max_pixels}/{@code min_pixels}; an upstream receives it re-encoded at exactly that size, and
 * {@code usage.prompt_tokens_details.image_tokens} reports {@code (h'/f)·(w'/f) + 2} per image,
 * included in {@code prompt_tokens}.
 *
 * <p><b>Videos</b> ({@code video} frame lists and {@code video_url} files, contract 6.1 and 8.4)
 * are read and sampled before anything runs, with {@link VideoLimits#defaults()}: a frame list of
 * fewer than 4 images, a file that is not a video, too short or too long is refused with 400 {@code
 * invalid_video} and a message naming the limit and the value. See {@link PreparedVideo}. An
 * upstream receives each video as a text part "The following N images are frames of one video
 * sampled at F fps." followed by N {@code image_url} parts (JPEG data URLs, smart-resized), not as a
 * video part: OpenAI-compatible servers differ in whether and how they accept video (vLLM takes
 * {@code video_url} only for some models, most others none), while every vision model takes
 * images. Frame tokens ({@code (h'/f)·(w'/f) + 2} each) are included in {@code prompt_tokens}; Chat
 * usage has no video field. The builtin model refuses videos with 400 naming {@code
 * LOUPE_UPSTREAM_URL}, even with {@code image_search}.
 *
 * <p>Thread-safe and stateless; every call blocks its own (virtual) thread.
 */
public final class CompletionService {
  private final ModelRoutes routes;
  private final ImageSearchTool tool;
  private final ImageFetcher fetcher;
  private final ImageLoader loader;
  private final Clock clock;
  private final FrameList frameList;
  private final FrameSampler sampler;

  /**
   * @param routes the model routes; the caller keeps owning them
   * @param fetcher reads image URLs (the engine's, so its fetch policy applies)
   * @param loader checks and decodes images (the engine's limits)
   */
  public CompletionService(ModelRoutes routes, ImageSearchTool tool, ImageFetcher fetcher, ImageLoader loader,
      Clock clock) {
    this.routes = Objects.requireNonNull(routes, "routes");
    this.tool = Objects.requireNonNull(tool, "tool");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.clock = Objects.requireNonNull(clock, "clock");
    VideoLimits videoLimits = VideoLimits.defaults();
    this.frameList = new FrameList(videoLimits, loader);
    this.sampler = new FrameSampler(videoLimits);
  }

  /**
   * The service over an engine: its fetch policy and image limits, its index searched by {@code
   * image_search} with results linking to {@code baseUrl + /v1/images/{id}/content}.
   */
  public static CompletionService forEngine(Loupe loupe, ModelRoutes models, Supplier<String> baseUrl) {
    ImageSearchTool tool = new ImageSearchTool(new LoupeSearchBackend(loupe), 100,
        id -> baseUrl.get() + "/v1/images/" + id + "/content");
    return new CompletionService(models, tool, loupe.fetcher(), new ImageLoader(loupe.config().limits()),
        Clock.systemUTC());
  }

  /**
   * Validates the body, resolves the model and reads every image. Costs one fetch per remote image
   * and a header probe per image; nothing is decoded or generated yet.
   *
   * @throws ApiException 400 for a bad body or image (contract 6.1, 8.3), 404 {@code model_not_found}
   */
  public CompletionCall prepare(ObjectNode body) throws ApiException {
    ChatRequest request = ChatRequestParser.parse(body);
    ModelRoute route = routes.route(request.model()).orElseThrow(() -> ApiException.modelNotFound(request.model()));
    Capabilities can = route.backend().capabilities();
    if (!can.video() && !request.videos().isEmpty()) {
      // image_search searches images, never videos: no builtin path can use a video at all.
      throw ApiException.invalid("model", "model_not_supported", "The model '" + request.model()
          + "' is served by Loupe's builtin model, which cannot watch videos. To understand video, route this"
          + " model to a vision model with " + RoutesConfig.ENV_URL
          + " (an OpenAI-compatible base URL such as a vLLM server) or a --models file.");
    }
    if (!can.images() && !request.images().isEmpty() && !request.imageSearch()) {
      // The issue: "requests that need real image understanding get a clear error naming the setting".
      throw ApiException.invalid("model", "model_not_supported", "The model '" + request.model()
          + "' is served by Loupe's builtin model, which cannot look at images: it only searches them when the"
          + " request offers the image_search tool (\"tools\": [{\"type\": \"image_search\"}]). To understand"
          + " images, route this model to a vision model with " + RoutesConfig.ENV_URL
          + " (an OpenAI-compatible base URL such as a vLLM server) or a --models file.");
    }
    int factor = route.visionFamily().factor();
    List<PreparedImage> images = new ArrayList<>();
    for (ChatImage image : request.images()) {
      images.add(PreparedImage.read(image, fetcher, loader, factor, request.highResolution()));
    }
    List<PreparedVideo> videos = new ArrayList<>();
    for (ChatVideo video : request.videos()) {
      videos.add(PreparedVideo.read(video, fetcher, frameList, sampler, factor));
    }
    return new CompletionCall(request, route.backend(), images, videos, loader, tool, clock.instant().getEpochSecond());
  }
}
