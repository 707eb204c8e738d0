package dev.longshot.index.solr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import org.apache.solr.client.solrj.impl.BaseHttpSolrClient.RemoteSolrException;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.junit.jupiter.api.Test;

/** Which failures {@link SolrConnection} retries: a node going away mid-response is transient, a refusal is not. */
class SolrRetryTest {
  private static final String URL = "http://127.0.0.1:8983/solr/longshot_shard1_replica_n1";

  /**
   * CI saw this while a node stopped: the node answered 200 and the connection closed mid-body, so SolrJ's parser
   * failed ("parsing error", wrapping the server-error SolrException around the EOF) and the status was below 500.
   */
  @Test
  void aResponseCutOffByAStoppingNodeIsRetried() {
    SolrException truncated = new SolrException(ErrorCode.SERVER_ERROR, "parsing error", new EOFException());
    assertThat(SolrConnection.retryable(new RemoteSolrException(URL, 200, "parsing error", truncated))).isTrue();
  }

  @Test
  void aRequestSolrRefusesIsNotRetried() {
    assertThat(SolrConnection.retryable(new RemoteSolrException(URL, 400, "undefined field vector", null))).isFalse();
    assertThat(SolrConnection.retryable(new SolrException(ErrorCode.BAD_REQUEST, "bad query"))).isFalse();
  }

  @Test
  void serverErrorsAreRetried() {
    assertThat(SolrConnection.retryable(new RemoteSolrException(URL, 503, "no servers hosting shard", null))).isTrue();
  }
}
