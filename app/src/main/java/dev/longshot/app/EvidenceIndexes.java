package dev.longshot.app;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.LongshotConfig;
import dev.longshot.index.solr.SolrEvidenceIndex;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;

/** Opens the evidence index {@code index.backend} names: the one place that knows the backends. */
public final class EvidenceIndexes {
  private EvidenceIndexes() {}

  /** The index of {@code config}, created when absent; the caller closes it (and keeps owning {@code embedder}). */
  public static EvidenceIndex open(LongshotConfig config, TextEmbedder embedder) {
    return switch (config.index().backend()) {
      case LUCENE -> LuceneEvidenceIndex.open(config.data().indexDir(), embedder, config.retrieval());
      case SOLRCLOUD -> SolrEvidenceIndex.open(config.index().solr(), embedder, config.retrieval());
    };
  }
}
