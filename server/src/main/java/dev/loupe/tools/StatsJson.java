package dev.loupe.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.index.DomainCount;
import dev.loupe.index.IndexStats;
import java.io.IOException;

/**
 * The collection's figures as {@code GET /v1/stats} and the MCP tool {@code collection_stats} show
 * them: {@code object}, {@code images}, {@code occurrences}, {@code bytes_on_disk}, {@code segments},
 * {@code last_commit} and the {@code domains} with the most images.
 */
public final class StatsJson {
  private StatsJson() {}

  public static ObjectNode of(Loupe loupe, int topDomains) throws IOException {
    IndexStats stats = loupe.index().stats();
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("object", "stats");
    body.put("images", stats.images());
    body.put("occurrences", stats.occurrences());
    body.put("bytes_on_disk", stats.bytesOnDisk());
    body.put("segments", stats.segments());
    body.put("last_commit", stats.lastCommit() == null ? null : stats.lastCommit().toString());
    ArrayNode domains = body.putArray("domains");
    for (DomainCount d : loupe.index().domains(topDomains)) {
      domains.addObject().put("domain", d.domain()).put("images", d.images());
    }
    return body;
  }
}
