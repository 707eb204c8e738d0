package dev.longshot.vlm.tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * The element types this runtime can compute with, numbered as in ggml (the GGUF tensor type field).
 * Quantized types store fixed-size blocks: {@code Q8_0} is an f16 scale and 32 signed bytes
 * ({@code x = d * q}); {@code Q4_0} is an f16 scale and 16 bytes holding 32 nibbles ({@code x = d * (q - 8)},
 * low nibbles are elements 0..15, high nibbles 16..31). The further block types llama.cpp's Q4_K_M / Q5_K_M / Q6_K
 * files contain ({@code Q4_1}, {@code Q5_0}, {@code Q5_1}, {@code Q4_K}, {@code Q5_K}, {@code Q6_K}) are laid out and
 * decoded in {@link BlockDecoder}.
 */
public enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q4_1(3, 32, 20),
  Q5_0(6, 32, 22),
  Q5_1(7, 32, 24),
  Q8_0(8, 32, 34),
  Q4_K(12, 256, 144),
  Q5_K(13, 256, 176),
  Q6_K(14, 256, 210),
  BF16(30, 1, 2);

  /** ggml type ids we recognise but cannot compute with, so errors can name them. */
  private static final Map<Integer, String> KNOWN_UNSUPPORTED = Map.ofEntries(
      Map.entry(9, "Q8_1"), Map.entry(10, "Q2_K"), Map.entry(11, "Q3_K"), Map.entry(15, "Q8_K"), Map.entry(16, "IQ2_XXS"), Map.entry(17, "IQ2_XS"),
      Map.entry(18, "IQ3_XXS"), Map.entry(19, "IQ1_S"), Map.entry(20, "IQ4_NL"), Map.entry(21, "IQ3_S"),
      Map.entry(22, "IQ2_S"), Map.entry(23, "IQ4_XS"), Map.entry(24, "I8"), Map.entry(25, "I16"),
      Map.entry(26, "I32"), Map.entry(27, "I64"), Map.entry(28, "F64"), Map.entry(29, "IQ1_M"),
      Map.entry(34, "TQ1_0"), Map.entry(35, "TQ2_0"));

  private final int id;
  private final int blockSize;
  private final int bytesPerBlock;

  GgmlType(int id, int blockSize, int bytesPerBlock) {
    this.id = id;
    this.blockSize = blockSize;
    this.bytesPerBlock = bytesPerBlock;
  }

  public int id() {
    return id;
  }

  /** Elements per block (1 for plain float types). */
  public int blockSize() {
    return blockSize;
  }

  public int bytesPerBlock() {
    return bytesPerBlock;
  }

  /** Bytes needed for {@code elements} values; {@code elements} must be a multiple of the block size. */
  public long byteSize(long elements) {
    if (elements % blockSize != 0) {
      throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " elements, got " + elements);
    }
    return elements / blockSize * bytesPerBlock;
  }

  /** The type with ggml id {@code id}, or an error naming it and the supported types. */
  public static GgmlType ofId(int id) {
    for (GgmlType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    String name = KNOWN_UNSUPPORTED.getOrDefault(id, "unknown");
    throw new IllegalArgumentException("tensor type " + name + " (ggml id " + id + ") is not supported; supported: "
        + Arrays.toString(values()));
  }
}
