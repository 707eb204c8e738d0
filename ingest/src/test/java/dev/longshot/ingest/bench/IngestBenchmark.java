package dev.longshot.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestPipeline;
import dev.longshot.ingest.SubtitleSource;
import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.ingest.asr.Transcription;
import dev.longshot.ingest.detect.ObjectDetectors;
import dev.longshot.ingest.media.DecodedFrame;
import dev.longshot.ingest.media.MediaDecoder;
import dev.longshot.ingest.media.MediaInfo;
import dev.longshot.ingest.media.MediaProbe;
import dev.longshot.ingest.ocr.TextRecognizers;
import dev.longshot.ingest.ocr.TextSimilarity;
import dev.longshot.timeline.Json;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ingest measurements, printed as a report: per-stage real-time factor (media seconds per wall second; higher is
 * better) on the sample lecture and on a "real" clip, next to a decode-only FFmpeg pass over the same file as the
 * baseline; OCR character error rate against {@code sample-media/lecture.truth.json}; peak memory (RSS and Java
 * heap) of a whole ingest of a generated 1-hour video, next to a 1-minute one and a decode-only pass, each in its
 * own JVM. Run with {@code bench/run ingest dev.longshot.ingest.bench.IngestBenchmark [--skip-long]}.
 *
 * <p>The real clip is made from Debian packages: darknet's sample photos (people, dogs, horses, ...) with a slow
 * zoom at 1280x720 25 fps, over LibriVox speech from pocketsphinx-testdata. Generated media are cached under
 * {@code ingest/target/bench-media}.
 */
