package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.Segment;
import dev.longshot.timeline.TimedWord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptChunkerTest {
  /** An utterance of {@code n} words, 400 ms each, from {@code startMillis}. */
  static List<TimedWord> utterance(long startMillis, int n) {
    List<TimedWord> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      words.add(new TimedWord("w" + (startMillis / 1000) + "_" + i, startMillis + i * 400L, startMillis + i * 400L + 380, 0.5));
    }
    return words;
  }

  @Test
  void shortUtterancesAreJoinedUntilAboutTheTarget() {
    TranscriptChunker c = new TranscriptChunker(10);
    c.addUtterance(utterance(0, 8));       // 3.2 s: too short alone
    c.addUtterance(utterance(4_000, 8));   // segment now 7.2 s >= 6 s: closes
    c.addUtterance(utterance(9_000, 5));
    List<Segment> segs = c.finish();
    assertThat(segs).hasSize(2);
    assertThat(segs.get(0).words()).hasSize(16);
    assertThat(segs.get(0).startMillis()).isZero();
    assertThat(segs.get(0).endMillis()).isEqualTo(4_000 + 7 * 400 + 380);
    assertThat(segs.get(1).startMillis()).isEqualTo(9_000);
    assertThat(segs.get(0).confidence()).isEqualTo(0.5);
  }

  @Test
  void aLongUtteranceIsSplitAtOneAndAHalfTimesTheTarget() {
    TranscriptChunker c = new TranscriptChunker(10);
    c.addUtterance(utterance(0, 100));     // 40 s of words
    List<Segment> segs = c.finish();
    assertThat(segs).hasSizeGreaterThanOrEqualTo(3);
    assertThat(segs).allMatch(s -> s.endMillis() - s.startMillis() <= 15_000);
    assertThat(segs.stream().mapToInt(s -> s.words().size()).sum()).isEqualTo(100);
  }

  @Test
  void noWordsNoSegments() {
    TranscriptChunker c = new TranscriptChunker(10);
    c.addUtterance(List.of());
    assertThat(c.finish()).isEmpty();
  }
}
