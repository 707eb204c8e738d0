package dev.longshot.vlm.model;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.chat.ChatTemplate;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.tokenizer.Tokenizer;
import dev.longshot.vlm.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model read from disk: config, weights (heap arrays; the files are closed again), tokenizer and chat template.
 * {@link #load} takes a GGUF file or a Hugging Face directory (config.json, tokenizer.json, *.safetensors).
 */
public record LoadedModel(Path source, ModelConfig config, ModelWeights weights, Tokenizer tokenizer,
    ChatTemplate chatTemplate) {

  public static LoadedModel load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new ModelFormatException(path + " does not exist (expected a .gguf file or a safetensors directory)");
    }
    LoadedModel m;
    try {
      m = Files.isDirectory(path) ? loadSafetensors(path) : loadGguf(path);
    } catch (OutOfMemoryError e) {
      throw new ModelFormatException(path + ": not enough Java heap for the weights (maximum "
          + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); give the JVM about the model's size, e.g. "
          + "LONGSHOT_JAVA_OPTS=-Xmx8g", e);
    }
    if (m.tokenizer.vocabSize() > m.config.vocabSize()) {
      throw new ModelFormatException(path + ": the tokenizer does not match the model: it has "
          + m.tokenizer.vocabSize() + " tokens but the model embeds only " + m.config.vocabSize());
    }
    return m;
  }

  private static LoadedModel loadGguf(Path path) throws IOException {
    try (GgufFile f = GgufFile.open(path)) {
      GgufModelLoader loader = new GgufModelLoader(f);
      ModelConfig c = loader.config();
      ModelWeights w = loader.weights(c);
      Tokenizer t = Tokenizers.fromGguf(f.metadata(), path);
      String jinja = (String) f.metadata().get("tokenizer.chat_template");
      return new LoadedModel(path, c, w, t, ChatTemplate.detect(t, jinja));
    }
  }

  private static LoadedModel loadSafetensors(Path dir) throws IOException {
    try (SafetensorsModelLoader loader = new SafetensorsModelLoader(dir)) {
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
      return new LoadedModel(dir, c, w, t, ChatTemplate.detect(t, jinja));
    }
  }
}
