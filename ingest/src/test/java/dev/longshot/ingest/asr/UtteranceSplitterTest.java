package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtteranceSplitterTest {
  static final int HZ = SpeechRecognizer.SAMPLE_RATE_HZ;

  record Cut(long start, int length) {}

  /** Tone bursts ("speech") with a noise floor, at known sample positions. */
  static short[] signal(long seed, int totalSeconds, double[][] bursts) {
    Random r = new Random(seed);
    short[] pcm = new short[totalSeconds * HZ];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) (r.nextGaussian() * 20);
    }
    for (double[] b : bursts) {
      for (int i = (int) (b[0] * HZ); i < (int) (b[1] * HZ); i++) {
        pcm[i] += (short) (4000 * Math.sin(2 * Math.PI * 220 * i / HZ));
      }
    }
    return pcm;
  }

  static List<Cut> split(short[] pcm, int chunk) {
    List<Cut> cuts = new ArrayList<>();
    UtteranceSplitter s = new UtteranceSplitter((start, samples) -> cuts.add(new Cut(start, samples.length)));
    short[] buf = new short[chunk];
    for (int i = 0; i < pcm.length; i += chunk) {
      int n = Math.min(chunk, pcm.length - i);
      System.arraycopy(pcm, i, buf, 0, n);
      s.accept(buf, n);
    }
    s.finish();
    return cuts;
  }

  @Test
  void cutsAtPausesAndKeepsStreamPositions() {
    long seed = 99;
    short[] pcm = signal(seed, 12, new double[][] {{1.0, 3.0}, {4.0, 6.5}, {9.0, 10.0}});
    for (int chunk : new int[] {160, 1000, 8000, 16000 * 12}) {
      List<Cut> cuts = split(pcm, chunk);
      assertThat(cuts).as("seed %d, chunk %d", seed, chunk).hasSize(3);
      long[][] speech = {{HZ, 3 * HZ}, {4 * HZ, (long) (6.5 * HZ)}, {9 * HZ, 10 * HZ}};
      for (int i = 0; i < 3; i++) {
        Cut c = cuts.get(i);
        assertThat(c.start()).as("utterance %d starts before its speech", i).isLessThanOrEqualTo(speech[i][0]);
        assertThat(c.start()).as("utterance %d keeps at most ~0.4 s of lead-in", i).isGreaterThan(speech[i][0] - HZ / 2);
        assertThat(c.start() + c.length()).as("utterance %d covers its speech", i).isGreaterThanOrEqualTo(speech[i][1]);
      }
    }
  }

  /** A minute of "syllables" (300 ms tone, 60 ms gap) with no pause long enough to end an utterance. */
  @Test
  void longSpeechIsCutBelowTheMaximumLength() {
    List<double[]> syllables = new ArrayList<>();
    for (double t = 0.5; t < 59.5; t += 0.36) {
      syllables.add(new double[] {t, t + 0.3});
    }
    short[] pcm = signal(5, 60, syllables.toArray(new double[0][]));
    List<Cut> cuts = split(pcm, 4000);
    assertThat(cuts).hasSizeGreaterThan(2);
    assertThat(cuts).allMatch(c -> c.length() <= UtteranceSplitter.MAX_UTTERANCE_FRAMES * UtteranceSplitter.FRAME);
    for (int i = 1; i < cuts.size(); i++) {
      assertThat(cuts.get(i).start()).isEqualTo(cuts.get(i - 1).start() + cuts.get(i - 1).length());
    }
  }

  @Test
  void silenceGivesNothing() {
    assertThat(split(signal(1, 5, new double[0][]), 1600)).isEmpty();
  }
}
