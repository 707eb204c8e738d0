package dev.longshot.config;

/**
 * Where the evidence index lives (section {@code index}).
 *
 * @param backend {@link IndexBackend}: the embedded Lucene index or a SolrCloud collection
 * @param solr the cluster and collection, used when {@code backend} is {@code solrcloud}; it then needs exactly one
 *     of {@code index.solr.zk-hosts} and {@code index.solr.urls}
 */
public record IndexSettings(IndexBackend backend, SolrSettings solr) {
  public IndexSettings {
    Check.present("index.backend", backend, IndexBackend.class);
    if (solr == null) {
      throw new ConfigException("index.solr", null, "must be a section");
    }
    if (backend == IndexBackend.SOLRCLOUD && solr.zkHosts().isEmpty() == solr.urls().isEmpty()) {
      throw new ConfigException("index.solr.zk-hosts", String.join(",", solr.zkHosts()),
          "index.backend solrcloud needs exactly one of index.solr.zk-hosts and index.solr.urls (urls: "
              + String.join(",", solr.urls()) + ")");
    }
  }
}
