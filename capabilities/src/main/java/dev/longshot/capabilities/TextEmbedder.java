package dev.longshot.capabilities;

import java.util.List;

/**
 * Turns texts into L2-normalised vectors for cosine search. Queries and passages are encoded differently by
 * many models (instruction prefixes), hence two methods. Implementations are thread-safe and closed by their
 * owner.
 */
public interface TextEmbedder extends AutoCloseable {
  /** Model name, e.g. {@code bge-small-en-v1.5}. */
  String name();

  /** Vector dimension. */
  int dimension();

  /** Longest input in tokens after context extension; longer input is truncated with a logged warning. */
  int maxTokens();

  /** Embeds passages (documents to be searched), one unit-length vector per text, in order. */
  List<float[]> embedPassages(List<String> texts);

  /** Embeds a search query (with the model's query prefix, if any). */
  float[] embedQuery(String text);

  @Override
  void close();
}
