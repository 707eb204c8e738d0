package dev.longshot.ingest;

import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.ingest.asr.Transcription;
import dev.longshot.timeline.Segment;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds the decoded 16 kHz PCM to a {@link Transcription} on its own thread, so speech recognition runs beside
 * decoding and OCR. The queue holds at most {@value #QUEUE} chunks (about 32 s of audio, 1 MiB): when ASR is
 * slower than decoding, decoding waits, and memory stays flat. The transcription begins on that thread too, so
 * loading a speech decoder (the first file with audio after start-up: ~0.75 CPU s) overlaps decoding instead of
 * delaying it, and a file without audio never loads one.
 */
final class AsrWorker extends QueueWorker<short[]> {
  static final int QUEUE = 64;
  private final SpeechRecognizer recognizer;
  private volatile Transcription transcription;
  private List<Segment> result;
  private long acceptNanos;
  private long finishNanos;

  AsrWorker(SpeechRecognizer recognizer) {
    super(QUEUE, "longshot-asr", "speech recognition");
    this.recognizer = recognizer;
    start();
  }

  @Override
  void onStart() {
    transcription = recognizer.begin();
  }

  /** Queues a copy of {@code pcm[0..length)}. */
  void accept(short[] pcm, int length) throws IngestException {
    put(Arrays.copyOf(pcm, length));
  }

  /** Ends the audio, waits for the transcript. */
  List<Segment> finish() throws IngestException {
    finishQueue();
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
  void handle(short[] chunk) {
    long t = System.nanoTime();
    transcription.accept(chunk, chunk.length);
    acceptNanos += System.nanoTime() - t;
  }

  @Override
  void onEnd() {
    long t = System.nanoTime();
    result = transcription.finish();
    finishNanos = System.nanoTime() - t;
  }

  @Override
  public void close() {
    super.close();
    Transcription t = transcription;
    if (t != null) {
      t.close();
    }
  }
}
