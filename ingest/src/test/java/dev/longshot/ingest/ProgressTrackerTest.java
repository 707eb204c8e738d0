package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A broken progress display never stops an ingest; a cancel from the listener or an interrupt always does. */
class ProgressTrackerTest {
  @Test
  void aListenerThatFailsIsIgnored() {
    List<String> seen = new ArrayList<>();
    ProgressTracker pt = new ProgressTracker(p -> {
      seen.add(p.stage());
      throw new IllegalStateException("display broke");
    });
    pt.stage("probe", "x");
    pt.stage("decode", "x");
    pt.done("done");
    assertThat(seen).containsExactly("probe", "decode", "decode");
  }

  @Test
  void aCancelFromTheListenerStopsTheWork() {
    ProgressTracker pt = new ProgressTracker(p -> {
      if (p.stage().equals("asr")) {
        throw new ProgressListener.Cancelled("job ended (TIMEOUT)");
      }
    });
    pt.stage("decode", "x");
    assertThatThrownBy(() -> pt.stage("asr", "x")).isInstanceOf(ProgressListener.Cancelled.class)
        .hasMessage("job ended (TIMEOUT)");
  }

  @Test
  void anInterruptedWorkerStopsAtTheNextStage() {
    List<Progress> seen = new ArrayList<>();
    ProgressTracker pt = new ProgressTracker(seen::add);
    pt.stage("decode", "x");
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> pt.stage("asr", "x")).isInstanceOf(ProgressListener.Cancelled.class)
          .hasMessageContaining("interrupted before the asr stage");
    } finally {
      Thread.interrupted();
    }
    assertThat(seen).extracting(Progress::stage).containsExactly("decode");
  }
}
