package dev.longshot.ingest;

import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import java.time.Duration;
import java.util.List;

/**
 * Maps the ingest stages ({@code probe}, {@code decode}, {@code asr}, {@code write}) onto one overall fraction
 * with fixed weights, estimates the time left from the rate so far, and throttles updates to a few per second
 * (stage changes and the final 100% always go out). A listener that throws is ignored, never fatal, except for
 * {@link ProgressListener.Cancelled}, which stops the ingest; entering a stage on an interrupted thread (a job
 * past its time limit) stops it too.
 */
final class ProgressTracker {
  static final List<String> STAGES = List.of("probe", "decode", "asr", "write");
  private static final double[] WEIGHTS = {0.02, 0.88, 0.06, 0.04};
  private static final long MIN_INTERVAL_NANOS = 200_000_000L;

  private final ProgressListener listener;
  private final long startNanos = System.nanoTime();
  private int stage = -1;
  private double base;
  private long lastEmit;
  private double lastFraction;

  ProgressTracker(ProgressListener listener) {
    this.listener = listener == null ? ProgressListener.NONE : listener;
  }

  /** Enters {@code name} (one of {@link #STAGES}, in order). */
  synchronized void stage(String name, String message) {
    int i = STAGES.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("Unknown stage " + name);
    }
    base = 0;
    for (int k = 0; k < i; k++) {
      base += WEIGHTS[k];
    }
    stage = i;
    if (Thread.currentThread().isInterrupted()) {
      throw new ProgressListener.Cancelled("interrupted before the " + name + " stage");
    }
    emit(base, message, true);
  }

  /** Progress {@code f} (0..1) within the current stage; throttled. */
  synchronized void within(double f, String message) {
    if (stage < 0) {
      return;
    }
    double clamped = Double.isNaN(f) ? 0 : Math.max(0, Math.min(1, f));
    emit(base + WEIGHTS[stage] * clamped, message, false);
  }

  /** All done. */
  synchronized void done(String message) {
    emit(1.0, message, true);
  }

  private void emit(double fraction, String message, boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastEmit < MIN_INTERVAL_NANOS) {
      return;
    }
    fraction = Math.max(fraction, lastFraction);
    lastFraction = fraction;
    lastEmit = now;
    Duration eta = null;
    if (fraction >= 1) {
      eta = Duration.ZERO;
    } else if (fraction >= 0.03) {
      double elapsed = now - startNanos;
      eta = Duration.ofMillis(Math.round(elapsed * (1 - fraction) / fraction / 1e6));
    }
    try {
      listener.onProgress(new Progress(STAGES.get(Math.max(0, stage)), fraction, eta, message));
    } catch (ProgressListener.Cancelled stop) {
      throw stop;
    } catch (RuntimeException ignored) {
      // a broken progress display must not break the ingest
    }
  }
}
