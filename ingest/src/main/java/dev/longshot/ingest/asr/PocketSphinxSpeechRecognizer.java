package dev.longshot.ingest.asr;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.longshot.config.AsrSettings;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.TimedWord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Speech recognition with CMU PocketSphinx (Debian's libpocketsphinx3 and its US-English model in
 * {@code asr.pocketsphinx-model-dir}: acoustic model {@code en-us/}, language model {@code en-us.lm.bin},
 * dictionary {@code cmudict-en-us.dict}). Gives word-level times at 10 ms resolution. The model files are checked
 * and the library loaded at construction; each {@link #begin()} gets its own native decoder (a new one takes about a
 * second to load the language model; decoders of finished transcriptions are reused), so transcriptions may run in
 * parallel on different threads. Audio is split at pauses
 * by {@link UtteranceSplitter} and decoded one utterance at a time with PocketSphinx's own silence removal off,
 * which keeps frame numbers equal to stream time.
 */
public final class PocketSphinxSpeechRecognizer implements SpeechRecognizer {
  private static final double FRAMES_PER_SECOND = 100.0;

  private final PocketSphinxLibrary lib;
  private final Pointer config;
  private final double chunkSeconds;
  /** Decoders of finished transcriptions, reused by the next {@link #begin()} (loading one takes ~1 s). */
  private final ArrayDeque<Pointer> idle = new ArrayDeque<>();
  private boolean closed;

  /**
   * Checks the model directory and loads the library.
   *
   * @throws IllegalArgumentException when a model file is missing (the message names it)
   * @throws IllegalStateException when libpocketsphinx.so.3 cannot be loaded or rejects the configuration
   */
  public PocketSphinxSpeechRecognizer(AsrSettings settings) {
    Path dir = settings.pocketsphinxModelDir();
    if (dir == null) {
      throw new IllegalArgumentException("asr.pocketsphinx-model-dir is not set");
    }
    Path hmm = require(dir.resolve("en-us"));
    Path lm = require(dir.resolve("en-us.lm.bin"));
    Path dict = require(dir.resolve("cmudict-en-us.dict"));
    try {
      lib = PocketSphinxLibrary.load();
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("Cannot load lib" + PocketSphinxLibrary.SONAME
          + " (Debian package libpocketsphinx3; see setup/debian-packages.txt)", e);
    }
    String[] argv = {"longshot", "-hmm", hmm.toString(), "-lm", lm.toString(), "-dict", dict.toString(),
        "-remove_silence", "no", "-logfn", "/dev/null"};
    config = lib.cmd_ln_parse_r(null, lib.ps_args(), argv.length, argv, 1);
    if (config == null) {
      throw new IllegalStateException("PocketSphinx rejected its configuration for model dir " + dir);
    }
    chunkSeconds = settings.chunkSeconds();
  }

  private static Path require(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("PocketSphinx model file missing: " + p
          + " (set asr.pocketsphinx-model-dir; Debian package pocketsphinx-en-us)");
    }
    return p;
  }

  @Override
  public String name() {
    return "pocketsphinx";
  }

  @Override
  public synchronized Transcription begin() {
    if (closed) {
      throw new IllegalStateException("PocketSphinx recognizer is closed");
    }
    Pointer ps = idle.isEmpty() ? lib.ps_init(config) : idle.pop();
    if (ps == null) {
      throw new IllegalStateException("PocketSphinx could not load its models (ps_init failed)");
    }
    return new PocketSphinxTranscription(ps);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      idle.forEach(lib::ps_free);
      idle.clear();
      lib.cmd_ln_free_r(config); // decoders still in use hold their own reference to the config
    }
  }

  /** Takes back the decoder of a finished transcription, or frees it once the recogniser is closed. */
  private synchronized void release(Pointer ps) {
    if (closed) {
      lib.ps_free(ps);
    } else {
      idle.push(ps);
    }
  }

  /** One decoder over one audio track. */
  private final class PocketSphinxTranscription implements Transcription {
    private Pointer ps;
    private final TranscriptChunker chunker = new TranscriptChunker(chunkSeconds);
    private final UtteranceSplitter splitter = new UtteranceSplitter(this::decode);

    PocketSphinxTranscription(Pointer ps) {
      this.ps = ps;
    }

    @Override
    public void accept(short[] pcm, int length) {
      if (ps == null) {
        throw new IllegalStateException("Transcription already finished or closed");
      }
      splitter.accept(pcm, length);
    }

    @Override
    public List<Segment> finish() {
      if (ps == null) {
        throw new IllegalStateException("Transcription already finished or closed");
      }
      splitter.finish();
      close();
      return chunker.finish();
    }

    private void decode(long startSample, short[] samples) {
      if (lib.ps_start_utt(ps) < 0) {
        throw new IllegalStateException("PocketSphinx ps_start_utt failed at sample " + startSample);
      }
      try {
        lib.ps_process_raw(ps, samples, samples.length, 0, 1);
      } finally {
        lib.ps_end_utt(ps); // also on failure, so the decoder can be reused
      }
      chunker.addUtterance(words(startSample * 1000 / SAMPLE_RATE_HZ));
    }

    private List<TimedWord> words(long offsetMillis) {
      List<TimedWord> out = new ArrayList<>();
      Pointer logmath = lib.ps_get_logmath(ps);
      IntByReference sf = new IntByReference();
      IntByReference ef = new IntByReference();
      IntByReference unused = new IntByReference();
      for (Pointer seg = lib.ps_seg_iter(ps); seg != null; seg = lib.ps_seg_next(seg)) {
        String word = lib.ps_seg_word(seg);
        if (word == null || word.startsWith("<") || word.startsWith("[") || word.startsWith("+")) {
          continue;
        }
        lib.ps_seg_frames(seg, sf, ef);
        double conf = Math.min(1.0, lib.logmath_exp(logmath, lib.ps_seg_prob(seg, unused, unused, unused)));
        int alt = word.indexOf('(');
        out.add(new TimedWord(alt > 0 ? word.substring(0, alt) : word,
            offsetMillis + Math.round(sf.getValue() * 1000 / FRAMES_PER_SECOND),
            offsetMillis + Math.round((ef.getValue() + 1) * 1000 / FRAMES_PER_SECOND), conf));
      }
      return out;
    }

    @Override
    public void close() {
      if (ps != null) {
        release(ps);
        ps = null;
      }
    }
  }
}
