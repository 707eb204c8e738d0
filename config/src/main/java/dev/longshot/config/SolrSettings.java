package dev.longshot.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The SolrCloud collection of {@code index.backend: solrcloud} (section {@code index.solr}). Give the cluster
 * either by its ZooKeeper ensemble or by the URLs of some of its nodes, not both.
 *
 * @param zkHosts ZooKeeper {@code host:port} entries; a chroot may follow the last one ({@code zk2:2181/solr})
 * @param urls Solr node base URLs ({@code http://solr1:8983/solr})
 * @param collection the collection; created with its configset when missing
 * @param shards shards of a collection created here (an existing collection keeps its own)
 * @param replicas replicas per shard of a collection created here
 * @param timeout connect and request timeout; an unreachable cluster fails after a few retries with back-off
 */
public record SolrSettings(List<String> zkHosts, List<String> urls, String collection, int shards, int replicas, Duration timeout) {
  public SolrSettings {
    zkHosts = zkHosts == null ? List.of() : List.copyOf(zkHosts);
    urls = urls == null ? List.of() : List.copyOf(urls);
    Check.notBlank("index.solr.collection", collection);
    if (!collection.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")) {
      throw new ConfigException("index.solr.collection", collection, "allowed are letters, digits, '_', '.' and '-' (not first), at most 100");
    }
    Check.range("index.solr.shards", shards, 1, 1024);
    Check.range("index.solr.replicas", replicas, 1, 16);
    Objects.requireNonNull(timeout, "index.solr.timeout");
    Check.range("index.solr.timeout", timeout.toMillis(), 100L, 3_600_000L);
    for (String u : urls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new ConfigException("index.solr.urls", u, "allowed are http:// or https:// base URLs such as http://solr1:8983/solr");
      }
    }
  }
}
