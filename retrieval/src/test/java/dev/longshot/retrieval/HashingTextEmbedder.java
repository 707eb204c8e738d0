package dev.longshot.retrieval;

import dev.longshot.capabilities.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * STAND-IN for unit tests only: a deterministic bag-of-words embedder (each lower-cased word that is not a stop
 * word, minus a trailing "s", is hashed into one of {@code dimension} buckets; the vector is L2-normalised). It makes index tests fast and
 * independent of the ONNX model; the real BGE-small embedder is exercised in {@code BgeRetrievalQualityTest}.
 */
public final class HashingTextEmbedder implements TextEmbedder {
  private static final Set<String> STOP = Set.of("the", "and", "what", "does", "did", "was", "were", "are", "how",
      "which", "who", "when", "where", "why", "this", "that", "for", "with", "about", "from", "video");
  private final int dimension;
  private final String name;

  public HashingTextEmbedder(int dimension) {
    this(dimension, "hashing-stand-in");
  }

  public HashingTextEmbedder(int dimension, String name) {
    this.dimension = dimension;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int maxTokens() {
    return 100_000;
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(embed(t));
    }
    return out;
  }

  @Override
  public float[] embedQuery(String text) {
    return embed(text);
  }

  private float[] embed(String text) {
    float[] v = new float[dimension];
    v[0] = 1e-3f; // never the zero vector: cosine needs a direction
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.length() < 3 || STOP.contains(w)) {
        continue;
      }
      String stem = w.endsWith("s") ? w.substring(0, w.length() - 1) : w;
      v[Math.floorMod(stem.hashCode(), dimension)] += 1f;
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  @Override
  public void close() {}
}
