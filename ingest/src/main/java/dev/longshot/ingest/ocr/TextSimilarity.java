package dev.longshot.ingest.ocr;

import java.util.Locale;

/** Edit-distance helpers for comparing OCR text (word matching in {@link ScreenWords}, character error rate in the benchmark). */
public final class TextSimilarity {
  private TextSimilarity() {}

  /** Lower case, every run of whitespace one space, trimmed. */
  public static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  /** Levenshtein distance between {@code a} and {@code b} (characters, i.e. UTF-16 units). */
  public static int levenshtein(CharSequence a, CharSequence b) {
    int n = a.length();
    int m = b.length();
    if (n == 0) {
      return m;
    }
    if (m == 0) {
      return n;
    }
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      cur[0] = i;
      char ca = a.charAt(i - 1);
      for (int j = 1; j <= m; j++) {
        int cost = ca == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[m];
  }

  /** 1 - distance / longer length of the normalised texts: 1 for equal, 0 for nothing in common. */
  public static double similarity(String a, String b) {
    String x = normalize(a);
    String y = normalize(b);
    int max = Math.max(x.length(), y.length());
    if (max == 0) {
      return 1;
    }
    if (Math.min(x.length(), y.length()) < max / 2) {
      return 0; // cheap exit: cannot reach any useful similarity
    }
    return 1 - levenshtein(x, y) / (double) max;
  }

  /** Character error rate of {@code hypothesis} against {@code reference} (normalised texts), may exceed 1. */
  public static double characterErrorRate(String reference, String hypothesis) {
    String r = normalize(reference);
    String h = normalize(hypothesis);
    if (r.isEmpty()) {
      return h.isEmpty() ? 0 : 1;
    }
    return levenshtein(r, h) / (double) r.length();
  }
}
