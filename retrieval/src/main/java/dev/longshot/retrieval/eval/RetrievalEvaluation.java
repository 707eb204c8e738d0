package dev.longshot.retrieval.eval;

import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Scores answers against questions. A piece of evidence hits the right moment when it is from the question's
 * video and its span comes within {@code toleranceSeconds} of the expected span (overlap after widening the
 * expected span by the tolerance on both sides). Recall@k is the fraction of questions with a hit among the first
 * k evidence items; the keyword hit rate is the mean fraction of a question's keywords found in the answer text.
 */
public final class RetrievalEvaluation {
  /** The default tolerance: the right moment "within 5 s". */
  public static final double TOLERANCE_SECONDS = 5.0;

  /** The outcome of one question. */
  public record Result(EvalQuestion question, int firstHitRank, double keywordRate, double latencyMillis, Answer answer) {}

  /** Aggregates over all questions. */
  public record Report(List<Result> results, double recallAt1, double recallAt5, double keywordHitRate,
      double latencyP50Millis, double latencyP95Millis) {
    /** One line per metric, for people. */
    public String summary() {
      return String.format(Locale.ROOT, "questions %d%nrecall@1 %.3f%nrecall@5 %.3f%nkeyword hit rate %.3f%n"
          + "latency p50 %.1f ms%nlatency p95 %.1f ms", results.size(), recallAt1, recallAt5, keywordHitRate,
          latencyP50Millis, latencyP95Millis);
    }

    /** The summary, then one row per question: rank of the first right moment (0: none), keyword rate, latency. */
    public String table() {
      StringBuilder s = new StringBuilder(summary()).append(String.format("%n"));
      for (Result r : results) {
        s.append(String.format(Locale.ROOT, "%nrank %d  keywords %.2f  %6.1f ms  %s", r.firstHitRank(), r.keywordRate(),
            r.latencyMillis(), r.question().question()));
      }
      return s.toString();
    }
  }

  private RetrievalEvaluation() {}

  /**
   * Asks every question and scores it.
   *
   * @param videoIdOf maps a question's {@code video} to an indexed video id
   * @param ask answers one question (about the given video id)
   */
  public static Report run(List<EvalQuestion> questions, Function<String, String> videoIdOf, Asker ask) {
    List<Result> results = new ArrayList<>();
    for (EvalQuestion q : questions) {
      String videoId = videoIdOf.apply(q.video());
      long t0 = System.nanoTime();
      Answer a = ask.ask(q.question(), videoId);
      double ms = (System.nanoTime() - t0) / 1e6;
      results.add(new Result(q, firstHitRank(a.evidence(), videoId, q, TOLERANCE_SECONDS), keywordRate(a.text(), q.keywords()), ms, a));
    }
    return report(results);
  }

  /** Answers one question about one video. */
  @FunctionalInterface
  public interface Asker {
    Answer ask(String question, String videoId);
  }

  static Report report(List<Result> results) {
    double n = Math.max(1, results.size());
    double r1 = results.stream().filter(r -> r.firstHitRank() == 1).count() / n;
    double r5 = results.stream().filter(r -> r.firstHitRank() >= 1 && r.firstHitRank() <= 5).count() / n;
    double kw = results.stream().mapToDouble(Result::keywordRate).sum() / n;
    double[] lat = results.stream().mapToDouble(Result::latencyMillis).sorted().toArray();
    return new Report(List.copyOf(results), r1, r5, kw, percentile(lat, 50), percentile(lat, 95));
  }

  /** 1-based rank of the first evidence at the right moment, 0 when none is. */
  public static int firstHitRank(List<Evidence> evidence, String videoId, EvalQuestion q, double toleranceSeconds) {
    long from = Math.round((q.startSeconds() - toleranceSeconds) * 1000);
    long to = Math.round((q.endSeconds() + toleranceSeconds) * 1000);
    for (int i = 0; i < evidence.size(); i++) {
      Evidence e = evidence.get(i);
      if (e.videoId().equals(videoId) && e.startMillis() <= to && e.endMillis() >= from) {
        return i + 1;
      }
    }
    return 0;
  }

  /** Fraction of {@code keywords} found in {@code text}, case-insensitive; {@code a|b} counts if either is. */
  public static double keywordRate(String text, List<String> keywords) {
    if (keywords.isEmpty()) {
      return 1.0;
    }
    String t = text.toLowerCase(Locale.ROOT);
    long found = keywords.stream().filter(k -> Arrays.stream(k.toLowerCase(Locale.ROOT).split("\\|"))
        .map(String::strip).anyMatch(alt -> !alt.isEmpty() && t.contains(alt))).count();
    return (double) found / keywords.size();
  }

  /** Nearest-rank percentile of sorted values; 0 for none. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
