package dev.longshot.index.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.longshot.config.SolrSettings;
import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.index.EvidenceIndexContract;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, bad input: an unreachable cluster is a one-line error naming the address after bounded retries. The
 * tests retry 3 times from 50 ms (the default, 5 times from 250 ms, waits 3.75 s in all between tries).
 */
class SolrUnreachableTest {
  private static final SolrConnection.Retry QUICK = new SolrConnection.Retry(3, 50);

  @Test
  void anUnreachableSolrUrlFailsWithTheAddressAfterRetries() throws IOException {
    String url = "http://127.0.0.1:" + closedPort() + "/solr";
    SolrSettings s = new SolrSettings(List.of(), List.of(url), "longshot", 1, 1, Duration.ofMillis(200));
    SolrIndexException e = catchThrowableOfType(SolrIndexException.class,
        () -> SolrEvidenceIndex.open(s, EvidenceIndexContract.EMBEDDER, Fixtures.settings(), QUICK));
    assertThat(e.getMessage()).contains(url).contains("after 3 tries").doesNotContain("\n");
  }

  @Test
  void anUnreachableZooKeeperFailsWithTheAddressAfterRetries() throws IOException {
    String zk = "127.0.0.1:" + closedPort();
    SolrSettings s = new SolrSettings(List.of(zk + "/solr"), List.of(), "longshot", 1, 1, Duration.ofMillis(200));
    SolrIndexException e = catchThrowableOfType(SolrIndexException.class,
        () -> SolrEvidenceIndex.open(s, EvidenceIndexContract.EMBEDDER, Fixtures.settings(), QUICK));
    assertThat(e.getMessage()).contains(zk).contains("after 3 tries").doesNotContain("\n");
  }

  /** A loopback port nothing listens on (bound, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
