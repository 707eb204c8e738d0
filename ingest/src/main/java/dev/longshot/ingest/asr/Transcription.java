package dev.longshot.ingest.asr;

import dev.longshot.timeline.Segment;
import java.util.List;

/**
 * One audio track being transcribed. Feed consecutive chunks with {@link #accept}, then call {@link #finish}
 * once. Not thread-safe. Close it (also after a failure) to free native memory.
 */
public interface Transcription extends AutoCloseable {
  /**
   * Consumes the next {@code length} samples of 16 kHz mono signed 16-bit PCM; chunks are consecutive, the first
   * starts at video time 0. The array may be reused by the caller after return.
   */
  void accept(short[] pcm, int length);

  /**
   * Ends the track and returns its transcript as {@code ASR} segments (about {@code asr.chunk-seconds} long or a
   * sentence each, ordered by time, with word times where the backend gives them).
   */
  List<Segment> finish();

  @Override
  void close();
}
