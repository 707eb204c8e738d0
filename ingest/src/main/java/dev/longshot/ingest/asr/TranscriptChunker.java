package dev.longshot.ingest.asr;

import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.TimedWord;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups recognised words into {@code ASR} segments of at most {@code maxSeconds} ({@code asr.chunk-seconds}), cut
 * at pauses so a cited moment points at the sentence (issue 14; segments used to run 10-15 s across pauses). A
 * segment closes at the end of every utterance (a pause found by the {@link UtteranceSplitter}'s voice activity
 * detection, our stand-in for a sentence end since PocketSphinx gives no punctuation) once it is at least {@link
 * #MIN_SHARE} of the maximum long, so a lone "okay" joins the next sentence; a word that would take the segment past
 * the maximum first closes it at its longest pause between words (PocketSphinx's silences inside an utterance).
 * Segment confidence is the mean word confidence; every segment keeps its words with their times. Not thread-safe.
 */
final class TranscriptChunker {
  /** Share of the maximum a segment must reach before an utterance end closes it. */
  static final double MIN_SHARE = 0.25;

  private final long maxMillis;
  private final List<Segment> done = new ArrayList<>();
  private final List<TimedWord> open = new ArrayList<>();

  TranscriptChunker(double maxSeconds) {
    if (!(maxSeconds > 0)) {
      throw new IllegalArgumentException("maxSeconds must be > 0, got " + maxSeconds);
    }
    this.maxMillis = Math.round(maxSeconds * 1000);
  }

  /** Adds the words of one utterance, in time order. */
  void addUtterance(List<TimedWord> words) {
    for (TimedWord w : words) {
      while (!open.isEmpty() && w.endMillis() - open.getFirst().startMillis() > maxMillis) {
        closeAtLongestPause();
      }
      open.add(w);
    }
    if (!open.isEmpty() && open.getLast().endMillis() - open.getFirst().startMillis() >= maxMillis * MIN_SHARE) {
      close(open.size());
    }
  }

  /** All segments, closing the open one. */
  List<Segment> finish() {
    close(open.size());
    return List.copyOf(done);
  }

  /** Closes the open words before the longest gap between two of them (the later one on ties), or all of them. */
  private void closeAtLongestPause() {
    int cut = open.size();
    long longest = -1;
    for (int i = 1; i < open.size(); i++) {
      long gap = open.get(i).startMillis() - open.get(i - 1).endMillis();
      if (gap >= longest) {
        longest = gap;
        cut = i;
      }
    }
    close(cut);
  }

  private void close(int count) {
    if (count == 0) {
      return;
    }
    List<TimedWord> words = List.copyOf(open.subList(0, count));
    open.subList(0, count).clear();
    StringBuilder text = new StringBuilder();
    double conf = 0;
    for (TimedWord w : words) {
      text.append(text.isEmpty() ? "" : " ").append(w.word());
      conf += w.confidence();
    }
    done.add(new Segment(Modality.ASR, words.getFirst().startMillis(), words.getLast().endMillis(), text.toString(),
        List.of(), null, conf / words.size(), words));
  }
}
