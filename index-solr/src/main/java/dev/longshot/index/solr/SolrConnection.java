package dev.longshot.index.solr;

import dev.longshot.config.SolrSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SolrJ client for one cluster, with the rules every request follows: connect and request timeouts of {@code
 * index.solr.timeout}, and up to {@value #ATTEMPTS} attempts with exponential back-off (from {@value
 * #FIRST_BACKOFF_MILLIS} ms) when the cluster cannot be reached, answers 5xx (a node down, a leader being
 * elected) or a response is cut off (a node stopping mid-body). Then it fails with a one-line {@link SolrIndexException} naming the address: never a hang. Requests
 * that the cluster rejects (4xx) are not retried. Writes through it must be idempotent (they are: see {@link
 * SolrWrites}). Thread-safe; counts the HTTP round trips it makes ({@link #requests()}).
 */
final class SolrConnection implements AutoCloseable {
  static final int ATTEMPTS = 5;
  static final long FIRST_BACKOFF_MILLIS = 250;
  /** How often and how patiently a request is tried. */
  record Retry(int attempts, long firstBackoffMillis) {
    static final Retry DEFAULT = new Retry(ATTEMPTS, FIRST_BACKOFF_MILLIS);
  }
  private static final Logger LOG = LoggerFactory.getLogger(SolrConnection.class);
  private final CloudSolrClient client;
  private final String address;
  private final String collection;
  private final AtomicLong requests = new AtomicLong();
  private final Retry retry;

  private SolrConnection(CloudSolrClient client, String address, String collection, Retry retry) {
    this.client = client;
    this.address = address;
    this.collection = collection;
    this.retry = retry;
  }

  /** Connects to the cluster of {@code settings}; an unreachable cluster fails after the retries. */
  static SolrConnection open(SolrSettings settings, Retry retry) {
    String address = address(settings);
    AtomicLong attempts = new AtomicLong();
    CloudSolrClient client = retrying(address, "connect", attempts, true, retry, () -> {
      CloudSolrClient c = build(settings);
      try {
        c.connect(); // ZooKeeper: waits at most the connect timeout
        if (c.getClusterStateProvider().getLiveNodes().isEmpty()) {
          throw new SolrServerException("no live Solr nodes");
        }
        return c;
      } catch (Exception e) {
        closeQuietly(c);
        throw e;
      }
    });
    SolrConnection conn = new SolrConnection(client, address, settings.collection(), retry);
    conn.requests.addAndGet(attempts.get());
    return conn;
  }

  /** {@code ZooKeeper zk1:2181,zk2:2181} or {@code Solr http://solr1:8983/solr}, for messages. */
  static String address(SolrSettings s) {
    return s.zkHosts().isEmpty() ? "Solr " + String.join(",", s.urls()) : "ZooKeeper " + String.join(",", s.zkHosts());
  }

  private static CloudSolrClient build(SolrSettings s) {
    long millis = s.timeout().toMillis();
    Http2SolrClient.Builder http = new Http2SolrClient.Builder()
        .withConnectionTimeout(millis, TimeUnit.MILLISECONDS)
        .withIdleTimeout(millis, TimeUnit.MILLISECONDS)
        .withRequestTimeout(millis, TimeUnit.MILLISECONDS);
    CloudHttp2SolrClient.Builder b;
    if (!s.zkHosts().isEmpty()) {
      List<String> hosts = s.zkHosts();
      String last = hosts.getLast();
      int slash = last.indexOf('/');
      Optional<String> chroot = slash < 0 ? Optional.empty() : Optional.of(last.substring(slash));
      List<String> plain = new java.util.ArrayList<>(hosts.subList(0, hosts.size() - 1));
      plain.add(slash < 0 ? last : last.substring(0, slash));
      b = new CloudSolrClient.Builder(plain, chroot)
          .withZkConnectTimeout((int) millis, TimeUnit.MILLISECONDS)
          .withZkClientTimeout((int) Math.max(millis, 10_000), TimeUnit.MILLISECONDS);
    } else {
      b = new CloudSolrClient.Builder(s.urls());
    }
    return b.withInternalClientBuilder(http).build();
  }

  String address() {
    return address;
  }

  String collection() {
    return collection;
  }

  /** HTTP round trips made so far (every attempt counts). */
  long requests() {
    return requests.get();
  }

  CloudSolrClient client() {
    return client;
  }

  /** A search of the collection (POST: query vectors make long parameter lists). */
  QueryResponse query(String what, SolrParams params) {
    return call(what, () -> {
      QueryRequest q = new QueryRequest(params, SolrRequest.METHOD.POST);
      return q.process(client, collection);
    });
  }

  /** Runs a request against the collection, retrying as the class comment says. */
  NamedList<Object> request(String what, SolrRequest<?> request) {
    return call(what, () -> client.request(request, collection));
  }

  /** Runs {@code call}, retrying as the class comment says. */
  <T> T call(String what, SolrCall<T> call) {
    return retrying(address, what, requests, false, retry, call);
  }

  /** One request to the cluster. */
  interface SolrCall<T> {
    T run() throws Exception;
  }

  /** @param connecting every failure to connect is retried (SolrJ wraps them in assorted exception types) */
  private static <T> T retrying(String address, String what, AtomicLong counter, boolean connecting, Retry retry,
      SolrCall<T> call) {
    long started = System.nanoTime();
    Exception last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      counter.incrementAndGet();
      try {
        return call.run();
      } catch (Exception e) {
        if (!connecting && !retryable(e)) {
          throw new SolrIndexException("SolrCloud at " + address + " refused to " + what + ": " + oneLine(e), e);
        }
        last = e;
        if (attempt < retry.attempts()) {
          long backoff = retry.firstBackoffMillis() << (attempt - 1);
          LOG.warn("SolrCloud at {}: cannot {} (attempt {} of {}, retrying in {} ms): {}", address, what, attempt,
              retry.attempts(), backoff, oneLine(e));
          sleep(backoff);
        }
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    throw new SolrIndexException("Cannot reach SolrCloud at " + address + " to " + what + " after " + retry.attempts()
        + " tries in " + seconds + " s: " + oneLine(last), last);
  }

  static boolean retryable(Throwable e) {
    if (e instanceof SolrException se) {
      // A response the client could not parse (a node stopping mid-body) carries the status it began with, often
      // 200, so the cause decides: SolrJ's parser wraps the read failure in a server-error SolrException.
      return se.code() >= 500 || se.code() == -1 || (se.getCause() != null && se.getCause() != e
          && retryable(se.getCause()));
    }
    return e instanceof SolrServerException || e instanceof IOException || e instanceof UncheckedIOException
        || e instanceof IllegalStateException || (e.getCause() != null && e.getCause() != e && retryable(e.getCause()));
  }

  /** The first line of the innermost message, so errors stay one line. */
  static String oneLine(Throwable e) {
    Throwable t = e;
    String msg = null;
    while (t != null) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        msg = t.getMessage();
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    if (msg == null) {
      return e.getClass().getSimpleName();
    }
    String first = msg.strip().lines().findFirst().orElse("");
    return first.length() > 300 ? first.substring(0, 300) + "..." : first;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SolrIndexException("Interrupted while waiting to retry", e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already failing with a better message
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close the SolrJ client of " + address, e);
    }
  }
}
