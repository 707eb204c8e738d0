package dev.longshot.ingest;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that consumes items from a bounded queue, so a stage (ASR, keyframe analysis) runs beside
 * decoding while a full queue makes decoding wait and memory stays flat. A failure on the worker thread is
 * rethrown to the decoding thread at its next {@link #put} or at {@link #finishQueue}. Not thread-safe on the
 * producer side: one decoding thread puts, one worker thread handles.
 */
abstract class QueueWorker<T> implements AutoCloseable {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final String what;
  private volatile Throwable failure;
  private boolean finished;

  /**
   * @param capacity queued items at most
   * @param threadName name of the worker thread
   * @param what the stage in error messages, e.g. "speech recognition"
   */
  QueueWorker(int capacity, String threadName, String what) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.what = what;
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
  }

  /** Starts the thread; call once, at the end of the subclass constructor. */
  final void start() {
    thread.start();
  }

  /** Handles one item on the worker thread. */
  abstract void handle(T item) throws Exception;

  /** Runs on the worker thread before the first item (e.g. loading what the stage needs, beside decoding). */
  void onStart() throws Exception {}

  /** Runs on the worker thread after the last item, before {@link #finishQueue} returns. */
  void onEnd() throws Exception {}

  /** Queues an item, waiting while the queue is full; rethrows a failure of the worker. */
  final void put(T item) throws IngestException {
    offer(item);
  }

  /** Ends the queue and waits until every item is handled and {@link #onEnd} ran; rethrows a failure. */
  final void finishQueue() throws IngestException {
    offer(END);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException(IngestException.Kind.INTERNAL, "interrupted while finishing " + what, e);
    }
    finished = true;
    rethrow();
  }

  private void offer(Object item) throws IngestException {
    try {
      while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        rethrow();
        if (!thread.isAlive()) {
          throw new IngestException(IngestException.Kind.INTERNAL, what + " stopped unexpectedly");
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
      throw new IngestException(IngestException.Kind.INTERNAL, what + " failed: " + f.getMessage(), f);
    }
  }

  @SuppressWarnings("unchecked")
  private void loop() {
    try {
      onStart();
      while (true) {
        Object item = queue.take();
        if (item == END) {
          onEnd();
          return;
        }
        handle((T) item);
      }
    } catch (InterruptedException e) {
      // abandoned by close()
    } catch (Throwable t) {
      failure = t;
    }
  }

  /** Abandons unfinished work: interrupts the worker and waits up to 10 s for it to stop. */
  @Override
  public void close() {
    if (!finished) {
      thread.interrupt();
      queue.clear();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
