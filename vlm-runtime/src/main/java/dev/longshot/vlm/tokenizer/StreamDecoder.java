package dev.longshot.vlm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a stream of token ids into text pieces, holding back the bytes of a UTF-8 character that a token split
 * until the next token completes it (byte-level vocabularies often split multi-byte characters). Not thread-safe.
 */
public final class StreamDecoder {
  private final Tokenizer tokenizer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  public StreamDecoder(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The text that token {@code id} completes (possibly empty). */
  public String next(int id) {
    pending.writeBytes(tokenizer.bytes(id));
    byte[] b = pending.toByteArray();
    int complete = completePrefix(b);
    pending.reset();
    pending.write(b, complete, b.length - complete);
    return new String(b, 0, complete, StandardCharsets.UTF_8);
  }

  /** Whatever is still held back, decoded leniently. */
  public String flush() {
    String s = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    return s;
  }

  /** Length of the longest prefix of {@code b} that does not end inside a UTF-8 sequence. */
  static int completePrefix(byte[] b) {
    int n = b.length;
    for (int back = 1; back <= Math.min(3, n); back++) {
      int c = b[n - back] & 0xFF;
      if ((c & 0xC0) == 0x80) {
        continue; // continuation byte: keep looking for the lead byte
      }
      int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return len > back ? n - back : n;
    }
    return n;
  }
}
