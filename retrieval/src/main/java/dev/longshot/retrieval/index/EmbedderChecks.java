package dev.longshot.retrieval.index;

import dev.longshot.capabilities.TextEmbedder;
import java.util.List;

/**
 * What every index backend (Lucene here, Solr in {@code index-solr}) checks of its embedder's vectors, written once:
 * one vector per passage, each of the declared dimension, and query vectors of that dimension. Stateless.
 */
public final class EmbedderChecks {
  private EmbedderChecks() {}

  /** The embedder's passage vectors for {@code texts}; fails when their count or a dimension is not as declared. */
  public static List<float[]> passageVectors(TextEmbedder embedder, List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<float[]> out = embedder.embedPassages(texts);
    if (out.size() != texts.size()) {
      throw new IllegalStateException("Embedder " + embedder.name() + " returned " + out.size() + " vectors for "
          + texts.size() + " texts");
    }
    for (float[] v : out) {
      if (v.length != embedder.dimension()) {
        throw new IllegalStateException("Embedder " + embedder.name() + " returned a " + v.length
            + "-dimensional vector, declared " + embedder.dimension());
      }
    }
    return out;
  }

  /** Fails when a precomputed query vector is not of the index embedder's dimension. */
  public static void checkQueryVector(float[] queryVector, TextEmbedder embedder) {
    if (queryVector.length != embedder.dimension()) {
      throw new IllegalArgumentException("Query vector has " + queryVector.length + " dimensions, index uses "
          + embedder.dimension());
    }
  }
}
