package dev.loupe.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.index.solr.SolrImageIndex;
import dev.loupe.index.IndexStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe stats}: what the index holds. */
@Command(name = "stats", mixinStandardHelpOptions = true, header = "Show what the index holds.",
    description = "Show what the index holds: images, occurrences, size on disk, last commit.")
final class StatsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    LoupeConfig config = data.existingConfig();
    IndexStats stats;
    long outdated;
    String where;
    try (SharedEngine engine = SharedEngine.open(config)) {
      stats = engine.loupe().index().stats();
      outdated = engine.loupe().index().outdatedKeypoints();
      where = engine.loupe().index() instanceof SolrImageIndex solr ? solr.address().toString()
          : config.dataDir().resolve("index").toString();
    }
    if (json) {
      ObjectNode o = HitJson.MAPPER.createObjectNode();
      o.put("data_dir", config.dataDir().toString());
      o.put("index", where);
      o.put("images", stats.images());
      o.put("occurrences", stats.occurrences());
      o.put("bytes_on_disk", stats.bytesOnDisk());
      o.put("last_commit", stats.lastCommit() == null ? null : stats.lastCommit().toString());
      o.put("outdated_keypoints", outdated);
      out.println(o);
    } else {
      out.printf("data directory  %s%n", config.dataDir());
      out.printf("index           %s%n", where);
      out.printf("images          %d%n", stats.images());
      out.printf("occurrences     %d%n", stats.occurrences());
      out.printf("size on disk    %.1f MB%n", stats.bytesOnDisk() / 1e6);
      out.printf("last commit     %s%n", stats.lastCommit() == null ? "never" : stats.lastCommit());
      if (outdated > 0) {
        out.printf("%d images keep keypoints of an earlier format: run `loupe upgrade` to find them by keypoints%n",
            outdated);
      }
    }
    return 0;
  }
}
