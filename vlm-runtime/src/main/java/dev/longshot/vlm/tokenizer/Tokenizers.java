package dev.longshot.vlm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/** Builds the tokenizer of a model from GGUF metadata or from a Hugging Face tokenizer.json. */
public final class Tokenizers {
  private Tokenizers() {}

  /** The tokenizer embedded in GGUF metadata ({@code tokenizer.ggml.*}). */
  public static Tokenizer fromGguf(Map<String, Object> meta, Object source) {
    String model = (String) meta.get("tokenizer.ggml.model");
    String[] tokens = (String[]) meta.get("tokenizer.ggml.tokens");
    if (model == null || tokens == null) {
      throw new ModelFormatException(source + ": no embedded tokenizer (tokenizer.ggml.model / tokens missing)");
    }
    int[] types = (int[]) meta.get("tokenizer.ggml.token_type");
    if (types == null) {
      types = new int[tokens.length];
      Arrays.fill(types, Vocabulary.NORMAL);
    }
    if (types.length != tokens.length) {
      throw new ModelFormatException(source + ": " + tokens.length + " tokens but " + types.length + " token types");
    }
    int bos = intMeta(meta, "tokenizer.ggml.bos_token_id", -1);
    int eos = intMeta(meta, "tokenizer.ggml.eos_token_id", -1);
    checkId(source, "bos", bos, tokens.length);
    checkId(source, "eos", eos, tokens.length);
    return switch (model) {
      case "gpt2" -> {
        boolean addBos = (Boolean) meta.getOrDefault("tokenizer.ggml.add_bos_token", Boolean.FALSE);
        String[] merges = (String[]) meta.getOrDefault("tokenizer.ggml.merges", new String[0]);
        PreTokenizer pre = PreTokenizer.forGgufName((String) meta.get("tokenizer.ggml.pre"), source);
        yield new BpeTokenizer(new Vocabulary(tokens, types, bos, eos, addBos, source), List.of(merges), pre);
      }
      case "llama" -> {
        boolean addBos = (Boolean) meta.getOrDefault("tokenizer.ggml.add_bos_token", Boolean.TRUE);
        float[] scores = (float[]) meta.get("tokenizer.ggml.scores");
        if (scores == null || scores.length != tokens.length) {
          throw new ModelFormatException(source + ": SentencePiece vocabulary needs tokenizer.ggml.scores for all "
              + tokens.length + " tokens");
        }
        boolean prefix = (Boolean) meta.getOrDefault("tokenizer.ggml.add_space_prefix", Boolean.TRUE);
        yield new SentencePieceTokenizer(new Vocabulary(tokens, types, bos, eos, addBos, source), scores, prefix);
      }
      default -> throw new ModelFormatException(source + ": tokenizer model '" + model
          + "' is not supported; supported: gpt2 (byte-level BPE), llama (SentencePiece)");
    };
  }

  private static int intMeta(Map<String, Object> meta, String key, int fallback) {
    Object v = meta.get(key);
    return v instanceof Number n ? n.intValue() : fallback;
  }

  private static void checkId(Object source, String what, int id, int size) {
    if (id >= size) {
      throw new ModelFormatException(source + ": " + what + " token id " + id + " is outside the vocabulary (" + size
          + " tokens)");
    }
  }

  /**
   * A byte-level BPE tokenizer from a Hugging Face {@code tokenizer.json}; BOS/EOS come from
   * {@code tokenizer_config.json} next to it when present.
   */
  public static Tokenizer fromTokenizerJson(Path file) throws IOException {
    JsonNode root = ModelLimits.readJson(file);
    JsonNode model = root.path("model");
    if (!"BPE".equals(model.path("type").asText("BPE")) || !model.has("vocab")) {
      throw new ModelFormatException(file + ": tokenizer model type '" + model.path("type").asText()
          + "' is not supported; supported: BPE (byte-level)");
    }
    Vocab v = vocabOf(root, model, file);
    String[] tokens = v.tokens();
    int[] types = v.types();
    int size = tokens.length;
    List<String> merges = new ArrayList<>();
    for (JsonNode m : model.path("merges")) {
      merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
    }
    Map<String, Integer> ids = new java.util.HashMap<>();
    for (int i = 0; i < size; i++) {
      ids.putIfAbsent(tokens[i], i);
    }
    int bos = -1;
    int eos = -1;
    boolean addBos = false;
    Path cfg = file.resolveSibling("tokenizer_config.json");
    if (Files.isRegularFile(cfg)) {
      JsonNode c = ModelLimits.readJson(cfg);
      bos = ids.getOrDefault(tokenName(c.path("bos_token")), -1);
      eos = ids.getOrDefault(tokenName(c.path("eos_token")), -1);
      addBos = c.path("add_bos_token").asBoolean(false);
    }
    return new BpeTokenizer(new Vocabulary(tokens, types, bos, eos, addBos, file), merges, preTokenizerOf(root, file));
  }

