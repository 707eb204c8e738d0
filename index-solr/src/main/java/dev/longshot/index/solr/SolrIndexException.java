package dev.longshot.index.solr;

import dev.longshot.retrieval.index.IndexException;

/**
 * The SolrCloud collection cannot be reached, created or used: the message is one line naming the cluster address
 * (and, for a schema mismatch, both values). Nothing in the collection is deleted to get past one of these.
 */
public final class SolrIndexException extends IndexException {
  private static final long serialVersionUID = 1L;

  public SolrIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
