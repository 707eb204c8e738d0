package dev.longshot.ingest;

import dev.longshot.ingest.asr.Transcription;
import dev.longshot.timeline.Segment;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the decoded 16 kHz PCM to a {@link Transcription} on its own thread, so speech recognition runs beside
 * decoding and OCR. The queue holds at most {@value #QUEUE} chunks (about 32 s of audio, 1 MiB): when ASR is
 * slower than decoding, decoding waits, and memory stays flat.
 */
final class AsrWorker implements AutoCloseable {
  static final int QUEUE = 64;
  private static final short[] END = new short[0];

  private final BlockingQueue<short[]> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Transcription transcription;
  private final Thread thread;
  private volatile Throwable failure;
  private List<Segment> result;
  private long acceptNanos;
  private long finishNanos;
  private boolean joined;

  AsrWorker(Transcription transcription) {
    this.transcription = transcription;
    this.thread = new Thread(this::loop, "longshot-asr");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a copy of {@code pcm[0..length)}. */
  void accept(short[] pcm, int length) throws IngestException {
    put(Arrays.copyOf(pcm, length));
  }

  /** Ends the audio, waits for the transcript. */
  List<Segment> finish() throws IngestException {
    put(END);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException(IngestException.Kind.INTERNAL, "interrupted while finishing speech recognition", e);
    }
    joined = true;
    rethrow();
    return result;
  }

  /** Time spent in {@code accept}, milliseconds (overlaps decoding). */
  long acceptMillis() {
    return acceptNanos / 1_000_000;
  }

  /** Time spent in {@code finish}, milliseconds. */
  long finishMillis() {
    return finishNanos / 1_000_000;
  }

  @Override
  public void close() {
    if (!joined) {
      thread.interrupt();
      queue.clear();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    transcription.close();
  }

  private void put(short[] chunk) throws IngestException {
    try {
      while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        rethrow();
        if (!thread.isAlive()) {
          throw new IngestException(IngestException.Kind.INTERNAL, "speech recognition stopped unexpectedly");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException(IngestException.Kind.INTERNAL, "interrupted", e);
    }
    rethrow();
  }

  private void rethrow() throws IngestException {
    Throwable f = failure;
    if (f != null) {
      throw new IngestException(IngestException.Kind.INTERNAL, "speech recognition failed: " + f.getMessage(), f);
    }
  }

  private void loop() {
    try {
      while (true) {
        short[] chunk = queue.take();
        if (chunk == END) {
          long t = System.nanoTime();
          result = transcription.finish();
          finishNanos = System.nanoTime() - t;
          return;
        }
        long t = System.nanoTime();
        transcription.accept(chunk, chunk.length);
        acceptNanos += System.nanoTime() - t;
      }
    } catch (InterruptedException e) {
      // abandoned
    } catch (Throwable t) {
      failure = t;
    }
  }
}
