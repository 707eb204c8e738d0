package dev.longshot.app.cli;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.EmbeddingBackend;
import dev.longshot.config.EmbeddingSettings;
import dev.longshot.embeddings.TextEmbedders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/longshot embed [--model PATH] [--query] (--text TEXT | --file FILE)}: prints the text's embedding, the
 * model's pooled vector scaled to unit length as the index stores it, as one JSON array on one line.
 * {@code --model} names an M2-BERT checkpoint directory (embeddings/README.md); without it the configured
 * {@code embeddings} settings choose the model.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, description = "print a text's embedding as a JSON array",
    customSynopsis = "embed [--model PATH] [--query] (--text TEXT | --file FILE)")
final class EmbedCommand implements Callable<Integer> {
  private final PrintStream out;
  @Mixin ConfigOption config;
  @Option(names = "--model", paramLabel = "PATH",
      description = "M2-BERT checkpoint directory (model.safetensors, config.json, tokenizer.json or vocab.txt);"
          + " default: the configured embeddings model")
  Path model;
  @Option(names = "--query", description = "embed as a search query (the model's query prefix, if any)")
  boolean query;
  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--text", paramLabel = "TEXT", required = true, description = "the text")
    String text;
    @Option(names = "--file", paramLabel = "FILE", required = true, description = "a UTF-8 text file")
    Path file;
  }

  EmbedCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    String text;
    if (input.file != null) {
      if (!Files.isRegularFile(input.file)) {
        throw new IllegalArgumentException("no such file: " + input.file);
      }
      text = Files.readString(input.file, StandardCharsets.UTF_8);
    } else {
      text = input.text;
    }
    EmbeddingSettings s = config.load().embeddings();
    if (model != null) {
      s = new EmbeddingSettings(EmbeddingBackend.M2_BERT, model, null, s.contextStrategy(), s.maxTokens(), s.device(),
          s.batchSize(), s.windowOverlap());
    }
    try (TextEmbedder embedder = TextEmbedders.create(s)) {
      float[] v = query ? embedder.embedQuery(text) : embedder.embedPassages(List.of(text)).get(0);
      out.println(toJson(v));
    }
    return 0;
  }

  static String toJson(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.append(']').toString();
  }
}
