package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The exact bytes of a native stream (contract 7.3), one event per chunk:
 *
 * <pre>
 * id:1
 * event:result
 * :HTTP_STATUS/200
 * data:{...}
 * </pre>
 *
 * followed by a blank line, with no space after the colons, as the hosted service writes them. A
 * failure is {@code event:error} with the native envelope (7.4). There is no end marker: the stream
 * ends when the connection closes. Serve with {@code Content-Type: text/event-stream}, which the
 * SDK's OkHttp reader requires (1.4).
 */
public final class DashScopeSseFraming {
  private DashScopeSseFraming() {}

  /**
   * One {@code event:result}.
   *
   * @param id counts from 1 within a stream
   */
  public static byte[] result(int id, ObjectNode chunk) {
    return event(id, "result", 200, chunk);
  }

  /** The stream's last event, {@code event:error}, with the status the failure would have had. */
  public static byte[] error(int id, int status, ObjectNode body) {
    return event(id, "error", status, body);
  }

  // Jackson escapes line breaks inside strings, so the JSON stays on the one data: line.
  private static byte[] event(int id, String name, int status, ObjectNode data) {
    return ("id:" + id + "\nevent:" + name + "\n:HTTP_STATUS/" + status + "\ndata:" + data + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
