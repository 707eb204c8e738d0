package dev.longshot.ingest.bench;

import dev.longshot.config.AsrSettings;
import dev.longshot.ingest.asr.PocketSphinxSpeechRecognizer;
import dev.longshot.ingest.asr.SpeechFixtures;
import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.timeline.Segment;
import java.nio.file.Path;
import java.util.List;

/**
 * ASR accuracy and speed of the PocketSphinx backend: word error rate on the generated lecture (flite voices) and
 * on Debian's LibriVox test recordings (real human speech), and the real-time factor (audio seconds per wall
 * second) of recognition, next to the baseline measured in the same run: decoding the same audio to PCM with
 * ffmpeg, which every ingest pays anyway. Run: {@code bench/run ingest dev.longshot.ingest.bench.AsrBenchmark}.
 */
public final class AsrBenchmark {
  private AsrBenchmark() {}

  public static void main(String[] args) {
    Path model = Path.of(args.length > 0 ? args[0] : "/usr/share/pocketsphinx/model/en-us");
    try (SpeechRecognizer asr = new PocketSphinxSpeechRecognizer(new AsrSettings("pocketsphinx", model, null, 10))) {
      Path lecture = SpeechFixtures.sampleMedia().resolve("lecture.mp4");
      SpeechFixtures.pcm16k(lecture); // warm the page cache and the JIT for the baseline
      long t0 = System.nanoTime();
      short[] pcm = SpeechFixtures.pcm16k(lecture);
      double decodeSeconds = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      List<Segment> segments = SpeechFixtures.transcribe(asr, pcm);
      double asrSeconds = (System.nanoTime() - t0) / 1e9;
      double audioSeconds = pcm.length / (double) SpeechRecognizer.SAMPLE_RATE_HZ;
      String hyp = String.join(" ", segments.stream().map(Segment::text).toList());
      System.out.printf("lecture.mp4 (flite rms/kal16, %.0f s): WER %.3f, %d segments%n", audioSeconds,
          SpeechFixtures.wer(SpeechFixtures.lectureSpeech(), hyp), segments.size());
      System.out.printf("  baseline ffmpeg decode to 16 kHz PCM: %.2f s (%.0fx real time)%n", decodeSeconds,
          audioSeconds / decodeSeconds);
      System.out.printf("  pocketsphinx recognition:             %.2f s (%.1fx real time, %.1fx the decode time)%n",
          asrSeconds, audioSeconds / asrSeconds, asrSeconds / decodeSeconds);

      StringBuilder ref = new StringBuilder();
      StringBuilder out = new StringBuilder();
      double libriAudio = 0;
      t0 = System.nanoTime();
      for (SpeechFixtures.Utterance u : SpeechFixtures.librivox()) {
        short[] samples = SpeechFixtures.pcm16k(u.wav());
        libriAudio += samples.length / (double) SpeechRecognizer.SAMPLE_RATE_HZ;
        String h = String.join(" ", SpeechFixtures.transcribe(asr, samples).stream().map(Segment::text).toList());
        System.out.printf("  librivox %-45s WER %.3f  \"%s\"%n", u.wav().getFileName(), SpeechFixtures.wer(u.text(), h), h);
        ref.append(u.text()).append(' ');
        out.append(h).append(' ');
      }
      double libriSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("LibriVox (human, 5 utterances, %.1f s): WER %.3f overall, %.1fx real time incl. model load per utterance%n",
          libriAudio, SpeechFixtures.wer(ref.toString(), out.toString()), libriAudio / libriSeconds);
    }
  }
}
