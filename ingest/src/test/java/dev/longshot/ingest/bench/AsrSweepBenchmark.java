package dev.longshot.ingest.bench;

import dev.longshot.config.AsrBackend;
import dev.longshot.config.AsrSettings;
import dev.longshot.ingest.asr.PocketSphinxSpeechRecognizer;
import dev.longshot.ingest.asr.SpeechFixtures;
import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.ingest.bench.AsrBenchmark.Audio;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Word error rate against speed for PocketSphinx search settings, all measured in one process against the current
 * default ({@link PocketSphinxSpeechRecognizer#SEARCH_ARGS}): for each setting, WER, recall of the reference's
 * longer words (5+ letters: a proxy for the keywords the index needs) and CPU seconds of the process per audio
 * second (steadier than wall time on a shared machine) on Debian's LibriVox recordings (real speech, reference
 * transcripts in pocketsphinx-testdata; each file its own transcription), the sample lecture (flite voices, truth
 * file) and optionally the camera-like clip of {@code bench/camera-clip.sh} (its audio is the same LibriVox files,
 * 1 s apart, looped, through AAC; the reference is the files that fit whole, so its WER counts the cut file's words
 * as insertions, equally for every setting). One decoder per setting, all loaded and warmed before timing; every
 * piece of audio (a LibriVox file, the lecture, the clip) is transcribed by each setting in turn, the order rotated
 * piece by piece, and CPU is summed over {@code rounds}: on a loaded machine, where one setting measured alone
 * varied by +-40 % from run to run, load changes then hit every setting alike. WER is from round 1.
 *
 * <p>Run: {@code bench/run ingest dev.longshot.ingest.bench.AsrSweepBenchmark [rounds=1] [clip.mp4]};
 * {@code BENCH_JAVA_OPTS}: {@code -Dsweep.only=NAME,NAME} (the default always runs), {@code -Dsweep.noLecture=true},
 * {@code -Dsweep.print=true} (hypotheses).
 */
public final class AsrSweepBenchmark {
  private AsrSweepBenchmark() {}


  /** Settings: current default first; the others are the default with some values replaced or added. */
  private static Map<String, List<String>> settings() {
    Map<String, List<String>> s = new LinkedHashMap<>();
    List<String> base = PocketSphinxSpeechRecognizer.SEARCH_ARGS;
    s.put("default", base);
    s.put("nogate", base); // the default without the music/noise gate (SpeechGate)
    s.put("before-s6", with(base, "-maxhmmpf", "2000", "-maxwpf", "8")); // the default before session 6
    s.put("ds=3", with(base, "-ds", "3"));
    s.put("topn=2", with(base, "-topn", "2"));
    s.put("maxhmmpf=1500", with(base, "-maxhmmpf", "1500"));
    s.put("maxwpf=5", with(base, "-maxwpf", "5"));
    s.put("beam=1e-44", with(base, "-beam", "1e-44"));
    s.put("wbeam=1e-24", with(base, "-wbeam", "1e-24"));
    s.put("pbeam=1e-44", with(base, "-pbeam", "1e-44"));
    s.put("bestpath=no", with(base, "-bestpath", "no"));
    s.put("pl_window=0", with(base, "-pl_window", "0"));
    s.put("pl_window=10", with(base, "-pl_window", "10"));
    s.put("topn=2+maxhmmpf=1500", with(base, "-topn", "2", "-maxhmmpf", "1500"));
    s.put("maxhmmpf=1200", with(base, "-maxhmmpf", "1200"));
    s.put("lpbeam=1e-30", with(base, "-lpbeam", "1e-30"));
    s.put("lpbeam=1e-25", with(base, "-lpbeam", "1e-25"));
    s.put("lpbeam=1e-20", with(base, "-lpbeam", "1e-20"));
    s.put("lpbeam=1e-30+wbeam=1e-20", with(base, "-lpbeam", "1e-30", "-wbeam", "1e-20"));
    s.put("lpbeam=1e-25+wbeam=1e-20", with(base, "-lpbeam", "1e-25", "-wbeam", "1e-20"));
    s.put("lponlybeam=1e-20", with(base, "-lponlybeam", "1e-20"));
    s.put("wbeam=1e-20", with(base, "-wbeam", "1e-20"));
    s.put("maxwpf=3", with(base, "-maxwpf", "3"));
    s.put("topn_beam=1e-2", with(base, "-topn_beam", "1e-2"));
    s.put("pl_window=5+pl_beam=1e-5", with(base, "-pl_window", "5", "-pl_beam", "1e-5", "-pl_pbeam", "1e-5"));
    s.put("pl_window=10+pl_beam=1e-5", with(base, "-pl_window", "10", "-pl_beam", "1e-5", "-pl_pbeam", "1e-5"));
    // session 6 (issue 14): settings not swept since -lpbeam 1e-30 became the default
    s.put("topn=1", with(base, "-topn", "1"));
    s.put("topn=2+lpbeam", with(base, "-topn", "2"));
    s.put("ds=3+lpbeam", with(base, "-ds", "3"));
    s.put("bestpath=no+lpbeam", with(base, "-bestpath", "no"));
    s.put("fwdflat=yes", with(base, "-fwdflat", "yes"));
    s.put("maxhmmpf=1000", with(base, "-maxhmmpf", "1000"));
    s.put("maxhmmpf=1500+maxwpf=5", with(base, "-maxhmmpf", "1500", "-maxwpf", "5"));
    s.put("maxwpf=4", with(base, "-maxwpf", "4"));
    s.put("maxwpf=5+lpbeam", with(base, "-maxwpf", "5"));
    s.put("topn=2+maxwpf=5", with(base, "-topn", "2", "-maxwpf", "5"));
    s.put("wbeam=1e-20+maxwpf=5", with(base, "-wbeam", "1e-20", "-maxwpf", "5"));
    s.put("maxhmmpf=1700+maxwpf=5", with(base, "-maxhmmpf", "1700", "-maxwpf", "5"));
    s.put("maxhmmpf=1200+maxwpf=5", with(base, "-maxhmmpf", "1200", "-maxwpf", "5"));
    s.put("maxhmmpf=1500+maxwpf=4", with(base, "-maxhmmpf", "1500", "-maxwpf", "4"));
    return s;
  }

  /** {@code base} with each {@code -name value} pair of {@code pairs} replacing the same name's value, or added. */
  private static List<String> with(List<String> base, String... pairs) {
    List<String> out = new ArrayList<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      int at = out.indexOf(pairs[i]);
      if (at >= 0) {
        out.set(at + 1, pairs[i + 1]);
      } else {
        out.add(pairs[i]);
        out.add(pairs[i + 1]);
      }
    }
    return List.copyOf(out);
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    Path model = Path.of("/usr/share/pocketsphinx/model/en-us");
    AsrSettings asr = new AsrSettings(AsrBackend.POCKETSPHINX, model, null, 8, 1);
    List<Audio> sets = new ArrayList<>();
    sets.add(AsrBenchmark.librivox());
    if (!Boolean.getBoolean("sweep.noLecture")) {
      short[] lecture = SpeechFixtures.pcm16k(SpeechFixtures.sampleMedia().resolve("lecture.mp4"));
      sets.add(new Audio("lecture", List.of(lecture), SpeechFixtures.lectureSpeech(), AsrBenchmark.seconds(lecture)));
    }
    if (args.length > 1) {
      sets.add(clip(Path.of(args[1])));
    }
    if (Boolean.getBoolean("sweep.music")) {
      sets.add(music());
    }
    System.out.printf(Locale.ROOT, "load average %.1f on %d cores; %d round(s); sets:", ManagementFactory
        .getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors(), rounds);
    sets.forEach(a -> System.out.printf(Locale.ROOT, " %s %.1f s;", a.name(), a.seconds()));
    System.out.println();
    System.out.println("default = " + String.join(" ", PocketSphinxSpeechRecognizer.SEARCH_ARGS)
        + "; CPU/s = process CPU seconds per audio second (1 decoder); ratio = CPU against default, same run;"
        + " kw5 = share of the reference's 5+-letter words found");

    Map<String, List<String>> settings = settings();
    String only = System.getProperty("sweep.only"); // comma-separated setting names; default always runs
    List<String> names = new ArrayList<>(settings.keySet().stream()
        .filter(n -> only == null || n.equals("default") || List.of(only.split(",")).contains(n)).toList());
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-26s", "setting"));
    sets.forEach(a -> head.append(String.format(Locale.ROOT, " | %-8s  WER   kw5  CPU/s ratio", a.name())));
    System.out.println(head);
    // All recognisers open at once; every piece of audio (a LibriVox file, the lecture, the clip) is transcribed by
    // each setting in turn, the order rotated piece by piece, so a load change hits all settings alike.
    Map<String, SpeechRecognizer> recs = new LinkedHashMap<>();
    try {
      for (String name : names) {
        SpeechRecognizer rec = new PocketSphinxSpeechRecognizer(asr, settings.get(name), 1, !name.startsWith("nogate"));
        recs.put(name, rec);
        AsrBenchmark.warm(rec);
      }
      Map<String, double[]> cpu = new LinkedHashMap<>();
      Map<String, StringBuilder[]> hyp = new LinkedHashMap<>();
      for (String name : names) {
        cpu.put(name, new double[sets.size()]);
        StringBuilder[] h = new StringBuilder[sets.size()];
        for (int i = 0; i < h.length; i++) {
          h[i] = new StringBuilder();
        }
        hyp.put(name, h);
      }
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      int turn = 0;
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < sets.size(); i++) {
          for (short[] pcm : sets.get(i).pcm()) {
            turn++;
            for (int k = 0; k < names.size(); k++) {
              String name = names.get((k + turn) % names.size());
              long c0 = os.getProcessCpuTime();
              var segments = SpeechFixtures.transcribe(recs.get(name), pcm);
              cpu.get(name)[i] += (os.getProcessCpuTime() - c0) / 1e9;
              if (r == 0) {
                StringBuilder h = hyp.get(name)[i];
                segments.forEach(seg -> h.append(seg.text()).append(' '));
              }
            }
          }
        }
        System.err.printf(Locale.ROOT, "round %d done%n", r + 1);
      }
      double[] base = cpu.get("default");
      for (String name : names) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s", name));
        for (int i = 0; i < sets.size(); i++) {
          Audio a = sets.get(i);
          String h = hyp.get(name)[i].toString();
          double c = cpu.get(name)[i];
          line.append(String.format(Locale.ROOT, " | %-8s %.3f %.3f %.4f %5.2f", "", SpeechFixtures.wer(a.reference(), h),
              keywordRecall(a.reference(), h), c / rounds / a.seconds(), c / base[i]));
        }
        System.out.println(line);
        if (Boolean.getBoolean("sweep.print")) {
          for (int i = 0; i < sets.size(); i++) {
            System.out.println("  " + sets.get(i).name() + ": " + hyp.get(name)[i]);
          }
        }
      }
    } finally {
      recs.values().forEach(SpeechRecognizer::close);
    }
    System.out.println("default = " + String.join(" ", PocketSphinxSpeechRecognizer.SEARCH_ARGS));
  }

  /**
   * The five LibriVox files with 3 s of near silence, 12 s of music or noise and 3 s of near silence between them
   * (a chord, pink noise, a plucked melody with a chord and drum hits, brown noise; made with the ffmpeg CLI):
   * what a speech/music gate saves, and whether it loses words.
   */
  private static Audio music() throws Exception {
    Path dir = Files.createTempDirectory("asr-sweep-music");
    List<String> sources = List.of(
        "aevalsrc=0.2*sin(2*PI*261.6*t)+0.2*sin(2*PI*329.6*t)+0.2*sin(2*PI*392*t):d=12:s=16000",
        "anoisesrc=c=pink:a=0.3:d=12:r=16000:seed=14",
        "aevalsrc=0.4*sin(2*PI*(220*pow(2\\,floor(mod(t*4\\,8))/6))*t)*exp(-3*mod(t\\,0.25))"
            + "+0.2*sin(2*PI*261.6*t)+0.2*sin(2*PI*392*t)+0.3*random(0)*exp(-20*mod(t\\,0.5)):d=12:s=16000",
        "anoisesrc=c=brown:a=0.5:d=12:r=16000:seed=14");
    List<SpeechFixtures.Utterance> speech = SpeechFixtures.librivox();
    java.util.Random random = new java.util.Random(14);
    short[] quiet = new short[3 * SpeechRecognizer.SAMPLE_RATE_HZ];
    List<short[]> parts = new ArrayList<>();
    StringBuilder ref = new StringBuilder();
    for (int i = 0; i < speech.size(); i++) {
      parts.add(SpeechFixtures.pcm16k(speech.get(i).wav()));
      ref.append(speech.get(i).text()).append(' ');
      if (i < sources.size()) {
        for (int k = 0; k < quiet.length; k++) {
          quiet[k] = (short) Math.round(random.nextGaussian() * 20);
        }
        Path wav = dir.resolve(i + ".wav");
        dev.longshot.ingest.MediaFixtures.ffmpeg("-f", "lavfi", "-i", sources.get(i), "-ar", "16000", "-ac", "1",
            wav.toString());
        parts.add(quiet.clone());
        parts.add(SpeechFixtures.pcm16k(wav));
        parts.add(quiet.clone());
      }
    }
    short[] pcm = new short[parts.stream().mapToInt(p -> p.length).sum()];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, pcm, at, p.length);
      at += p.length;
    }
    return new Audio("music", List.of(pcm), ref.toString(), AsrBenchmark.seconds(pcm));
  }

  /** Share of the reference's distinct words of 5+ letters that the hypothesis contains anywhere. */
  static double keywordRecall(String reference, String hypothesis) {
    Set<String> want = new HashSet<>();
    SpeechFixtures.words(reference).stream().filter(w -> w.length() >= 5).forEach(want::add);
    Set<String> got = new HashSet<>(SpeechFixtures.words(hypothesis));
    return want.isEmpty() ? 1 : want.stream().filter(got::contains).count() / (double) want.size();
  }

  /**
   * The clip's audio as one track; reference: the LibriVox files in {@code bench/camera-clip.sh}'s order (sorted
   * file names, each followed by 1 s), looped, as far as a file fits whole.
   */
  private static Audio clip(Path file) throws Exception {
    short[] pcm = SpeechFixtures.pcm16k(file);
    Map<String, String> text = new LinkedHashMap<>();
    SpeechFixtures.librivox().forEach(u -> text.put(u.wav().getFileName().toString(), u.text()));
    List<Path> wavs;
    try (Stream<Path> s = Files.list(SpeechFixtures.LIBRIVOX)) {
      wavs = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
    }
    double total = AsrBenchmark.seconds(pcm);
    double at = 0;
    StringBuilder ref = new StringBuilder();
    outer:
    while (true) {
      for (Path w : wavs) {
        double len = AsrBenchmark.seconds(SpeechFixtures.pcm16k(w)) + 1;
        if (at + len - 1 > total) {
          break outer;
        }
        ref.append(text.get(w.getFileName().toString())).append(' ');
        at += len;
      }
    }
    return new Audio("clip", List.of(pcm), ref.toString(), total);
  }
}
