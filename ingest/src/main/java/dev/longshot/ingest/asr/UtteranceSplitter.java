package dev.longshot.ingest.asr;

import java.util.Arrays;

/**
 * Cuts a stream of 16 kHz PCM into utterances at pauses, so the decoder sees sentence-sized pieces and word times
 * stay exact (PocketSphinx runs with its own silence removal off). A 10 ms frame is silent when its RMS is under
 * {@code max(MIN_SPEECH_RMS, 3 x noise floor)}; the noise floor follows the quietest recent frames. An utterance
 * ends after {@value #PAUSE_FRAMES} silent frames, or at the quietest frame of its last 5 s once it reaches
 * {@value #MAX_UTTERANCE_FRAMES} frames. Leading silence is dropped. Not thread-safe.
 */
final class UtteranceSplitter {
  /** Receives each utterance: its first sample's index in the stream and its samples (a fresh array). */
  interface Sink {
    void utterance(long startSample, short[] samples);
  }

  /** Bump when a change here changes which audio is decoded (it redoes the records PocketSphinx transcribed). */
  static final int VERSION = 1;
  static final int FRAME = SpeechRecognizer.SAMPLE_RATE_HZ / 100;
  static final int PAUSE_FRAMES = 30;
  static final int MAX_UTTERANCE_FRAMES = 2_500;
  private static final int KEEP_LEADING_FRAMES = 20;
  private static final double MIN_SPEECH_RMS = 120;

  private final Sink sink;
  private short[] buf = new short[FRAME * 512];
  private double[] frameRms = new double[512];
  private int bufLen;
  private int frames;
  private long bufStart;
  private int speechFrames;
  private int trailingSilence;
  private double noiseFloor = Double.NaN;

  UtteranceSplitter(Sink sink) {
    this.sink = sink;
  }

  void accept(short[] pcm, int length) {
    ensure(bufLen + length);
    System.arraycopy(pcm, 0, buf, bufLen, length);
    bufLen += length;
    while ((frames + 1) * FRAME <= bufLen) {
      onFrame(rms(frames * FRAME));
    }
  }

  /** Emits what is left if it holds speech. */
  void finish() {
    if (speechFrames > 0) {
      emit(bufLen);
    }
    bufLen = 0;
    frames = 0;
  }

  private void onFrame(double rms) {
    if (frames == frameRms.length) {
      frameRms = Arrays.copyOf(frameRms, frames * 2);
    }
    frameRms[frames++] = rms;
    noiseFloor = Double.isNaN(noiseFloor) ? rms : rms < noiseFloor ? rms : noiseFloor * 0.999 + rms * 0.001;
    boolean silent = rms < Math.max(MIN_SPEECH_RMS, 3 * noiseFloor);
    if (silent) {
      trailingSilence++;
    } else {
      speechFrames++;
      trailingSilence = 0;
    }
    if (speechFrames == 0 && frames > 2 * KEEP_LEADING_FRAMES) {
      drop(frames - KEEP_LEADING_FRAMES);
    } else if (speechFrames > 0 && trailingSilence >= PAUSE_FRAMES) {
      emit(frames * FRAME);
    } else if (frames >= MAX_UTTERANCE_FRAMES) {
      int from = frames - 500;
      int cut = from;
      for (int f = from; f < frames; f++) {
        cut = frameRms[f] < frameRms[cut] ? f : cut;
      }
      emit((cut + 1) * FRAME);
    }
  }

  /** Emits samples [0, end) as one utterance and keeps the rest as the start of the next. */
  private void emit(int end) {
    sink.utterance(bufStart, Arrays.copyOf(buf, end));
    drop(end / FRAME);
  }

  private void drop(int dropFrames) {
    int drop = dropFrames * FRAME;
    System.arraycopy(buf, drop, buf, 0, bufLen - drop);
    System.arraycopy(frameRms, dropFrames, frameRms, 0, frames - dropFrames);
    bufLen -= drop;
    frames -= dropFrames;
    bufStart += drop;
    speechFrames = 0;
    trailingSilence = 0;
    for (int f = 0; f < frames; f++) {
      if (frameRms[f] >= Math.max(MIN_SPEECH_RMS, 3 * noiseFloor)) {
        speechFrames++;
        trailingSilence = 0;
      } else {
        trailingSilence++;
      }
    }
  }

  private double rms(int from) {
    double sum = 0;
    for (int i = from; i < from + FRAME; i++) {
      sum += (double) buf[i] * buf[i];
    }
    return Math.sqrt(sum / FRAME);
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }
  }
}
