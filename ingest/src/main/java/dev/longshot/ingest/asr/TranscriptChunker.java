package dev.longshot.ingest.asr;

import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.TimedWord;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups recognised words into {@code ASR} segments of about {@code chunkSeconds}: a segment closes at the end of an
 * utterance (a pause, our stand-in for a sentence end since PocketSphinx gives no punctuation) once it is at least
 * 60% of the target long, and closes mid-utterance only when it would pass 150% of the target. Segment confidence
 * is the mean word confidence. Not thread-safe.
 */
final class TranscriptChunker {
  private final long targetMillis;
  private final List<Segment> done = new ArrayList<>();
  private final List<TimedWord> open = new ArrayList<>();

  TranscriptChunker(double chunkSeconds) {
    if (!(chunkSeconds > 0)) {
      throw new IllegalArgumentException("chunkSeconds must be > 0, got " + chunkSeconds);
    }
    this.targetMillis = Math.round(chunkSeconds * 1000);
  }

  /** Adds the words of one utterance, in time order. */
  void addUtterance(List<TimedWord> words) {
    for (TimedWord w : words) {
      if (!open.isEmpty() && w.endMillis() - open.getFirst().startMillis() > targetMillis * 3 / 2) {
        close();
      }
      open.add(w);
    }
    if (!open.isEmpty() && open.getLast().endMillis() - open.getFirst().startMillis() >= targetMillis * 3 / 5) {
      close();
    }
  }

  /** All segments, closing the open one. */
  List<Segment> finish() {
    close();
    return List.copyOf(done);
  }

  private void close() {
    if (open.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    double conf = 0;
    for (TimedWord w : open) {
      text.append(text.isEmpty() ? "" : " ").append(w.word());
      conf += w.confidence();
    }
    done.add(new Segment(Modality.ASR, open.getFirst().startMillis(), open.getLast().endMillis(), text.toString(),
        List.of(), null, conf / open.size(), open));
    open.clear();
  }
}
