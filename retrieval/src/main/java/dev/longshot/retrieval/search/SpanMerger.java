package dev.longshot.retrieval.search;

import dev.longshot.timeline.Evidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Merges hits of the same video and modality whose spans are at most {@code gapMillis} apart into one span, so a
 * sentence split over two ASR chunks, or one slide read on several frames, becomes one piece of evidence. Speech
 * merges on adjacency alone; on-screen text and detections also need mostly the same words (word-set Jaccard at
 * least 1/2), so two different slides shown back to back stay two pieces of evidence. The
 * merged hit keeps the best member's score, similarity, ranks and keyframe; texts are joined in time order with
 * exact repeats (the same slide read twice) dropped.
 */
public final class SpanMerger {
  private final long gapMillis;

  public SpanMerger(long gapMillis) {
    if (gapMillis < 0) {
      throw new IllegalArgumentException("merge gap must be >= 0 ms, got " + gapMillis);
    }
    this.gapMillis = gapMillis;
  }

  /** Merges all adjacent {@code candidates} and returns hits best first. */
  public List<SearchHit> merge(List<Candidate> candidates) {
    return merge(candidates, c -> true);
  }

  /**
   * Merges adjacent candidates that satisfy {@code mergeable} (real matches); the others stay single hits, so a
   * weak neighbour that kNN returned only to fill its list never stretches a strong hit's span.
   */
  public List<SearchHit> merge(List<Candidate> candidates, Predicate<Candidate> mergeable) {
    List<SearchHit> out = new ArrayList<>();
    List<Candidate> pool = new ArrayList<>();
    for (Candidate c : candidates) {
      if (mergeable.test(c)) {
        pool.add(c);
      } else {
        out.add(toHit(List.of(c)));
      }
    }
    out.addAll(mergeAll(pool));
    out.sort(Comparator.comparingDouble(SearchHit::score).reversed()
        .thenComparing(h -> h.evidence().videoId()).thenComparingLong(h -> h.evidence().startMillis()));
    return out;
  }

  private List<SearchHit> mergeAll(List<Candidate> candidates) {
    List<Candidate> byTime = new ArrayList<>(candidates);
    byTime.sort(Comparator.comparing(Candidate::videoId).thenComparing(Candidate::modality)
        .thenComparingLong(Candidate::startMillis));
    List<SearchHit> out = new ArrayList<>();
    List<Candidate> group = new ArrayList<>();
    for (Candidate c : byTime) {
      if (!group.isEmpty() && !adjacent(group.getLast(), c, group)) {
        out.add(toHit(group));
        group = new ArrayList<>();
      }
      group.add(c);
    }
    if (!group.isEmpty()) {
      out.add(toHit(group));
    }
    return out;
  }

  private boolean adjacent(Candidate last, Candidate next, List<Candidate> group) {
    long groupEnd = group.stream().mapToLong(Candidate::endMillis).max().orElse(last.endMillis());
    return last.videoId().equals(next.videoId()) && last.modality() == next.modality()
        && next.startMillis() - groupEnd <= gapMillis
        && (next.modality().isSpeech() || sameWords(last.text(), next.text()));
  }

  /** Word-set Jaccard similarity of at least 1/2: the same slide or scene read on neighbouring frames. */
  static boolean sameWords(String a, String b) {
    Set<String> wa = words(a);
    Set<String> wb = words(b);
    if (wa.isEmpty() || wb.isEmpty()) {
      return wa.isEmpty() && wb.isEmpty();
    }
    long common = wa.stream().filter(wb::contains).count();
    return 2 * common >= wa.size() + wb.size() - common;
  }

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static SearchHit toHit(List<Candidate> group) {
    Candidate best = group.stream().max(Comparator.comparingDouble(Candidate::score)).orElseThrow();
    long start = group.stream().mapToLong(Candidate::startMillis).min().orElseThrow();
    long end = group.stream().mapToLong(Candidate::endMillis).max().orElseThrow();
    Set<String> texts = new LinkedHashSet<>();
    for (Candidate c : group) {
      if (!c.text().isBlank()) {
        texts.add(c.text().strip());
      }
    }
    String text = String.join(best.modality().isSpeech() ? " " : " / ", texts);
    String keyframe = best.keyframe() != null ? best.keyframe()
        : group.stream().map(Candidate::keyframe).filter(k -> k != null).findFirst().orElse(null);
    Evidence e = new Evidence(best.videoId(), best.modality(), start, end, text, keyframe, best.score());
    return new SearchHit(e, best.similarity(), best.lexicalRank(), best.vectorRank(), group.size());
  }
}
