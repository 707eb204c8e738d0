package dev.longshot.ingest.bench;

import dev.longshot.config.AsrSettings;
import dev.longshot.ingest.asr.PocketSphinxSpeechRecognizer;
import dev.longshot.ingest.asr.SpeechFixtures;
import dev.longshot.ingest.asr.SpeechRecognizer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ASR accuracy and speed of the PocketSphinx backend, old settings against new in one process: word error rate on
 * the generated lecture (flite voices) and on Debian's LibriVox test recordings (real human speech), and the
 * real-time factor (audio seconds per wall second, and per CPU second of the process, which is steadier on a
 * shared machine) of recognition. The baseline is the library's default search on one decoder (the settings before
 * {@link PocketSphinxSpeechRecognizer#SEARCH_ARGS}); then the tuned search on one decoder and on {@code
 * asr.decoders} (default: one per core). Also the cost of decoding the lecture's audio to PCM with ffmpeg, which
 * every ingest pays anyway. Run: {@code bench/run ingest dev.longshot.ingest.bench.AsrBenchmark [model-dir]
 * [decoders]}.
 */
public final class AsrBenchmark {
  private AsrBenchmark() {}

  private record Audio(String name, List<short[]> pcm, String reference, double seconds) {}

  public static void main(String[] args) {
    Path model = Path.of(args.length > 0 ? args[0] : "/usr/share/pocketsphinx/model/en-us");
    int decoders = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    AsrSettings settings = new AsrSettings("pocketsphinx", model, null, 10, decoders);
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
    run("new: search + " + decoders + " decoders", new PocketSphinxSpeechRecognizer(settings), lecture, librivox);
  }

  private static Audio librivox() {
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

  private static double seconds(short[] pcm) {
    return pcm.length / (double) SpeechRecognizer.SAMPLE_RATE_HZ;
  }

  private static void run(String label, SpeechRecognizer recognizer, Audio... sets) {
    try (SpeechRecognizer asr = recognizer) {
      asr.begin().close(); // loads one decoder, as a pipeline's recogniser has long done before its first ingest
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
