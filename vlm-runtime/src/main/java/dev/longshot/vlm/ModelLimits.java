package dev.longshot.vlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sane limits a model file's header must stay within, checked before anything is allocated from it (issue 12,
 * point 7: a hostile file must fail with a {@link ModelFormatException} naming the file, the field and the value,
 * never with an OutOfMemoryError or StackOverflowError). Each limit is far above every published decoder (Llama 3
 * 405B: 126 layers, width 16384, feed-forward 53248, vocabulary 128256) and far below what would exhaust a heap.
 * Counts, lengths and offsets are also checked against the file's own size where they are read.
 */
public final class ModelLimits {
  /** Decoder blocks ({@code block_count}, {@code num_hidden_layers}). */
  public static final long MAX_LAYERS = 1024;
  /** Model width, feed-forward width and head size. */
  public static final long MAX_WIDTH = 1 << 18;
  /** Attention heads (query or key/value). */
  public static final long MAX_HEADS = 4096;
  /** Tokens in the vocabulary. */
  public static final long MAX_VOCAB = 1 << 23;
  /** Side of the square image a vision tower is made for, in pixels (SmolVLM: 512). */
  public static final long MAX_IMAGE_SIDE = 1 << 14;
  /** Trained context length in tokens. */
  public static final long MAX_CONTEXT = 1 << 24;
  /** Arrays inside GGUF metadata arrays: real files use none; the parser recurses, so depth is bounded. */
  public static final int MAX_GGUF_ARRAY_NESTING = 8;
  /** Dimensions of one tensor (GGUF allows 4; safetensors files use at most 5). */
  public static final int MAX_TENSOR_RANK = 8;
  /** A safetensors JSON header. */
  public static final long MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;
  /** {@code config.json}, {@code tokenizer.json}, {@code tokenizer_config.json} (Qwen2's tokenizer.json: 7 MB). */
  public static final long MAX_JSON_FILE_BYTES = 256L << 20;

  /**
   * The share of the machine's physical memory the decode layouts built at load ({@code model.DecodeLayouts}: the
   * interleaved copies of mapped quantised matrices, about 1.06-1.5x their stored bytes) may take; above it the
   * matrices stay in the file and decode uses the row-at-a-time kernels.
   */
  public static final double MAX_DECODE_LAYOUT_SHARE_OF_RAM = 0.6;

  private ModelLimits() {}

  /**
   * {@code value} as an int when it lies in {@code 1..max}; otherwise a {@link ModelFormatException}
   * "{@code where}: {@code field} is {@code value}; allowed 1..{@code max}".
   */
  public static int positive(Object where, String field, long value, long max) {
    if (value < 1 || value > max) {
      throw new ModelFormatException(where + ": " + field + " is " + value + "; allowed 1.." + max);
    }
    return (int) value;
  }

  /** Tokens per image in a processor config ({@code image_seq_len}; SmolVLM: 64, Idefics3: 169). */
  public static final long MAX_IMAGE_TOKENS = 1 << 16;

  /**
   * The JSON integer {@code v} within {@code min..max}, or {@code fallback} when it is absent or null ({@code fallback}
   * null: required). A float, string or out-of-range value fails with a {@link ModelFormatException}
   * "{@code where}: '{@code field}' is {@code v}; ..." before it sizes anything ({@code asInt()} would wrap or guess).
   */
  public static int jsonInt(Object where, String field, JsonNode v, Integer fallback, long min, long max) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      if (fallback == null) {
        throw new ModelFormatException(where + ": '" + field + "' is missing");
      }
      return fallback;
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new ModelFormatException(where + ": '" + field + "' is " + v + "; expected an integer");
    }
    long value = v.asLong();
    if (value < min || value > max) {
      throw new ModelFormatException(where + ": '" + field + "' is " + value + "; allowed " + min + ".." + max);
    }
    return (int) value;
  }

  /**
   * The JSON number {@code v} (finite, within {@code min..max}), or {@code fallback} when absent or null; anything
   * else fails with a {@link ModelFormatException} naming {@code where}, the field and the value.
   */
  public static double jsonDouble(Object where, String field, JsonNode v, double fallback, double min, double max) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
      throw new ModelFormatException(where + ": '" + field + "' is " + v + "; expected a number in " + min + ".."
          + max);
    }
    return v.asDouble();
  }

  /** The JSON boolean {@code v}, or {@code fallback} when absent or null; any other value names the field. */
  public static boolean jsonBoolean(Object where, String field, JsonNode v, boolean fallback) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new ModelFormatException(where + ": '" + field + "' is " + v + "; expected true or false");
    }
    return v.booleanValue();
  }

  /**
   * A model's JSON or text file (config, tokenizer, vocabulary) read whole, after checking its size against {@link
   * #MAX_JSON_FILE_BYTES}, so a file of gigabytes is a {@link ModelFormatException} naming it, not an
   * OutOfMemoryError.
   */
  public static byte[] readSmallFile(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_JSON_FILE_BYTES) {
      throw new ModelFormatException(file + " is " + size + " bytes; a model's JSON or text file may have at most "
          + MAX_JSON_FILE_BYTES);
    }
    return Files.readAllBytes(file);
  }

  /** Reads a JSON file after checking its size ({@link #readSmallFile}); bad JSON names the file. */
  public static JsonNode readJson(Path file) throws IOException {
    byte[] bytes = readSmallFile(file);
    try {
      return new ObjectMapper().readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
