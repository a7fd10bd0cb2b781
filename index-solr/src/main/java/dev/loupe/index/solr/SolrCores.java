package dev.loupe.index.solr;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.params.CoreAdminParams;
import org.apache.solr.common.util.NamedList;

/** What the cores of a collection hold on disk, read from each live replica's core status. */
final class SolrCores {
  /**
   * @param bytes index size summed over every replica (what the cluster stores)
   * @param lastCommit the latest commit of any replica, or null before the first
   * @param segments segments summed over the shard leaders (what a query searches)
   */
  record Status(long bytes, Instant lastCommit, int segments) {}

  private SolrCores() {}

  static Status status(CloudSolrClient client, String collection) throws IOException {
    if (!(client instanceof CloudHttp2SolrClient cloud)) {
      return new Status(0, null, 0);
    }
    DocCollection state = client.getClusterStateProvider().getCollection(collection);
    long bytes = 0;
    Instant last = null;
    int segments = 0;
    for (Replica replica : state.getReplicas()) {
      if (!replica.isActive(client.getClusterStateProvider().getLiveNodes())) {
        continue;
      }
      CoreAdminRequest request = new CoreAdminRequest();
      request.setAction(CoreAdminParams.CoreAdminAction.STATUS);
      request.setCoreName(replica.getCoreName());
      try {
        NamedList<Object> core = cloud.getHttpClient().requestWithBaseUrl(replica.getBaseUrl(), null, request)
            .getCoreStatus(replica.getCoreName());
        Object index = core == null ? null : core.get("index");
        if (!(index instanceof NamedList<?> info)) {
          continue;
        }
        if (info.get("sizeInBytes") instanceof Number n) {
          bytes += n.longValue();
        }
        if (info.get("lastModified") instanceof Date d && (last == null || d.toInstant().isAfter(last))) {
          last = d.toInstant();
        }
        if (replica.isLeader() && info.get("segmentCount") instanceof Number n) {
          segments += n.intValue();
        }
      } catch (SolrServerException | IOException e) {
        // A replica that does not answer is left out of the counts; the others still describe the collection.
      }
    }
    return new Status(bytes, last, segments);
  }
}