  private record Vocab(String[] tokens, int[] types) {}

  /** Token strings by id from {@code model.vocab} and {@code added_tokens} (special ones become control tokens). */
  private static Vocab vocabOf(JsonNode root, JsonNode model, Path file) {
    int size = 0;
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) model.path("vocab")::fields) {
      size = Math.max(size, tokenId(file, "model.vocab['" + e.getKey() + "']", e.getValue()) + 1);
    }
    for (JsonNode t : root.path("added_tokens")) {
      size = Math.max(size, tokenId(file, "added_tokens id of '" + t.path("content").asText() + "'", t.path("id")) + 1);
    }
    String[] tokens = new String[size];
    int[] types = new int[size];
    Arrays.fill(tokens, "");
    Arrays.fill(types, 5);
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) model.path("vocab")::fields) {
      tokens[e.getValue().asInt()] = e.getKey();
      types[e.getValue().asInt()] = Vocabulary.NORMAL;
    }
    for (JsonNode t : root.path("added_tokens")) {
      tokens[t.path("id").asInt()] = t.path("content").asText();
      types[t.path("id").asInt()] = t.path("special").asBoolean() ? Vocabulary.CONTROL : Vocabulary.USER_DEFINED;
    }
    return new Vocab(tokens, types);
  }

  /** A token id checked before it sizes the vocabulary arrays: an integer in {@code 0..MAX_VOCAB-1}. */
  private static int tokenId(Path file, String field, JsonNode id) {
    if (!id.canConvertToExactIntegral() || !id.canConvertToLong() || id.asLong() < 0
        || id.asLong() >= ModelLimits.MAX_VOCAB) {
      throw new ModelFormatException(file + ": " + field + " is " + id + "; token ids must be integers in 0.."
          + (ModelLimits.MAX_VOCAB - 1));
    }
    return id.asInt();
  }

  private static String tokenName(JsonNode n) {
    return n.isObject() ? n.path("content").asText() : n.asText(null);
  }

  private static PreTokenizer preTokenizerOf(JsonNode root, Path file) {
    JsonNode pre = root.path("pre_tokenizer");
    List<String> regexes = new ArrayList<>();
    collectRegexes(pre, regexes);
    if (regexes.isEmpty()) {
      if (!pre.isMissingNode() && !pre.isNull() && !"ByteLevel".equals(pre.path("type").asText())
          && !"Sequence".equals(pre.path("type").asText())) {
        throw new ModelFormatException(file + ": pre_tokenizer '" + pre.path("type").asText()
            + "' is not supported; supported: ByteLevel, Split(Regex), Digits, Sequence of these");
      }
      regexes.add(PreTokenizer.GPT2);
    }
    try {
      return new PreTokenizer(regexes, file);
    } catch (PatternSyntaxException e) {
      throw new ModelFormatException(file + ": pre_tokenizer regex '" + e.getPattern() + "' does not compile: "
          + e.getDescription() + " at index " + e.getIndex(), e);
    }
  }

  private static void collectRegexes(JsonNode n, List<String> out) {
    switch (n.path("type").asText()) {
      case "Sequence" -> n.path("pretokenizers").forEach(p -> collectRegexes(p, out));
      case "Split" -> {
        if (n.path("pattern").has("Regex")) {
          out.add(n.path("pattern").path("Regex").asText());
        }
      }
      case "Digits" -> out.add(n.path("individual_digits").asBoolean() ? "\\p{N}" : "\\p{N}+");
      case "ByteLevel" -> {
        if (n.path("use_regex").asBoolean(false)) {
          out.add(PreTokenizer.GPT2);
        }
      }
      default -> { }
    }
  }
}
