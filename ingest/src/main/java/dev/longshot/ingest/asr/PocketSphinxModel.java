package dev.longshot.ingest.asr;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a PocketSphinx model folder's files against their own headers before any decoder is loaded: loading one
 * costs ~0.75 CPU s, so it waits for the first file with audio, and several broken acoustic model files (a
 * truncated {@code mdef}, garbled {@code variances}, a missing {@code sendump}) make the library end the whole
 * process (E_FATAL or a segfault in Debian's 0.8+5prealpha) rather than return an error. Checked, in a few
 * milliseconds (the big files are mapped and only their headers and the language model's vocabulary are read):
 * <ul>
 *   <li>{@code en-us/mdef}: binary ({@code BMDF}) at least as long as its declared tables, or text with its
 *       {@code 0.3} version line;</li>
 *   <li>{@code en-us/means}, {@code variances}, {@code transition_matrices} and {@code mixture_weights} when
 *       present: the s3 header, the byte-order word and exactly the size their dimensions give;</li>
 *   <li>{@code en-us/sendump} (or {@code mixture_weights}): the header strings and the size of the table they
 *       declare;</li>
 *   <li>{@code en-us/feat.params}: {@code -name value} lines;</li>
 *   <li>{@code en-us.lm.bin}: a trie model's header counts and its vocabulary at the end of the file (so a
 *       truncated file fails), or the magic of the older DMP and ARPA formats;</li>
 *   <li>{@code cmudict-en-us.dict}: first and last line are "word PHONES" entries and the file ends with a line
 *       break.</li>
 * </ul>
 * What the headers cannot show (values garbled in place inside a table) still fails when the first decoder loads.
 */
final class PocketSphinxModel {
  static final String ACOUSTIC = "en-us";
  static final String LANGUAGE_MODEL = "en-us.lm.bin";
  static final String DICTIONARY = "cmudict-en-us.dict";
  private static final String MISSING = "is missing";
  private static final int S3_BYTE_ORDER = 0x11223344;
  private static final Pattern DICT_LINE = Pattern.compile("\\S+(\\s+[A-Z]+[0-2]?)+\\s*");
  private static final Pattern PARAM_LINE = Pattern.compile("-\\w+\\s+\\S.*");

  private PocketSphinxModel() {}

  /**
   * @throws IllegalArgumentException naming the first missing or broken file (with its folder), on one line
   */
  static void check(Path dir) {
    Path am = dir.resolve(ACOUSTIC);
    try {
      mdef(require(dir, am.resolve("mdef")));
      for (String f : List.of("means", "variances")) {
        s3(require(dir, am.resolve(f)), 3);
      }
      s3(require(dir, am.resolve("transition_matrices")), 0);
      Path mixw = am.resolve("mixture_weights");
      if (Files.isRegularFile(mixw)) {
        s3(mixw, 0);
      } else {
        sendump(require(dir, am.resolve("sendump")));
      }
      featParams(require(dir, am.resolve("feat.params")));
      languageModel(require(dir, dir.resolve(LANGUAGE_MODEL)));
      dictionary(require(dir, dir.resolve(DICTIONARY)));
    } catch (Broken e) {
      String what = e.getMessage().equals(MISSING) ? "PocketSphinx model file missing: " + e.file
          : "PocketSphinx model file " + e.file + " " + e.getMessage();
      throw new IllegalArgumentException(what + " (set asr.pocketsphinx-model-dir; Debian package pocketsphinx-en-us)");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the PocketSphinx model folder " + dir + ": " + e);
    }
  }

  /** A file that does not match its own header. */
  private static final class Broken extends Exception {
    final transient Path file;

    Broken(Path file, String what) {
      super(what, null, false, false);
      this.file = file;
    }
  }

  private static Path require(Path dir, Path file) throws Broken, IOException {
    if (!Files.isRegularFile(file)) {
      throw new Broken(file, MISSING);
    }
    if (Files.size(file) == 0) {
      throw new Broken(file, "is empty");
    }
    return file;
  }

  private static MappedByteBuffer map(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      return f.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, f.length());
    }
  }

  private static void mdef(Path file) throws Broken, IOException {
    ByteBuffer b = map(file);
    String magic = ascii(b, 0, Math.min(4, b.limit()));
    if (magic.startsWith("0.3")) {
      return; // text format: parsed with error returns, not fatally
    }
    if (!magic.equals("BMDF") && !magic.equals("FDMB")) {
      throw new Broken(file, "is not a model definition (no BMDF or 0.3 header)");
    }
    b.order(magic.equals("BMDF") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    try {
      int descLength = b.getInt(8);
      int p = 12 + descLength;
      int nCiphone = b.getInt(p);
      int nPhone = b.getInt(p + 4);
      int nEmitState = b.getInt(p + 8);
      int nSseq = b.getInt(p + 24);
      int nCdTree = b.getInt(p + 32);
      if (descLength < 0 || nCiphone <= 0 || nPhone < nCiphone || nEmitState < 0 || nSseq < 0 || nCdTree < 0) {
        throw new Broken(file, "has an impossible header");
      }
      p += 40;
      for (int i = 0; i < nCiphone; i++) { // phone names, each ending in a 0 byte
        while (b.get(p) != 0) {
          p++;
        }
        p++;
      }
      p = (p + 3) & ~3;
      long need = p + 8L * nCdTree + 12L * nPhone + 2L * nSseq * nEmitState;
      if (b.limit() < need) {
        throw new Broken(file, "is truncated (" + b.limit() + " bytes, its tables need " + need + ")");
      }
    } catch (IndexOutOfBoundsException e) {
      throw new Broken(file, "is truncated");
    }
  }

  /** An s3 binary file: text header to {@code endhdr\n}, byte-order word, dimensions, the values, a checksum. */
  private static void s3(Path file, int gaudenFeatures) throws Broken, IOException {
    ByteBuffer b = map(file);
    int end = indexOf(b, "endhdr\n".getBytes(StandardCharsets.US_ASCII), 0, Math.min(b.limit(), 4096));
    if (!ascii(b, 0, Math.min(3, b.limit())).equals("s3\n") || end < 0) {
      throw new Broken(file, "has no s3 header");
    }
    String header = ascii(b, 0, end);
    int p = end + 7;
    try {
      int order = b.order(ByteOrder.LITTLE_ENDIAN).getInt(p);
      if (order != S3_BYTE_ORDER) {
        b.order(ByteOrder.BIG_ENDIAN);
        if (b.getInt(p) != S3_BYTE_ORDER) {
          throw new Broken(file, "has no s3 byte-order word");
        }
      }
      p += 4;
      long values;
      if (gaudenFeatures > 0) { // Gaussian means/variances: n_mgau, n_feat, n_density, veclen[n_feat], total
        int nFeat = b.getInt(p + 4);
        if (nFeat <= 0 || nFeat > 64) {
          throw new Broken(file, "has an impossible header");
        }
        p += 12 + 4 * nFeat;
      } else { // a 3-d array: d1, d2, d3, total
        p += 12;
      }
      values = b.getInt(p) & 0xffffffffL;
      p += 4;
      long want = p + 4 * values + (header.contains("chksum0 yes") ? 4 : 0);
      if (b.limit() != want) {
        throw new Broken(file, "has " + b.limit() + " bytes where its header gives " + want);
      }
    } catch (IndexOutOfBoundsException e) {
      throw new Broken(file, "is truncated");
    }
  }

  /** Header strings (int32 length, string), a 0 length, #codewords, #pdfs, then one byte per pdf, codeword, feature. */
  private static void sendump(Path file) throws Broken, IOException {
    ByteBuffer b = map(file);
    b.order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (b.getInt(0) < 0 || b.getInt(0) > 4096) {
        b.order(ByteOrder.BIG_ENDIAN);
      }
      int p = 0;
      int features = 1;
      boolean clusters = false;
      for (int len = b.getInt(p); len != 0; len = b.getInt(p)) {
        if (len < 0 || len > 4096) {
          throw new Broken(file, "has a broken header");
        }
        String s = ascii(b, p + 4, len).replace("\0", "");
        if (s.startsWith("feature_count ")) {
          features = Integer.parseInt(s.substring(14).trim());
        } else if (s.startsWith("cluster_count ")) {
          clusters = Integer.parseInt(s.substring(14).trim()) != 0;
        }
        p += 4 + len;
      }
      p += 4;
      long codewords = b.getInt(p);
      long pdfs = b.getInt(p + 4);
      long want = p + 8 + features * codewords * pdfs;
      if (codewords <= 0 || pdfs <= 0 || !clusters && b.limit() != want) { // clustered tables: not checked
        throw new Broken(file, "has " + b.limit() + " bytes where its header gives " + want);
      }
      if (!ascii(b, 4, Math.min(b.getInt(0), 29)).startsWith("BEGIN FILE FORMAT")) {
        throw new Broken(file, "has a broken header");
      }
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      throw new Broken(file, "is truncated or has a broken header");
    }
  }

  private static void featParams(Path file) throws Broken, IOException {
    if (Files.size(file) > 65_536) {
      throw new Broken(file, "is not a feature parameter file (over 64 KiB)");
    }
    for (String line : new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n")) {
      if (!line.isBlank() && !PARAM_LINE.matcher(line.strip()).matches()) {
        throw new Broken(file, "is not a feature parameter file (a line is not \"-name value\")");
      }
    }
  }

  private static void languageModel(Path file) throws Broken, IOException {
    ByteBuffer b = map(file);
    String trie = "Trie Language Model";
    String head = ascii(b, 0, Math.min(64, b.limit()));
    if (head.startsWith("\\data\\") || head.contains("Darpa Trigram LM binary file")
        || (head.startsWith("#") || head.isBlank()) && indexOf(b, "\\data\\".getBytes(StandardCharsets.US_ASCII), 0,
            Math.min(b.limit(), 1 << 16)) >= 0) {
      return; // ARPA text or the older DMP format: read with error returns
    }
    if (!head.startsWith(trie)) {
      throw new Broken(file, "is not a language model (no trie, DMP or ARPA header)");
    }
    b.order(ByteOrder.LITTLE_ENDIAN);
    try {
      int order = b.get(trie.length());
      long words = b.getInt(trie.length() + 1) & 0xffffffffL;
      if (order < 1 || order > 10 || words < 1 || words > b.limit() / 2) {
        throw new Broken(file, "has an impossible header");
      }
      // The vocabulary closes the file: int32 k, then k bytes of 0-terminated words, one per unigram.
      int end = b.limit();
      if (b.get(end - 1) != 0) {
        throw new Broken(file, "is truncated (it does not end with its vocabulary)");
      }
      int p = end - 1;
      for (long n = 1; n < words; n++) { // back to the terminator before the first word
        p--;
        while (p > 0 && b.get(p) != 0) {
          p--;
        }
        if (p <= 0) {
          throw new Broken(file, "is truncated (its vocabulary is short of " + words + " words)");
        }
      }
      for (int start = p; start > Math.max(4, p - 1024); start--) { // the first word, after k
        if (start < p && b.get(start) == 0) {
          break;
        }
        if ((b.getInt(start - 4) & 0xffffffffL) == end - start) {
          return;
        }
      }
      throw new Broken(file, "is truncated (its vocabulary does not match its length field)");
    } catch (IndexOutOfBoundsException e) {
      throw new Broken(file, "is truncated");
    }
  }

  private static void dictionary(Path file) throws Broken, IOException {
    ByteBuffer b = map(file);
    int n = b.limit();
    if (b.get(n - 1) != '\n') {
      throw new Broken(file, "is truncated (no line break at its end)");
    }
    int firstEnd = indexOf(b, new byte[] {'\n'}, 0, Math.min(n, 4096));
    int lastStart = n - 2;
    while (lastStart > 0 && b.get(lastStart - 1) != '\n' && n - lastStart < 4096) {
      lastStart--;
    }
    for (String line : List.of(firstEnd < 0 ? "" : ascii(b, 0, firstEnd), ascii(b, lastStart, n - 1 - lastStart))) {
      if (!DICT_LINE.matcher(line).matches()) {
        throw new Broken(file, "is not a pronunciation dictionary (a line is not \"word PHONES\")");
      }
    }
  }

  private static String ascii(ByteBuffer b, int from, int length) {
    byte[] out = new byte[Math.max(0, length)];
    b.get(from, out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static int indexOf(ByteBuffer b, byte[] what, int from, int to) {
    outer:
    for (int i = from; i + what.length <= to; i++) {
      for (int k = 0; k < what.length; k++) {
        if (b.get(i + k) != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
