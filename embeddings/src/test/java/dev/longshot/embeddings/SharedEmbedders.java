package dev.longshot.embeddings;

import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingDevice;
import java.util.EnumMap;
import java.util.Map;

/** One bundled BGE-small embedder per strategy for the whole test JVM (loading takes about a second each). */
final class SharedEmbedders {
  private static final Map<ContextStrategy, OnnxTextEmbedder> BY_STRATEGY = new EnumMap<>(ContextStrategy.class);

  private SharedEmbedders() {}

  static synchronized OnnxTextEmbedder bge(ContextStrategy strategy) {
    return BY_STRATEGY.computeIfAbsent(strategy,
        s -> new OnnxTextEmbedder(ModelSource.bundledBgeSmall(), s, 8192, EmbeddingDevice.CPU, 16));
  }
}
