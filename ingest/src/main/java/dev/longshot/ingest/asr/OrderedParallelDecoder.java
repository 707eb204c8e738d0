package dev.longshot.ingest.asr;

import dev.longshot.timeline.TimedWord;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Decodes the utterances of one track on up to {@code threads} threads at once and hands their words to a sink in
 * stream order, so segments and word times come out exactly as with one decoder. Memory stays bounded: at most
 * {@code threads + 1} utterances (each at most {@link UtteranceSplitter#MAX_UTTERANCE_FRAMES} frames, 800 KB) are
 * queued or decoding; {@link #submit} blocks the caller until the oldest one is done when that many are pending.
 * Worker threads are daemons named {@code longshot-asr-decode-N}, created on demand and stopped by {@link #close}.
 * Not thread-safe: one feeding thread; the sink runs on that thread.
 */
final class OrderedParallelDecoder implements AutoCloseable {
  /** Decodes one utterance (its first sample's index in the stream and its samples) to words in stream time. */
  interface Decode {
    List<TimedWord> decode(long startSample, short[] samples);
  }

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final Decode decode;
  private final Consumer<List<TimedWord>> sink;
  private final int maxPending;
  private final ExecutorService pool;
  private final ArrayDeque<Future<List<TimedWord>>> pending = new ArrayDeque<>();

  /**
   * @param threads decoders working at once, at least 1
   * @param decode called on the worker threads, concurrently when {@code threads > 1}
   * @param sink receives each utterance's words, in submission order, on the thread calling submit/finish
   */
  OrderedParallelDecoder(int threads, Decode decode, Consumer<List<TimedWord>> sink) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.decode = decode;
    this.sink = sink;
    this.maxPending = threads + 1;
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "longshot-asr-decode-" + THREAD_IDS.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = Executors.newFixedThreadPool(threads, daemons);
  }

  /** Queues one utterance; first hands finished leading utterances to the sink, waiting while too many pend. */
  void submit(long startSample, short[] samples) {
    while (pending.size() >= maxPending || (!pending.isEmpty() && pending.peekFirst().isDone())) {
      deliverOldest();
    }
    pending.addLast(pool.submit(() -> decode.decode(startSample, samples)));
  }

  /** Waits for every queued utterance and hands them to the sink in order. */
  void finish() {
    while (!pending.isEmpty()) {
      deliverOldest();
    }
  }

  private void deliverOldest() {
    Future<List<TimedWord>> oldest = pending.removeFirst();
    try {
      sink.accept(oldest.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("Speech decoding failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for speech decoding", e);
    }
  }

  /** Drops what is still queued and waits for the utterances being decoded, so their decoders are returned. */
  @Override
  public void close() {
    pending.forEach(f -> f.cancel(false));
    pending.clear();
    pool.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true; // a native decode cannot be interrupted; its decoder must come back before close returns
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
