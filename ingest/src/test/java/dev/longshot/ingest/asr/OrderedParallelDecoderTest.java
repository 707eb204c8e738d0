package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.timeline.TimedWord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The ordering and memory bound of parallel utterance decoding, with a pure-Java decode step whose duration varies
 * (seeded) so that later utterances often finish first; real PocketSphinx runs through it in
 * {@link PocketSphinxSpeechRecognizerTest}.
 */
class OrderedParallelDecoderTest {
  private static final long SEED = 20261125L;

  @Test
  void wordsComeOutInStreamOrderAndPendingWorkIsBounded() {
    Random random = new Random(SEED);
    int[] sleepMillis = random.ints(200, 0, 4).toArray();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<Long> delivered = new ArrayList<>();
    try (OrderedParallelDecoder decoder = new OrderedParallelDecoder(3, (start, samples) -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(sleepMillis[(int) start]);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      return List.of(new TimedWord("w" + start, start, start + 1, 1.0));
    }, words -> delivered.add(words.getFirst().startMillis()))) {
      for (int i = 0; i < sleepMillis.length; i++) {
        decoder.submit(i, new short[1]);
        assertThat(i + 1 - delivered.size()).as("utterances pending after submitting #%d (seed %d)", i, SEED).isLessThanOrEqualTo(4);
      }
      decoder.finish();
    }
    assertThat(delivered).as("seed %d", SEED).hasSize(sleepMillis.length).isSorted();
    assertThat(maxInFlight.get()).isBetween(1, 3);
  }

  @Test
  void aFailedUtteranceFailsTheTrackWithItsCause() {
    IllegalStateException boom = new IllegalStateException("ps_start_utt failed at sample 16000");
    try (OrderedParallelDecoder decoder = new OrderedParallelDecoder(2, (start, samples) -> {
      if (start == 16_000) {
        throw boom;
      }
      return List.of();
    }, words -> {})) {
      decoder.submit(0, new short[1]);
      decoder.submit(16_000, new short[1]);
      assertThatThrownBy(decoder::finish).isSameAs(boom);
    }
  }

  @Test
  void zeroThreadsIsRejected() {
    assertThatThrownBy(() -> new OrderedParallelDecoder(0, (s, p) -> List.of(), w -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }
}
