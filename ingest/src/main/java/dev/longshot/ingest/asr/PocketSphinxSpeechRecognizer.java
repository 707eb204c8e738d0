package dev.longshot.ingest.asr;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.longshot.config.AsrBackend;
import dev.longshot.config.AsrSettings;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.TimedWord;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Speech recognition with CMU PocketSphinx (Debian's libpocketsphinx3 and its US-English model in
 * {@code asr.pocketsphinx-model-dir}: acoustic model {@code en-us/}, language model {@code en-us.lm.bin},
 * dictionary {@code cmudict-en-us.dict}). Gives word-level times at 10 ms resolution. The model files are checked
 * against their headers ({@link PocketSphinxModel}) and the library loaded at construction. Audio is split at
 * pauses by {@link UtteranceSplitter}; each utterance that {@link SpeechGate} does not judge music or noise is
 * decoded as a stream of its own (noise estimate reset, PocketSphinx's silence removal off, so frame numbers are
 * stream time) on any idle native decoder, and one transcription keeps up to {@code asr.decoders} of them busy at
 * once ({@link OrderedParallelDecoder}). Decoders are loaded on demand (a new one loads the language model) and kept
 * for reuse until {@link #close()}. Thread-safe: transcriptions may run in parallel on different threads.
 */
public final class PocketSphinxSpeechRecognizer implements SpeechRecognizer {
  private static final double FRAMES_PER_SECOND = 100.0;

  /**
   * The search settings used by default, chosen with {@code AsrBenchmark} against the library's defaults: the same
   * or lower word error rate on the sample lecture and LibriVox (0.137 vs 0.145 and 0.282 vs 0.282) for about a
   * third of the CPU time per audio second. {@code -ds 2} scores every other frame, {@code -topn 3} keeps 3 instead
   * of 4 Gaussians per codebook, {@code -maxhmmpf 2000}/{@code -maxwpf 8} cap active HMMs and word exits per frame
   * (defaults 30000 and unlimited), {@code -fwdflat no} skips the second flat-lexicon pass (bestpath still rescores
   * the lattice), {@code -remove_noise no} drops spectral noise subtraction, whose estimate restarts with every
   * utterance here (without it: 0.145 and 0.296 in the sweep). {@code -lpbeam 1e-30} (default 1e-40) prunes
   * word-final phones harder: 16 % less CPU on LibriVox, the lecture and the camera clip alike, WER +0.000 / +0.004 /
   * +0.004 ({@code AsrSweepBenchmark}, issue 14); 1e-25 cost 0.05 to 0.14 WER. Tighter beams
   * ({@code -beam 1e-40}) or caps ({@code -maxhmmpf 1000}) cost 0.08 to 0.14 WER in the sweep. {@code -maxhmmpf
   * 1500 -maxwpf 5} (were 2000 and 8): 5 to 17 % less CPU in two interleaved sweep runs, WER +0.014 / +0.017 /
   * +0.010 on LibriVox / lecture / camera clip, the same keyword recall (issue 14, session 6).
   */
  public static final List<String> SEARCH_ARGS =
      List.of("-ds", "2", "-topn", "3", "-maxhmmpf", "1500", "-maxwpf", "5", "-lpbeam", "1e-30", "-fwdflat", "no",
          "-remove_noise", "no");

  private final List<String> searchArgs;
  private final Path modelDir;
  private final boolean gate;
  private final PocketSphinxLibrary lib;
  private final Pointer config;
  private final double chunkSeconds;
  private final int decoders;
  /** Decoders of finished transcriptions, reused by the next {@link #begin()} (loading one takes ~1 s). */
  private final ArrayDeque<Pointer> idle = new ArrayDeque<>();
  private final AtomicLong gatedSamples = new AtomicLong();
  private boolean closed;
  private int loaded;

  /**
   * Checks the model directory's files ({@link PocketSphinxModel}: a few milliseconds, no decoder loaded) and loads
   * the library.
   *
   * @throws IllegalArgumentException when a model file is missing or broken (one line naming the folder and file)
   * @throws IllegalStateException when libpocketsphinx.so.3 cannot be loaded or rejects the configuration
   */
  public PocketSphinxSpeechRecognizer(AsrSettings settings) {
    this(settings, SEARCH_ARGS, decoderThreads(settings.decoders()));
  }

  /**
   * With other search arguments ({@code -name value} pairs added to the model's; {@code List.of()} gives the
   * library's own defaults) and a decoder count: for benchmarks that compare search settings in one run.
   *
   * @throws IllegalArgumentException when {@code decoders < 1} or a model file is missing
   * @throws IllegalStateException when the library cannot load or rejects an argument
   */
  public PocketSphinxSpeechRecognizer(AsrSettings settings, List<String> searchArgs, int decoders) {
    this(settings, searchArgs, decoders, true);
  }

  /**
   * As above; {@code gate} false decodes music and noise too (no {@link SpeechGate}): for benchmarks that measure
   * the gate.
   */
  public PocketSphinxSpeechRecognizer(AsrSettings settings, List<String> searchArgs, int decoders, boolean gate) {
    if (decoders < 1) {
      throw new IllegalArgumentException("decoders must be >= 1, got " + decoders);
    }
    Path dir = settings.pocketsphinxModelDir();
    if (dir == null) {
      throw new IllegalArgumentException("asr.pocketsphinx-model-dir is not set");
    }
    PocketSphinxModel.check(dir);
    modelDir = dir;
    Path hmm = dir.resolve(PocketSphinxModel.ACOUSTIC);
    Path lm = dir.resolve(PocketSphinxModel.LANGUAGE_MODEL);
    Path dict = dir.resolve(PocketSphinxModel.DICTIONARY);
    try {
      lib = PocketSphinxLibrary.load();
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("Cannot load lib" + PocketSphinxLibrary.SONAME
          + " (Debian package libpocketsphinx3; see setup/debian-packages.txt)", e);
    }
    List<String> args = new ArrayList<>(List.of("longshot", "-hmm", hmm.toString(), "-lm", lm.toString(), "-dict",
        dict.toString(), "-remove_silence", "no", "-logfn", "/dev/null"));
    args.addAll(searchArgs);
    String[] argv = args.toArray(String[]::new);
    config = lib.cmd_ln_parse_r(null, lib.ps_args(), argv.length, argv, 1);
    if (config == null) {
      throw new IllegalStateException("PocketSphinx rejected its configuration " + args.subList(1, args.size()));
    }
    chunkSeconds = settings.chunkSeconds();
    this.decoders = decoders;
    this.searchArgs = List.copyOf(searchArgs);
    this.gate = gate;
  }

  /**
   * {@code asr.decoders}: 0 means one per available core. Decoding in parallel costs no extra CPU per audio second
   * ({@code AsrBenchmark}: 29.2x vs 29.9x per CPU second on 2 cores), so spare cores only speed it up; on a busy
   * machine it gains nothing.
   */
  static int decoderThreads(int configured) {
    return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String name() {
    return AsrBackend.POCKETSPHINX.configName();
  }

  /**
   * The search arguments and the versions of the audio cutting ({@link UtteranceSplitter#VERSION}) and the
   * music/noise gate ({@link SpeechGate#VERSION}).
   */
  @Override
  public String outputSettings() {
    return "pocketsphinx" + searchArgs + "splitter=" + UtteranceSplitter.VERSION + ",gate=" + (gate ? SpeechGate.VERSION : 0);
  }

  /** Seconds of audio, over all transcriptions so far, that the gate judged music or noise and did not decode. */
  public double gatedSeconds() {
    return gatedSamples.get() / (double) SAMPLE_RATE_HZ;
  }

  @Override
  public Transcription begin() {
    release(acquire()); // fail now, not on the first utterance, when the models cannot load
    return new PocketSphinxTranscription();
  }

  /** How many decoders this recogniser has loaded so far (idle, in use or freed); each costs ~0.75 CPU s. */
  public synchronized int decodersLoaded() {
    return loaded;
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

  /** An idle decoder, or a newly loaded one (about a second, outside the lock so workers load in parallel). */
  private Pointer acquire() {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("PocketSphinx recognizer is closed");
      }
      if (!idle.isEmpty()) {
        return idle.pop();
      }
    }
    Pointer ps = lib.ps_init(config);
    if (ps == null) {
      throw new IllegalStateException("PocketSphinx could not load the model folder " + modelDir
          + " (ps_init failed; reinstall Debian's pocketsphinx-en-us or fix asr.pocketsphinx-model-dir)");
    }
    synchronized (this) {
      loaded++;
    }
    return ps;
  }

  /** Takes back a decoder after an utterance, or frees it once the recogniser is closed. */
  private synchronized void release(Pointer ps) {
    if (closed) {
      lib.ps_free(ps);
    } else {
      idle.push(ps);
    }
  }

  /**
   * Decodes one utterance on an idle decoder; words in stream time; none for music or noise ({@link SpeechGate}).
   * Called on decoder threads.
   */
  private List<TimedWord> decode(long startSample, short[] samples) {
    if (gate && !SpeechGate.isSpeech(samples)) {
      gatedSamples.addAndGet(samples.length);
      return List.of();
    }
    Pointer ps = acquire();
    try {
      // Each utterance as its own stream: the noise estimate would otherwise carry over from whatever this decoder
      // heard last, and with several decoders the transcript would depend on which one took which utterance.
      if (lib.ps_start_stream(ps) < 0 || lib.ps_start_utt(ps) < 0) {
        throw new IllegalStateException("PocketSphinx could not start an utterance at sample " + startSample);
      }
      try {
        lib.ps_process_raw(ps, samples, samples.length, 0, 1);
      } finally {
        lib.ps_end_utt(ps); // also on failure, so the decoder can be reused
      }
      return words(ps, startSample * 1000 / SAMPLE_RATE_HZ);
    } finally {
      release(ps);
    }
  }

  private List<TimedWord> words(Pointer ps, long offsetMillis) {
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

  /** One audio track: cut at pauses, utterances decoded on up to {@code decoders} decoders, words in order. */
  private final class PocketSphinxTranscription implements Transcription {
    private final TranscriptChunker chunker = new TranscriptChunker(chunkSeconds);
    private final OrderedParallelDecoder parallel =
        new OrderedParallelDecoder(decoders, PocketSphinxSpeechRecognizer.this::decode, chunker::addUtterance);
    private final UtteranceSplitter splitter = new UtteranceSplitter(parallel::submit);
    private boolean open = true;

    @Override
    public void accept(short[] pcm, int length) {
      if (!open) {
        throw new IllegalStateException("Transcription already finished or closed");
      }
      splitter.accept(pcm, length);
    }

    @Override
    public List<Segment> finish() {
      if (!open) {
        throw new IllegalStateException("Transcription already finished or closed");
      }
      splitter.finish();
      parallel.finish();
      close();
      return chunker.finish();
    }

    @Override
    public void close() {
      if (open) {
        open = false;
        parallel.close();
      }
    }
  }
}
