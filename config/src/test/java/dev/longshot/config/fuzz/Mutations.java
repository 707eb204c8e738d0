package dev.longshot.config.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic mutations of a valid sample, for the parsers' fuzz tests (every module's {@code *FuzzTest}): bit
 * flips, truncations, "interesting" integers written over header fields (0, -1, 2^31, 2^32, 2^40, Long.MAX_VALUE...),
 * duplicated and deleted chunks for binary files; for text, digit runs replaced by absurd numbers, duplicated and
 * deleted lines (duplicated keys), values of another type, control characters and structural characters. Mutation
 * {@code i} of a seed is always the same input, so a failure names the seed and the index to replay it.
 */
public final class Mutations {
  static final long[] INTERESTING = {0, 1, -1, 2, 7, 8, 9, 12, 13, 31, 32, 33, 255, 256, 65535, 65536, 0x7FFF_FFFFL,
      0x8000_0000L, 0xFFFF_FFFFL, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE};
  static final String[] ODD_NUMBERS = {"0", "-1", "-0", "2147483647", "2147483648", "4294967296", "-2147483649",
      "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "1e308", "1e400", "-1e400", "NaN",
      "0.5", "1.0E10", "00", "0x10", "99:99:99,999", "4294967296:00:00.000"};
  static final String[] ODD_VALUES = {"null", "true", "\"\"", "[]", "{}", "\"x\"", "[[[[[[[[", "-", "\"\\u0000\"",
      "\"a\\nb\"", "\"\u001b[31mred\"", "'", "~", "!!binary x", "*alias", "&anchor x", "<<: *a", "{\"a\":"};
  static final String STRUCTURE = "{}[]\":,\n\r\t-> 0.\\\u0000\u00ff\u2028\ud800#&*!|%@`'";
  private static final Pattern DIGITS = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern VALUE = Pattern.compile("\"[^\"\\n]*\"|-?\\d+(\\.\\d+)?|true|false|null");

  private Mutations() {}

  /**
   * {@code count} mutants of {@code sample}; positions fall in its first {@code focusBytes} (the header) nine times
   * in ten. Each mutant stacks one to three mutations.
   */
  public static List<byte[]> binary(byte[] sample, long seed, int count, int focusBytes) {
    Random rnd = new Random(seed);
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] b = sample;
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        b = binaryOnce(b, rnd, Math.max(1, Math.min(focusBytes, b.length)));
      }
      out.add(b);
    }
    return out;
  }

  private static byte[] binaryOnce(byte[] in, Random rnd, int focus) {
    if (in.length == 0) {
      return in;
    }
    int pos = rnd.nextInt(10) == 0 ? rnd.nextInt(in.length) : rnd.nextInt(Math.min(focus, in.length));
    switch (rnd.nextInt(6)) {
      case 0 -> {
        byte[] b = in.clone();
        b[pos] ^= (byte) (1 << rnd.nextInt(8));
        return b;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(in, rnd.nextInt(in.length));
      }
      case 2, 3 -> {
        // an interesting value over a 1-, 2-, 4- or 8-byte field, at a 4-aligned offset half the time
        int width = 1 << rnd.nextInt(4);
        int at = rnd.nextBoolean() ? pos & ~3 : pos;
        if (at + width > in.length) {
          return in;
        }
        long v = INTERESTING[rnd.nextInt(INTERESTING.length)];
        byte[] b = in.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
          case 1 -> bb.put(at, (byte) v);
          case 2 -> bb.putShort(at, (short) v);
          case 4 -> bb.putInt(at, (int) v);
          default -> bb.putLong(at, v);
        }
        return b;
      }
      case 4 -> {
        int len = 1 + rnd.nextInt(Math.min(64, in.length - pos));
        byte[] b = new byte[in.length + len];
        System.arraycopy(in, 0, b, 0, pos + len);
        System.arraycopy(in, pos, b, pos + len, in.length - pos);
        return b;
      }
      default -> {
        int len = 1 + rnd.nextInt(Math.min(64, in.length - pos));
        byte[] b = new byte[in.length - len];
        System.arraycopy(in, 0, b, 0, pos);
        System.arraycopy(in, pos + len, b, pos, in.length - pos - len);
        return b;
      }
    }
  }

  /** {@code count} mutants of a text sample (JSON, YAML, SRT, JSONL), each stacking one to three mutations. */
  public static List<String> text(String sample, long seed, int count) {
    Random rnd = new Random(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String s = sample;
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        s = textOnce(s, rnd);
      }
      out.add(s);
    }
    return out;
  }

  private static String textOnce(String in, Random rnd) {
    if (in.isEmpty()) {
      return in;
    }
    switch (rnd.nextInt(8)) {
      case 0 -> {
        return replaceOne(in, DIGITS, ODD_NUMBERS[rnd.nextInt(ODD_NUMBERS.length)], rnd);
      }
      case 1 -> {
        return replaceOne(in, VALUE, ODD_VALUES[rnd.nextInt(ODD_VALUES.length)], rnd);
      }
      case 2 -> {
        List<String> lines = new ArrayList<>(List.of(in.split("\n", -1)));
        int at = rnd.nextInt(lines.size());
        lines.add(rnd.nextInt(lines.size() + 1), lines.get(at)); // a duplicated key, cue or question
        return String.join("\n", lines);
      }
      case 3 -> {
        List<String> lines = new ArrayList<>(List.of(in.split("\n", -1)));
        lines.remove(rnd.nextInt(lines.size()));
        return String.join("\n", lines);
      }
      case 4 -> {
        return in.substring(0, rnd.nextInt(in.length()));
      }
      case 5 -> {
        int at = rnd.nextInt(in.length());
        return in.substring(0, at) + STRUCTURE.charAt(rnd.nextInt(STRUCTURE.length())) + in.substring(at + 1);
      }
      case 6 -> {
        int at = rnd.nextInt(in.length());
        return in.substring(0, at) + STRUCTURE.charAt(rnd.nextInt(STRUCTURE.length())) + in.substring(at);
      }
      default -> {
        int at = rnd.nextInt(in.length());
        int len = Math.min(in.length() - at, 1 + rnd.nextInt(40));
        return in.substring(0, at) + in.substring(at + len);
      }
    }
  }

  private static String replaceOne(String in, Pattern p, String with, Random rnd) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = p.matcher(in);
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return in;
    }
    int[] s = spans.get(rnd.nextInt(spans.size()));
    return in.substring(0, s[0]) + with + in.substring(s[1]);
  }
}
