package dev.longshot.ingest.asr;

import dev.longshot.config.AsrBackend;
import dev.longshot.config.AsrSettings;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.github.givimad.whisperjni.WhisperState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Speech recognition with whisper.cpp through the whisper-jni binding (natives bundled in its jar), for a ggml model
 * file configured as {@code asr.whisper-model} (e.g. {@code ggml-base.en.bin}). The file is checked before it
 * reaches native code (exists, readable, starts with the ggml magic) because whisper.cpp aborts the process on
 * some malformed files. Audio is cut at pauses into utterances of at most 25 s (within whisper's 30 s context) by
 * {@link UtteranceSplitter} and each is decoded as it completes; segments carry whisper's segment times shifted to
 * stream time, but no word times (the binding exposes none). The context is shared and
 * each transcription has its own whisper state.
 */
public final class WhisperSpeechRecognizer implements SpeechRecognizer {
  /** First four bytes of a ggml model file: the little-endian magic 0x67676d6c ("ggml"). */
  private static final byte[] GGML_MAGIC = {0x6c, 0x6d, 0x67, 0x67};

  private final WhisperJNI whisper;
  private final WhisperContext context;
  private final Path model;
  private volatile boolean closed;

  /**
   * Loads the model.
   *
   * @throws IllegalArgumentException when the model file is missing, unreadable, not a ggml file or refused by
   *     whisper.cpp (names it)
   * @throws IllegalStateException when the native library cannot load
   */
  public WhisperSpeechRecognizer(AsrSettings settings) {
    model = checkModel(settings.whisperModel());
    try {
      WhisperJNI.loadLibrary();
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new IllegalStateException("Cannot load whisper-jni's native library: " + e.getMessage(), e);
    }
    whisper = new WhisperJNI();
    try {
      context = whisper.init(model);
    } catch (IOException e) {
      throw new IllegalArgumentException("whisper.cpp could not load model " + model.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    if (context == null) {
      throw new IllegalArgumentException("whisper.cpp refused model file " + model.toAbsolutePath() + " (truncated or not a whisper model)");
    }
  }

  /** Loads the bundled native library only; true when it loads on this machine. */
  public static boolean nativeLibraryLoads() {
    try {
      WhisperJNI.loadLibrary();
      return true;
    } catch (IOException | UnsatisfiedLinkError e) {
      return false;
    }
  }

  static Path checkModel(Path model) {
    if (model == null) {
      throw new IllegalArgumentException("asr.whisper-model is not set");
    }
    if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
      throw new IllegalArgumentException("whisper model file not found or not readable: " + model.toAbsolutePath());
    }
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(model)) {
      if (in.readNBytes(head, 0, 4) < 4 || !java.util.Arrays.equals(head, GGML_MAGIC)) {
        throw new IllegalArgumentException("not a whisper.cpp ggml model (bad magic): " + model.toAbsolutePath());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read whisper model " + model.toAbsolutePath(), e);
    }
    return model;
  }

  @Override
  public String name() {
    return AsrBackend.WHISPER.configName();
  }

  @Override
  public synchronized Transcription begin() {
    if (closed) {
      throw new IllegalStateException("whisper recognizer for " + model + " is closed");
    }
    return new WhisperTranscription(whisper.initState(context));
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      context.close();
    }
  }

  private final class WhisperTranscription implements Transcription {
    private final WhisperState state;
    private final List<Segment> out = new ArrayList<>();
    private final UtteranceSplitter splitter = new UtteranceSplitter(this::decode);
    private boolean finished;
    private boolean closedState;

    WhisperTranscription(WhisperState state) {
      this.state = state;
    }

    @Override
    public void accept(short[] pcm, int length) {
      if (finished) {
        throw new IllegalStateException("Transcription already finished");
      }
      splitter.accept(pcm, length);
    }

    @Override
    public List<Segment> finish() {
      if (finished) {
        throw new IllegalStateException("Transcription already finished");
      }
      finished = true;
      splitter.finish();
      return List.copyOf(out);
    }

    /** One utterance (at most 25 s, within whisper's 30 s context), cut at pauses by the splitter. */
    private void decode(long startSample, short[] pcm) {
      float[] samples = new float[pcm.length];
      for (int i = 0; i < pcm.length; i++) {
        samples[i] = pcm[i] / 32768f;
      }
      WhisperFullParams params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
      params.language = "en";
      params.printProgress = false;
      params.printRealtime = false;
      params.printTimestamps = false;
      int rc = whisper.fullWithState(context, state, params, samples, samples.length);
      if (rc != 0) {
        throw new IllegalStateException("whisper.cpp failed (code " + rc + ") on the utterance at sample "
            + startSample + " with model " + model);
      }
      long offsetMillis = startSample * 1000 / SAMPLE_RATE_HZ;
      for (int i = 0; i < whisper.fullNSegmentsFromState(state); i++) {
        String text = whisper.fullGetSegmentTextFromState(state, i).strip();
        // whisper.cpp timestamps are in 10 ms units
        long t0 = offsetMillis + whisper.fullGetSegmentTimestamp0FromState(state, i) * 10;
        long t1 = offsetMillis + whisper.fullGetSegmentTimestamp1FromState(state, i) * 10;
        if (!text.isEmpty()) {
          out.add(Segment.of(Modality.ASR, t0, Math.max(t0, t1), text));
        }
      }
    }

    @Override
    public void close() {
      if (!closedState) {
        closedState = true;
        state.close();
      }
    }
  }
}
