package dev.longshot.vlm.model;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.chat.ChatTemplate;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.tokenizer.Tokenizer;
import dev.longshot.vlm.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model read from disk: config, weights, tokenizer and chat template. {@link #load} takes a GGUF file or a Hugging
 * Face directory (config.json, tokenizer.json, *.safetensors). The weights live in {@code memory}
 * ({@link WeightStorage}: mapped and read in place on Java 22+, heap arrays on 21); the files themselves are closed
 * again. {@link #close} releases the mapping (the weights must not be used afterwards; reads then throw
 * {@link IllegalStateException}); other parts of the same model (a vision tower) may load into the same memory.
 */
public record LoadedModel(Path source, ModelConfig config, ModelWeights weights, Tokenizer tokenizer,
    ChatTemplate chatTemplate, WeightMemory memory) implements AutoCloseable {

  /** {@link #load(Path, WeightStorage)} with {@link WeightStorage#preferred()}. */
  public static LoadedModel load(Path path) throws IOException {
    return load(path, WeightStorage.preferred());
  }

  public static LoadedModel load(Path path, WeightStorage storage) throws IOException {
    if (!Files.exists(path)) {
      throw new ModelFormatException(path + " does not exist (expected a .gguf file or a safetensors directory)");
    }
    WeightMemory memory = storage.open();
    LoadedModel m;
    try {
      m = Files.isDirectory(path) ? loadSafetensors(path, memory) : loadGguf(path, memory);
      if (m.tokenizer.vocabSize() > m.config.vocabSize()) {
        throw new ModelFormatException(path + ": the tokenizer does not match the model: it has "
            + m.tokenizer.vocabSize() + " tokens but the model embeds only " + m.config.vocabSize());
      }
    } catch (OutOfMemoryError e) {
      memory.close();
      throw new ModelFormatException(path + ": not enough Java heap for the weights (maximum "
          + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); give the JVM about the model's size, e.g. "
          + "LONGSHOT_JAVA_OPTS=-Xmx8g" + (storage == WeightStorage.HEAP ? ", or run on Java 22+ where the weights "
          + "are memory-mapped" : ""), e);
    } catch (IOException | RuntimeException e) {
      memory.close();
      throw e;
    }
    return m;
  }

  /** Releases the weights' mapping (nothing for heap weights); idempotent. */
  @Override
  public void close() {
    memory.close();
  }

  private static LoadedModel loadGguf(Path path, WeightMemory memory) throws IOException {
    try (GgufFile f = GgufFile.open(path, memory)) {
      GgufModelLoader loader = new GgufModelLoader(f);
      ModelConfig c = loader.config();
      ModelWeights w = loader.weights(c);
      Tokenizer t = Tokenizers.fromGguf(f.metadata(), path);
      String jinja = (String) f.metadata().get("tokenizer.chat_template");
      return new LoadedModel(path, c, w, t, ChatTemplate.detect(t, jinja), memory);
    }
  }

  private static LoadedModel loadSafetensors(Path dir, WeightMemory memory) throws IOException {
    try (SafetensorsModelLoader loader = new SafetensorsModelLoader(dir, memory)) {
      ModelConfig c = loader.config();
      ModelWeights w = loader.weights(c);
      Path tj = dir.resolve("tokenizer.json");
      if (!Files.isRegularFile(tj)) {
        throw new ModelFormatException(dir + ": tokenizer.json is missing");
      }
      Tokenizer t = Tokenizers.fromTokenizerJson(tj);
      String jinja = null;
      Path tc = dir.resolve("tokenizer_config.json");
      if (Files.isRegularFile(tc)) {
        jinja = dev.longshot.vlm.ModelLimits.readJson(tc).path("chat_template")
            .asText(null);
      }
      return new LoadedModel(dir, c, w, t, ChatTemplate.detect(t, jinja), memory);
    }
  }
}