public final class IngestBenchmark {
  private static final Path REPO = Path.of(System.getProperty("longshot.repo.root", ".")).toAbsolutePath().normalize();
  private static final Path WORK = REPO.resolve("ingest/target/bench-media");

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("--memory-child")) {
      memoryChild(Path.of(args[1]), args[2]);
      return;
    }
    boolean skipLong = List.of(args).contains("--skip-long");
    Files.createDirectories(WORK);
    System.out.printf("Ingest benchmark on %d cores, %s, JVM max heap %d MiB%n%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch"), Runtime.getRuntime().maxMemory() >> 20);

    Path lecture = REPO.resolve("sample-media/lecture.mp4");
    System.out.println("== sample lecture (" + lecture.getFileName() + ") ==");
    Map<String, Path> records = speed(lecture, true);
    ocrCer(lecture, records.get("frames+OCR"));

    System.out.println("\n== real clip (darknet photos, slow zoom, 1280x720 25 fps, LibriVox speech) ==");
    speed(realClip(), true);

    if (!skipLong) {
      System.out.println("\n== memory: whole ingest (OCR, audio streamed to a discarding ASR), each run in a fresh JVM ==");
      Path hour = longVideo(3600);
      Path minute = longVideo(60);
      System.out.printf("%-15s %-12s %-7s %10s %14s %14s %10s%n", "input", "run", "-Xmx", "wall s", "peak RSS MiB", "peak heap MiB", "RTF");
      for (Path p : List.of(minute, hour)) {
        for (String mode : List.of("decode-only", "ingest")) {
          child(p, mode, "1g");
        }
      }
      child(minute, "ingest", "96m");
      child(hour, "ingest", "96m");
      System.out.println("(peak heap = sum of the heap pools' peaks; with -Xmx1g G1 grows the heap lazily, -Xmx96m shows the"
          + " live set is small and does not grow with length)");
    }
  }

  /** Decode-only baseline, then full ingests with different backends; prints per-stage RTF. */
  private static Map<String, Path> speed(Path video, boolean withOcrOnly) throws Exception {
    MediaInfo info = MediaProbe.probe(video, Long.MAX_VALUE);
    double seconds = info.durationMillis() / 1000.0;
    System.out.printf("%s: %.1f s, %dx%d %s%s%n", video.getFileName(), seconds, info.width(), info.height(), info.videoCodec(),
        info.hasAudio() ? " + " + info.audioCodec() : "");
    decodeOnly(video, info); // warm-up
    long t = System.nanoTime();
    long frames = decodeOnly(video, info);
    double base = (System.nanoTime() - t) / 1e9;
    System.out.printf("  baseline decode-only (all frames + 16 kHz audio, no conversion): %.2f s wall, RTF %.1fx (%d frames)%n",
        base, seconds / base, frames);
    Map<String, Path> dirs = new HashMap<>();
    List<String[]> runs = new ArrayList<>();
    if (withOcrOnly) {
      runs.add(new String[] {"frames+OCR", "none", "none"});
    }
    runs.add(new String[] {"full default", "pocketsphinx", "opencv"});
    for (String[] run : runs) {
      Path data = Files.createTempDirectory(WORK, "data-");
      Map<String, String> env = new HashMap<>();
      env.put("HOME", System.getProperty("user.home"));
      env.put("LONGSHOT_DATA_DIR", data.toString());
      env.put("LONGSHOT_ASR_BACKEND", run[1]);
      env.put("LONGSHOT_DETECTOR_BACKEND", run[2]);
      LongshotConfig config = ConfigLoader.load(null, env);
      try (IngestPipeline p = IngestPipeline.create(config)) {
        long t0 = System.nanoTime();
        VideoManifest m = p.ingest(video, ProgressListener.NONE).manifest();
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  %-13s (asr=%s, detector=%s): %.2f s wall, RTF %.1fx = %.2f of the decode-only RTF; %d keyframes, segments %s%n",
            run[0], run[1], run[2], wall, seconds / wall, base / wall, m.keyframeCount(), m.segmentCounts());
        StringBuilder sb = new StringBuilder("    stages (ms, RTF):");
        m.stageMillis().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(String.format(Locale.ROOT,
            " %s %d (%s)", e.getKey(), e.getValue(), e.getValue() == 0 ? "-" : String.format(Locale.ROOT, "%.0fx", seconds * 1000 / e.getValue()))));
        System.out.println(sb);
        dirs.put(run[0], data);
      }
    }
    System.out.println("    (decode = wall time of the single pass incl. waiting for workers; ocr, detect, keyframes, asr-accept = busy"
        + " time of the worker threads, which overlaps decode; asr = finishing the transcript after decode)");
    return dirs;
  }

  private static long decodeOnly(Path video, MediaInfo info) throws Exception {
    long[] frames = {0};
    try (MediaDecoder d = new MediaDecoder(video, info, true, true)) {
      d.run(new MediaDecoder.Sink() {
        @Override
        public void audio(short[] pcm, int length) {}

        @Override
        public boolean wantsFrame(long millis) {
          frames[0]++;
          return false;
        }

        @Override
        public void frame(DecodedFrame frame) {}
      });
    }
    return frames[0];
  }

  /** OCR character error rate per slide: the OCR span covering most of the slide's time against title + lines. */
  private static void ocrCer(Path lecture, Path data) throws IOException {
    JsonNode truth = Json.mapper().readTree(lecture.resolveSibling("lecture.truth.json").toFile());
    RecordStore store = new RecordStore(data.resolve("records"));
    VideoManifest m = store.list().get(0);
    List<Segment> ocr = store.segments(m.videoId()).stream().filter(s -> s.modality() == Modality.OCR).toList();
    long errors = 0;
    long chars = 0;
    System.out.println("  OCR character error rate against lecture.truth.json:");
    for (JsonNode slide : truth.get("slides")) {
      long start = Math.round(slide.get("start").asDouble() * 1000);
      long end = Math.round(slide.get("end").asDouble() * 1000);
      StringBuilder ref = new StringBuilder(slide.get("title").asText());
      slide.get("lines").forEach(l -> ref.append('\n').append(l.asText()));
      Segment best = null;
      long bestOverlap = 0;
      for (Segment s : ocr) {
        long overlap = Math.min(end, s.endMillis()) - Math.max(start, s.startMillis());
        if (overlap > bestOverlap) {
          bestOverlap = overlap;
          best = s;
        }
      }
      String hyp = best == null ? "" : best.text();
      String r = TextSimilarity.normalize(ref.toString());
      int dist = TextSimilarity.levenshtein(r, TextSimilarity.normalize(hyp));
      errors += dist;
      chars += r.length();
      System.out.printf(Locale.ROOT, "    %5.0f-%5.0f s %-16s CER %5.2f %%  (%d edits / %d chars)%n", start / 1000.0, end / 1000.0,
          slide.get("title").asText(), 100.0 * dist / r.length(), dist, r.length());
    }
    System.out.printf(Locale.ROOT, "    overall OCR CER %.2f %% over %d slides (%d OCR spans in the record)%n", 100.0 * errors / chars,
        truth.get("slides").size(), ocr.size());
  }

  private static Path realClip() throws Exception {
    Path out = WORK.resolve("real-clip.mp4");
    if (Files.isRegularFile(out)) {
      return out;
    }
    List<String> photos = List.of("person", "dog", "horses", "giraffe", "kite", "eagle", "scream");
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    StringBuilder fc = new StringBuilder();
    for (int i = 0; i < photos.size(); i++) {
      cmd.addAll(List.of("-i", "/usr/share/darknet/data/" + photos.get(i) + ".jpg"));
      fc.append(String.format("[%d:v]scale=1600:900:force_original_aspect_ratio=increase,crop=1600:900,"
          + "zoompan=z='1+0.0015*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=90:s=1280x720:fps=25,setsar=1[v%d];", i, i));
    }
    for (int i = 0; i < photos.size(); i++) {
      fc.append("[v").append(i).append(']');
    }
    fc.append("concat=n=").append(photos.size()).append(":v=1:a=0[v];");
    List<Path> wavs;
    try (var s = Files.list(Path.of("/usr/share/pocketsphinx/test/data/librivox"))) {
      wavs = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
    }
    for (Path w : wavs) {
      cmd.addAll(List.of("-i", w.toString()));
    }
    for (int i = 0; i < wavs.size(); i++) {
      fc.append('[').append(photos.size() + i).append(":a]");
    }
    fc.append("concat=n=").append(wavs.size()).append(":v=0:a=1[a]");
    cmd.addAll(List.of("-filter_complex", fc.toString(), "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "veryfast",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", out.toString()));
    run(cmd);
    return out;
  }

  /** A low-res "lecture" of {@code seconds}: the slide number changes every 30 s over a test pattern, with a tone. */
  private static Path longVideo(int seconds) throws Exception {
    Path out = WORK.resolve("long-" + seconds + "s.mp4");
    if (Files.isRegularFile(out)) {
      return out;
    }
    String font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    String vf = "drawbox=x=20:y=20:w=280:h=60:color=white:t=fill,drawtext=fontfile=" + font
        + ":text='Slide %{eif\\:floor(t/30)+1\\:d}':fontsize=28:x=30:y=35:fontcolor=black";
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=10:d=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=220:sample_rate=16000:duration=" + seconds, "-vf", vf,
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "100", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k", out.toString()));
    return out;
  }

  private static void child(Path video, String mode, String xmx) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx, "--enable-native-access=ALL-UNNAMED",
        "-Dlongshot.repo.root=" + REPO, "-cp", System.getProperty("java.class.path"), IngestBenchmark.class.getName(),
        "--memory-child", video.toString(), mode));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.MINUTES);
    String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("RESULT failed: " + out.strip());
    System.out.printf("%-15s %-12s %-7s %s%n", video.getFileName(), mode, xmx, line.substring(7));
  }

  /** In a fresh JVM: one decode-only pass or one ingest; prints wall time, peak RSS (VmHWM) and peak heap. */
  private static void memoryChild(Path video, String mode) throws Exception {
    MediaInfo info = MediaProbe.probe(video, Long.MAX_VALUE);
    long t = System.nanoTime();
    if (mode.equals("decode-only")) {
      decodeOnly(video, info);
    } else {
      Path data = Files.createTempDirectory(WORK, "mem-");
      Map<String, String> env = new HashMap<>();
      env.put("HOME", System.getProperty("user.home"));
      env.put("LONGSHOT_DATA_DIR", data.toString());
      env.put("LONGSHOT_ASR_BACKEND", "none");
      env.put("LONGSHOT_DETECTOR_BACKEND", "none");
      LongshotConfig config = ConfigLoader.load(null, env);
      try (IngestPipeline p = new IngestPipeline(config, TextRecognizers.create(config.ocr()).orElse(null), new DiscardingAsr(),
          ObjectDetectors.create(config.detector()).orElse(null), SubtitleSource.NONE)) {
        p.ingest(video, ProgressListener.NONE);
      }
    }
    double wall = (System.nanoTime() - t) / 1e9;
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    long hwmKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElse(-1L);
    System.out.printf(Locale.ROOT, "RESULT %10.1f %14d %14d %9.1fx%n", wall, hwmKb >> 10, heap >> 20,
        info.durationMillis() / 1000.0 / wall);
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + out);
    }
  }

  /** Takes the audio like a recogniser would and throws it away (for memory runs without ASR's own cost). */
  private static final class DiscardingAsr implements SpeechRecognizer {
    @Override
    public String name() {
      return "discard";
    }

    @Override
    public Transcription begin() {
      return new Transcription() {
        @Override
        public void accept(short[] pcm, int length) {}

        @Override
        public List<Segment> finish() {
          return List.of();
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void close() {}
  }
}
