package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.Segment;
import dev.longshot.timeline.TimedWord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptChunkerTest {
  /** An utterance of {@code n} words, 400 ms each (20 ms apart), from {@code startMillis}. */
  static List<TimedWord> utterance(long startMillis, int n) {
    List<TimedWord> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      words.add(new TimedWord("w" + (startMillis / 1000) + "_" + i, startMillis + i * 400L, startMillis + i * 400L + 380, 0.5));
    }
    return words;
  }

  @Test
  void everySentenceBetweenPausesIsItsOwnSegment() {
    TranscriptChunker c = new TranscriptChunker(8);
    c.addUtterance(utterance(0, 8));       // 3.2 s
    c.addUtterance(utterance(4_000, 8));   // 3.2 s
    c.addUtterance(utterance(9_000, 5));   // 2 s
    List<Segment> segs = c.finish();
    assertThat(segs).extracting(Segment::startMillis).containsExactly(0L, 4_000L, 9_000L);
    assertThat(segs.get(0).endMillis()).isEqualTo(7 * 400 + 380);
    assertThat(segs.get(0).words()).hasSize(8);
    assertThat(segs.get(0).confidence()).isEqualTo(0.5);
  }

  @Test
  void aLoneShortUtteranceJoinsTheNextSentence() {
    TranscriptChunker c = new TranscriptChunker(8);
    c.addUtterance(utterance(0, 2));       // "okay then": 0.8 s, under a quarter of 8 s
    c.addUtterance(utterance(1_500, 8));
    List<Segment> segs = c.finish();
    assertThat(segs).singleElement().satisfies(s -> {
      assertThat(s.startMillis()).isZero();
      assertThat(s.words()).hasSize(10);
    });
  }

  @Test
  void aLongUtteranceIsCutAtItsPausesToAtMostTheMaximum() {
    // 40 s without an utterance end: sentences of 12 words (4.8 s) with a 300 ms pause between them
    List<TimedWord> words = new ArrayList<>();
    long t = 0;
    for (int sentence = 0; sentence < 8; sentence++) {
      for (int i = 0; i < 12; i++) {
        words.add(new TimedWord("s" + sentence + "w" + i, t, t + 380, 0.5));
        t += 400;
      }
      t += 300;
    }
    TranscriptChunker c = new TranscriptChunker(8);
    c.addUtterance(words);
    List<Segment> segs = c.finish();
    assertThat(segs).hasSize(8);
    assertThat(segs).allSatisfy(s -> {
      assertThat(s.endMillis() - s.startMillis()).isLessThanOrEqualTo(8_000);
      assertThat(s.words().getFirst().word()).endsWith("w0"); // each starts at a sentence, not mid-sentence
      assertThat(s.words()).hasSize(12);
    });
    assertThat(segs.stream().mapToInt(s -> s.words().size()).sum()).isEqualTo(96);
  }

  @Test
  void evenPauselessSpeechNeverPassesTheMaximum() {
    TranscriptChunker c = new TranscriptChunker(8);
    c.addUtterance(utterance(0, 100));     // 40 s of evenly spaced words
    List<Segment> segs = c.finish();
    assertThat(segs).allMatch(s -> s.endMillis() - s.startMillis() <= 8_000);
    assertThat(segs.stream().mapToInt(s -> s.words().size()).sum()).isEqualTo(100);
  }

  @Test
  void noWordsNoSegments() {
    TranscriptChunker c = new TranscriptChunker(8);
    c.addUtterance(List.of());
    assertThat(c.finish()).isEmpty();
  }
}
