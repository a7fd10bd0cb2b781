package dev.loupe.index.solr;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.junit.jupiter.api.Test;

/** Which server errors are a node lost mid-request (retried) and which are real failures (not). */
class SolrRequestsTest {
  @Test
  void aServerErrorCausedByALostConnectionIsRetried() {
    SolrException routed = new SolrException(ErrorCode.SERVER_ERROR, "IOException occurred when talking to server at: "
        + "http://127.0.0.1:46663/solr/c_shard1_replica_n6/update",
        new SolrServerException("IOException occurred", new ConnectException("Connection refused")));
    assertTrue(SolrRequests.lostConnection(routed));
  }

  @Test
  void aNodeThatCouldNotForwardToADeadLeaderIsRetried() {
    // As a node answers when the shard leader it forwards to is gone: only the message crosses the wire.
    SolrException forwarded = new SolrException(ErrorCode.SERVER_ERROR, "Error from server at "
        + "http://127.0.0.1:45789/solr/c_shard1_replica_n1/update?wt=javabin&version=2: Async exception during "
        + "distributed update: java.net.ConnectException: Connection refused");
    assertTrue(SolrRequests.lostConnection(forwarded));
  }

  @Test
  void otherServerErrorsAndClientErrorsAreNot() {
    assertFalse(SolrRequests.lostConnection(new SolrException(ErrorCode.SERVER_ERROR, "java.lang.NullPointerException")));
    assertFalse(SolrRequests.lostConnection(new SolrException(ErrorCode.BAD_REQUEST, "undefined field hash_c9")));
    assertFalse(SolrRequests.lostConnection(new SolrException(ErrorCode.BAD_REQUEST, "Connection refused",
        new ConnectException("Connection refused"))), "a client error is never retried");
  }
}
