package dev.longshot.config;

/** Where the evidence index lives ({@code index.backend}). */
public enum IndexBackend implements ConfigChoice {
  /** Lucene on the local disk, in {@code data.dir}/index (default). */
  LUCENE,
  /** A SolrCloud collection ({@code index.solr.*}), shared by every machine pointed at it. */
  SOLRCLOUD;

  @Override
  public String toString() {
    return configName();
  }
}
