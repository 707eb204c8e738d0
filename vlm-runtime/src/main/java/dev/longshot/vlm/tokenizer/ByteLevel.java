package dev.longshot.vlm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character map: byte-level BPE vocabularies spell every byte as a printable character
 * (printable ASCII and most of Latin-1 map to themselves, the rest to U+0100 upwards, so a space is 'Ġ').
 */
final class ByteLevel {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = (char) (printable ? b : next++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The UTF-8 bytes of {@code s}, each written as its mapped character. */
  static String encode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      sb.append(BYTE_TO_CHAR[b & 0xFF]);
    }
    return sb.toString();
  }

  /** The bytes a mapped string stands for; characters outside the map are kept as their UTF-8. */
  static byte[] decode(String mapped) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(mapped.length());
    for (int i = 0; i < mapped.length(); i++) {
      char c = mapped.charAt(i);
      int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
      if (b >= 0) {
        out.write(b);
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** The mapped character of byte {@code b}. */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }
}
