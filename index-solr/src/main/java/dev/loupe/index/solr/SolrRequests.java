package dev.loupe.index.solr;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;

/**
 * The requests {@link SolrImageIndex} sends to its collection, each retried while the cluster
 * recovers: a node that died (connection refused, reset), a shard without a leader while one is
 * elected, nodes that lost ZooKeeper (updates refused with 503). A request still failing at the
 * deadline fails with an {@link IOException} that says what the cluster answered. A version
 * conflict (HTTP 409) is not a failure: the write reports it and the caller re-reads.
 */
final class SolrRequests {
  private static final long FIRST_PAUSE_MILLIS = 50;
  private static final long LONGEST_PAUSE_MILLIS = 1000;

  private final CloudSolrClient client;
  private final String collection;
  private final Duration deadline;
  /** Nodes to ask directly when the cloud client cannot route (it lost the cluster state); may be empty. */
  private final List<String> nodeUrls;

  SolrRequests(CloudSolrClient client, String collection, Duration deadline, List<String> nodeUrls) {
    this.client = client;
    this.collection = collection;
    this.deadline = deadline;
    this.nodeUrls = List.copyOf(nodeUrls);
  }

  /** The document with this id as last written (real-time get), or null. */
  SolrDocument get(String id, String fields) throws IOException {
    SolrDocumentList docs = getAll(List.of(id), fields);
    return docs.isEmpty() ? null : docs.getFirst();
  }

  /** The documents with these ids as last written (real-time get); missing ids are left out. */
  SolrDocumentList getAll(List<String> ids, String fields) throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("ids", String.join(",", ids));
    params.set("fl", fields);
    Object docs = query(params, "/get").getResponse().get("response");
    return docs instanceof SolrDocumentList list ? list : new SolrDocumentList();
  }

  QueryResponse query(SolrQuery query) throws IOException {
    return query(query, "/select");
  }

  /**
   * A read. When the cloud client cannot route it (it may have lost ZooKeeper's cluster state along
   * with the nodes), each node is asked directly: a node answers from its own view of the cluster.
   */
  QueryResponse query(SolrParams params, String path) throws IOException {
    QueryRequest request = new QueryRequest(params, SolrRequest.METHOD.POST);
    request.setPath(path);
    return retry("request " + path, () -> {
      try {
        return request.process(client, collection);
      } catch (SolrServerException | IOException | SolrException e) {
        if (client instanceof CloudHttp2SolrClient cloud && (!(e instanceof SolrException s) || transientCode(s.code()))) {
          for (String node : nodeUrls) {
            try {
              QueryResponse response = cloud.getHttpClient().requestWithBaseUrl(node, collection, request);
              return response;
            } catch (SolrServerException | IOException | SolrException next) {
              e.addSuppressed(next);
            }
          }
        }
        throw e;
      }
    });
  }

  /**
   * Writes {@code doc} if the stored version is still {@code version} (-1: if there is none).
   *
   * @return false on a version conflict (another writer came first)
   */
  boolean write(SolrInputDocument doc, long version) throws IOException {
    doc.setField(SolrDocuments.F_VERSION, version);
    UpdateRequest request = new UpdateRequest();
    request.add(doc);
    return versioned("write " + doc.getFieldValue(SolrDocuments.F_ID), request);
  }

  /** Deletes the document if its version is still {@code version}; false on a version conflict. */
  boolean delete(String id, long version) throws IOException {
    UpdateRequest request = new UpdateRequest();
    request.deleteById(id, version);
    return versioned("delete " + id, request);
  }

  private boolean versioned(String what, UpdateRequest request) throws IOException {
    try {
      retry(what, () -> request.process(client, collection));
      return true;
    } catch (IOException e) {
      if (e.getCause() instanceof SolrException s && s.code() == 409) {
        return false;
      }
      throw e;
    }
  }

  /** A hard commit: the writes are durable. */
  void commit() throws IOException {
    retry("commit", () -> client.commit(collection, true, true, false));
  }

  /**
   * A soft commit (searches see the writes so far), tried once: false when the cluster refuses it
   * (no ZooKeeper, say), and searches then see what they saw before.
   */
  boolean softCommit() {
    try {
      client.commit(collection, true, true, true);
      return true;
    } catch (SolrServerException | IOException | SolrException e) {
      return false;
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws SolrServerException, IOException;
  }

  private <T> T retry(String what, Call<T> call) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      Exception failure;
      try {
        return call.run();
      } catch (SolrException e) {
        if (e.code() == 409 || !(transientCode(e.code()) || lostConnection(e))) {
          throw new IOException("Solr collection " + collection + ": " + what + " failed: " + e.getMessage(), e);
        }
        failure = e;
      } catch (SolrServerException | IOException e) {
        failure = e;
      }
      if (System.nanoTime() + pause * 1_000_000 > end) {
        throw new IOException("Solr collection " + collection + ": " + what + " failed for " + deadline.toSeconds()
            + " s (the cluster may be down or without ZooKeeper): " + failure.getMessage(), failure);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while retrying " + what, e);
      }
      pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
    }
  }

  /**
   * Whether a server error stands for a lost connection to a node that died: the cloud client
   * reports the node's IOException as HTTP 500 with that exception as the cause, and a node that
   * forwarded the update to a dead leader answers 500 with the connection failure in its message
   * (no cause crosses the wire, so the message is all there is). Retrying is safe because every
   * write is versioned: a write that did land before the connection broke comes back as a version
   * conflict, and the caller re-reads.
   */
  static boolean lostConnection(SolrException e) {
    if (e.code() != 500) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t != e && (t instanceof IOException || t instanceof SolrServerException)) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && CONNECTION_FAILURES.stream().anyMatch(message::contains)) {
        return true;
      }
    }
    return false;
  }

  /** What a Solr node's error message says when it could not reach another node. */
  private static final List<String> CONNECTION_FAILURES = List.of("java.net.ConnectException", "Connection refused",
      "Connection reset", "IOException occurred when talking to server", "Async exception during distributed update");

  /** Codes of a cluster that is recovering: unavailable, no live replica, or no code at all (no answer). */
  private static boolean transientCode(int code) {
    return code == 503 || code == 510 || code == 502 || code == 504 || code <= 0;
  }
}
