package dev.longshot.ingest.bench;

import dev.longshot.config.AsrBackend;
import dev.longshot.config.AsrSettings;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestPipeline;
import dev.longshot.ingest.SubtitleSource;
import dev.longshot.ingest.asr.PocketSphinxSpeechRecognizer;
import dev.longshot.ingest.asr.SpeechFixtures;
import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.ingest.ocr.TextRecognizers;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.VideoManifest;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * ASR accuracy and speed of the PocketSphinx backend, old settings against new in one process: word error rate on
 * the generated lecture (flite voices) and on Debian's LibriVox test recordings (real human speech), and the
 * real-time factor (audio seconds per wall second, and per CPU second of the process, which is steadier on a
 * shared machine) of recognition. The baseline is the library's default search on one decoder (the settings before
 * {@link PocketSphinxSpeechRecognizer#SEARCH_ARGS}); then the tuned search on one decoder and on {@code decoders}
 * (default 2) decoders at once. Also the cost of decoding the lecture's audio to PCM with ffmpeg, which every
 * ingest pays anyway. Last, one whole ingest of the lecture (frames, Tesseract OCR and ASR; no detector) with each
 * recogniser. Decoders are loaded before timing. Run: {@code bench/run ingest
 * dev.longshot.ingest.bench.AsrBenchmark [model-dir] [decoders]}.
 */
public final class AsrBenchmark {
  private AsrBenchmark() {}

  /** A named set of 16 kHz clips, their reference transcript and total length. */
  record Audio(String name, List<short[]> pcm, String reference, double seconds) {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "/usr/share/pocketsphinx/model/en-us");
    int decoders = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    AsrSettings settings = new AsrSettings(AsrBackend.POCKETSPHINX, model, null, 10, decoders);
    Path lectureFile = SpeechFixtures.sampleMedia().resolve("lecture.mp4");
    SpeechFixtures.pcm16k(lectureFile); // warm the page cache for the baseline
    long t0 = System.nanoTime();
    short[] lecturePcm = SpeechFixtures.pcm16k(lectureFile);
    double decodeSeconds = (System.nanoTime() - t0) / 1e9;
    Audio lecture = new Audio("lecture", List.of(lecturePcm), SpeechFixtures.lectureSpeech(), seconds(lecturePcm));
    Audio librivox = librivox();
    System.out.printf("load average %.1f on %d cores; lecture.mp4 %.0f s (flite voices), LibriVox %.1f s (5 utterances)%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors(),
        lecture.seconds(), librivox.seconds());
    System.out.printf("ffmpeg decode of the lecture to 16 kHz PCM: %.2f s (%.0fx real time)%n", decodeSeconds,
        lecture.seconds() / decodeSeconds);
    run("old: library defaults, 1 decoder", new PocketSphinxSpeechRecognizer(settings, List.of(), 1), lecture, librivox);
    run("new search, 1 decoder", new PocketSphinxSpeechRecognizer(settings, PocketSphinxSpeechRecognizer.SEARCH_ARGS, 1),
        lecture, librivox);
    run("new search, " + decoders + " decoders", new PocketSphinxSpeechRecognizer(settings), lecture, librivox);

    System.out.println("whole ingest of lecture.mp4 (frames, Tesseract OCR, ASR; detector none), fresh records dir each:");
    ingest("old: library defaults, 1 decoder", new PocketSphinxSpeechRecognizer(settings, List.of(), 1), lectureFile,
        lecture.seconds());
    ingest("new search, 1 decoder", new PocketSphinxSpeechRecognizer(settings, PocketSphinxSpeechRecognizer.SEARCH_ARGS, 1),
        lectureFile, lecture.seconds());
    ingest("new search, " + decoders + " decoders", new PocketSphinxSpeechRecognizer(settings), lectureFile,
        lecture.seconds());
  }

  /** One whole ingest through {@link IngestPipeline} with {@code recognizer} (closed by the pipeline). */
  private static void ingest(String label, SpeechRecognizer recognizer, Path video, double seconds) throws Exception {
    Path data = Files.createTempDirectory("longshot-asr-bench-");
    LongshotConfig config = ConfigLoader.load(null, Map.of("HOME", System.getProperty("user.home"),
        "LONGSHOT_DATA_DIR", data.toString(), "LONGSHOT_DETECTOR_BACKEND", "none"));
    warm(recognizer);
    try (IngestPipeline pipeline = new IngestPipeline(config, TextRecognizers.create(config.ocr()).orElseThrow(),
        recognizer, null, SubtitleSource.NONE)) {
      long t0 = System.nanoTime();
      VideoManifest m = pipeline.ingest(video, ProgressListener.NONE).manifest();
      double wall = (System.nanoTime() - t0) / 1e9;
      System.out.printf("  %-36s %5.1fx real time (%.1f s); asr-accept busy %d ms, asr finish %d ms, %s segments%n",
          label, seconds / wall, wall, m.stageMillis().get("asr-accept"), m.stageMillis().get("asr"), m.segmentCounts());
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The LibriVox utterances as one set. */
  static Audio librivox() {
    List<short[]> pcm = new ArrayList<>();
    StringBuilder ref = new StringBuilder();
    double seconds = 0;
    for (SpeechFixtures.Utterance u : SpeechFixtures.librivox()) {
      pcm.add(SpeechFixtures.pcm16k(u.wav()));
      ref.append(u.text()).append(' ');
      seconds += seconds(pcm.getLast());
    }
    return new Audio("LibriVox", pcm, ref.toString(), seconds);
  }

  /**
   * Loads the recogniser's decoders before timing, as in a long-running process (loading one reads the dictionary
   * and language model, which weighs on a 3-minute track but not on an hour): transcribes three LibriVox sentences
   * with a second of silence between them, so the second and third are cut while the first is decoding.
   */
  static void warm(SpeechRecognizer asr) {
    List<short[]> parts = SpeechFixtures.librivox().subList(0, 3).stream().map(u -> SpeechFixtures.pcm16k(u.wav())).toList();
    short[] track = new short[parts.stream().mapToInt(p -> p.length + SpeechRecognizer.SAMPLE_RATE_HZ).sum()];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, track, at, p.length);
      at += p.length + SpeechRecognizer.SAMPLE_RATE_HZ;
    }
    SpeechFixtures.transcribe(asr, track);
  }

  static double seconds(short[] pcm) {
    return pcm.length / (double) SpeechRecognizer.SAMPLE_RATE_HZ;
  }

  private static void run(String label, SpeechRecognizer recognizer, Audio... sets) {
    try (SpeechRecognizer asr = recognizer) {
      warm(asr);
      StringBuilder line = new StringBuilder(String.format("%-36s", label));
      for (Audio a : sets) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        StringBuilder hyp = new StringBuilder();
        for (short[] pcm : a.pcm()) {
          SpeechFixtures.transcribe(asr, pcm).forEach(s -> hyp.append(s.text()).append(' '));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        line.append(String.format("  %s WER %.3f, %5.1fx real time (%4.1fx per CPU s)", a.name(),
            SpeechFixtures.wer(a.reference(), hyp.toString()), a.seconds() / wall, a.seconds() / cpu));
      }
      System.out.println(line);
    }
  }
}
