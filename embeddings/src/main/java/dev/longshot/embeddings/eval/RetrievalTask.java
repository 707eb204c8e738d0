package dev.longshot.embeddings.eval;

import java.util.List;

/**
 * One LongEmbed-style synthetic retrieval set: query {@code i}'s only relevant document is document {@code i}; all
 * documents have about {@code lengthTokens} tokens (special tokens included).
 *
 * @param task {@code passkey} or {@code needle}
 */
public record RetrievalTask(String task, int lengthTokens, List<String> documents, List<String> queries) {
  public RetrievalTask {
    if (documents.size() != queries.size()) {
      throw new IllegalArgumentException(documents.size() + " documents but " + queries.size() + " queries");
    }
    documents = List.copyOf(documents);
    queries = List.copyOf(queries);
  }
}
