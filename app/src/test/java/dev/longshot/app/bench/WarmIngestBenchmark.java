package dev.longshot.app.bench;

import dev.longshot.app.Longshot;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestResult;
import dev.longshot.timeline.VideoManifest;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold command versus warm server, in one run on the same files: {@code bin/longshot ingest FILE} in a fresh JVM
 * (start-up, model loading, JIT warm-up and the pipeline, measured from outside as {@link IngestCommandBenchmark}
 * does), then the same file as jobs on one long-lived {@link Longshot}, opened as the web app opens it
 * ({@code Longshot.open}, once per process; REST and folder jobs call its {@code ingest}): the first job loads the
 * ingest models, the later ones ({@code reingest}: the record and index documents are built again from the video)
 * find them loaded (PocketSphinx decoders, Tesseract, the detector, BGE) and pay only the pipeline's CPU. Every file
 * is measured twice: as given and without its audio track ({@code ffmpeg -an -c:v copy}), i.e. speech-free footage,
 * so the figures show which paths reach a real-time target and what speech recognition costs on its own.
 *
 * <p>Figures per job: wall seconds and real-time factor (media seconds / wall), CPU seconds (the process's own
 * counter, all threads, native ones included) and real-time factor per CPU second; the segment counts show that cold
 * and warm produce the same record. Wall figures only mean something on a quiet machine; CPU seconds are the figure to
 * compare on a shared one.
 *
 * <p>Run: {@code bench/run app dev.longshot.app.bench.WarmIngestBenchmark FILE [warm-jobs]} (default 2 warm jobs);
 * camera-like footage: {@code bench/camera-clip.sh}. Add {@code BENCH_JAVA_OPTS=-XX:+UseTransparentHugePages} for
 * the launcher's JVM settings.
 */
public final class WarmIngestBenchmark {
  private WarmIngestBenchmark() {}

  /** One measured job. */
  private record Job(double wall, double cpu, Map<?, Integer> segments) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: WarmIngestBenchmark FILE [warm-jobs]");
      System.exit(2);
    }
    Path file = Path.of(args[0]).toAbsolutePath();
    int warmJobs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path work = Files.createTempDirectory("longshot-warm-bench-");
    Path silent = work.resolve(stripExtension(file.getFileName().toString()) + "-no-audio.mp4");
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", file.toString(), "-an", "-c:v", "copy", silent.toString()));
    System.out.printf(Locale.ROOT, "%d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (Path f : List.of(file, silent)) {
      double seconds = IngestCommandBenchmark.duration(f);
      System.out.printf(Locale.ROOT, "%n%s: %.1f s of media%n", f.getFileName(), seconds);
      Path cliData = Files.createTempDirectory(work, "cli-");
      IngestCommandBenchmark.Run cold = IngestCommandBenchmark.measure(
          List.of(IngestCommandBenchmark.REPO.resolve("bin/longshot").toString(), "ingest", f.toString()),
          Map.of("LONGSHOT_DATA_DIR", cliData.toString()), false);
      print("cold CLI (bin/longshot ingest, new JVM)", seconds, cold.wall(), cold.cpu(), null);
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("LONGSHOT_DATA_DIR", Files.createTempDirectory(work, "server-").toString());
      LongshotConfig config = ConfigLoader.load(null, env);
      Job last = null;
      try (Longshot server = Longshot.open(config)) {
        Job first = job(() -> server.ingest(f, p -> {}));
        print("server, 1st job (loads the models)", seconds, first.wall(), first.cpu(), first.segments());
        String id = server.videos().getFirst().videoId();
        for (int i = 2; i <= warmJobs + 1; i++) {
          last = job(() -> server.reingest(id, f, p -> {}));
          print("server, job " + i + " (models warm)", seconds, last.wall(), last.cpu(), last.segments());
        }
      }
      if (last != null) {
        System.out.printf(Locale.ROOT, "  warm server job vs cold CLI: wall %.2fx, CPU %.2fx (%.1fx vs %.1fx real time)%n",
            last.wall() / cold.wall(), last.cpu() / cold.cpu(), seconds / last.wall(), seconds / cold.wall());
      }
    }
  }

  private interface Ingest {
    IngestResult run() throws Exception;
  }

  private static Job job(Ingest ingest) throws Exception {
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    VideoManifest m = ingest.run().manifest();
    return new Job((System.nanoTime() - t0) / 1e9, (processCpuNanos() - cpu0) / 1e9, m.segmentCounts());
  }

  private static void print(String what, double seconds, double wall, double cpu, Map<?, Integer> segments) {
    System.out.printf(Locale.ROOT, "  %-40s wall %6.2f s (%5.1fx real time), CPU %6.2f s (%5.1fx real time per CPU s)%s%n",
        what, wall, seconds / wall, cpu, seconds / cpu, segments == null ? "" : ", segments " + segments);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + p.exitValue());
    }
  }
}
