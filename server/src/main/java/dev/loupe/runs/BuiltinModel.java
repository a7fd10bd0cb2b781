package dev.loupe.runs;

import dev.loupe.search.SearchRequest;
import dev.loupe.tools.ImageSearchArguments;
import dev.loupe.tools.ImageSearchResult;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.tools.ListedHit;
import java.util.ArrayList;
import java.util.List;

/**
 * The model that needs no weights. It searches every image of the new input (one {@code
 * image_search} call per image, within {@code tool_choice} and {@code max_tool_calls}), then writes a
 * summary grounded only in the hits, in the language of the user's text (English, Chinese or
 * Japanese, by script). With a text-capable embedding model the user's words steer the ranking of
 * the similar images, and the summary says so. A turn with words but no image is answered from the
 * latest earlier search's results ({@link FollowUp}); without those it asks for an image, without
 * calling the tool (contract 2.2).
 *
 * <p>Usage: input tokens count the instructions, every text in the conversation, each image's
 * tokens as the protocol counted them by the route's rule ({@link ImagePart#billedTokens()}:
 * {@link TokenCounter#IMAGE_TOKENS} for an image it did not count), and every tool result in the conversation, this turn's
 * included, because results are added to the prompt (seed 002, "Billing"). Output tokens count the
 * answer. Stateless and thread-safe.
 */
public final class BuiltinModel implements ModelBackend {
  /** The text is streamed in pieces of about this many characters. */
  static final int DELTA_CHARS = 24;

  private final int resultsPerCall;

  /** @param resultsPerCall how many results each call asks for, 1 to 100; the tool may cap it lower */
  public BuiltinModel(int resultsPerCall) {
    if (resultsPerCall < 1 || resultsPerCall > SearchRequest.MAX_TOP_K) {
      throw new IllegalArgumentException(
          "resultsPerCall must be between 1 and " + SearchRequest.MAX_TOP_K + ", got: " + resultsPerCall);
    }
    this.resultsPerCall = resultsPerCall;
  }

  /** Ten results per call, as the JP seed's hosted tool returns. */
  public BuiltinModel() {
    this(10);
  }

  /** It searches images without looking at them, and writes text; no client tools, no thinking. */
  @Override
  public Capabilities capabilities() {
    return Capabilities.SEARCH_ONLY;
  }

  @Override
  public Finish run(RunRequest request, RunContext context) throws Exception {
    StringBuilder userText = new StringBuilder();
    List<ImagePart> images = new ArrayList<>();
    for (ConversationItem item : request.input()) {
      if (item instanceof Message m && m.role() == Role.USER) {
        userText.append(m.text()).append('\n');
        images.addAll(m.images());
      }
    }
    SummaryWriter writer = new SummaryWriter(Language.detect(userText.toString()));
    List<ImageSearchResult> results = new ArrayList<>();
    String answer;
    String question = userText.toString().strip();
    List<ListedHit> earlier = images.isEmpty() && !question.isEmpty() ? FollowUp.earlierHits(request) : List.of();
    if (!earlier.isEmpty()) {
      answer = new FollowUp(Language.detect(question)).answer(question, earlier, context.imageSearch());
    } else if (images.isEmpty()) {
      answer = writer.needsImage();
    } else if (!request.imageSearchAllowed()) {
      answer = writer.searchNotAllowed(images.size());
    } else {
      int calls = request.maxToolCalls() == null ? images.size() : Math.min(images.size(), request.maxToolCalls());
      String query = userText.toString().strip();
      for (int i = 0; i < calls; i++) {
        String id = context.newId("isc");
        context.emit(new RunEvent.ToolCallStarted(id, ImageSearchTool.NAME));
        context.emit(new RunEvent.ToolCallSearching(id));
        ImageSearchResult result = context.imageSearch().run(
            ImageSearchArguments.ofUrl(images.get(i).url(), query.isEmpty() ? null : query, resultsPerCall));
        context.emit(new RunEvent.ToolCallCompleted(id, result));
        results.add(result);
      }
      boolean steered = !query.isEmpty() && context.imageSearch().understandsText();
      answer = writer.results(images.size(), results, steered ? query : null);
    }

    boolean truncated = false;
    if (request.maxOutputTokens() != null && TokenCounter.count(answer) > request.maxOutputTokens()) {
      answer = TokenCounter.truncate(answer, request.maxOutputTokens());
      truncated = true;
    }
    // Every count is known before the answer streams: reported first, so that a wire showing a
    // running usage in each chunk (DashScope) shows the final input from its first chunk on.
    int input = TokenCounter.count(request.instructions());
    for (List<ConversationItem> items : List.of(request.history(), request.input())) {
      for (ConversationItem item : items) {
        input += switch (item) {
          case Message m -> TokenCounter.count(m.text()) + m.images().stream().mapToInt(ImagePart::billedTokens).sum();
          case ImageSearchCall c -> TokenCounter.count(c.output());
          case FunctionCall f -> TokenCounter.count(f.name()) + TokenCounter.count(f.arguments());
          case FunctionCallOutput o -> TokenCounter.count(o.output());
        };
      }
    }
    for (ImageSearchResult r : results) {
      input += TokenCounter.count(r.output());
    }
    context.emit(new RunEvent.UsageReported(new Usage(input, 0, TokenCounter.count(answer), 0,
        results.isEmpty() ? java.util.Map.of() : java.util.Map.of(ImageSearchTool.NAME, results.size()))));
    String messageId = context.newId("msg");
    context.emit(new RunEvent.MessageStarted(messageId));
    for (String piece : pieces(answer)) {
      context.emit(new RunEvent.TextDelta(messageId, piece));
    }
    context.emit(new RunEvent.MessageDone(messageId, answer, truncated));

    return truncated ? Finish.MAX_OUTPUT_TOKENS : Finish.COMPLETED;
  }

  /** Splits text into pieces of about {@link #DELTA_CHARS}, at whitespace when there is any. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + DELTA_CHARS);
      if (end < text.length()) {
        int space = -1;
        for (int i = end; i < Math.min(text.length(), end + 16); i++) {
          if (Character.isWhitespace(text.charAt(i))) {
            space = i + 1;
            break;
          }
        }
        end = space > 0 ? space : end;
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
          end++; // never split a surrogate pair across two deltas
        }
      }
      out.add(text.substring(start, end));
      start = end;
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return out;
  }
}
