package dev.longshot.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole user command, {@code bin/longshot ingest FILE} (JVM start, model loading, decode, OCR, ASR, detection,
 * indexing), measured from outside: wall time and real-time factor, CPU seconds (user + sys of the command and its
 * children, from bash's {@code times}) and the CPU of each stage, from the per-thread counters of the Java process
 * sampled every 100 ms ({@code /proc/PID/task/TID/stat}; threads are grouped by name: {@code longshot-asr-decode-*}
 * speech decoders, {@code longshot-keyframes} JPEG + OCR + detection, FFmpeg's {@code av:*} video decoder threads,
 * the JIT compilers, GC, the model loaders, and {@code main}: start-up, demuxing, audio decoding, frame sampling,
 * indexing). The baseline, measured in the same run on the same file: FFmpeg's own decode of every video frame and
 * the audio on one thread ({@code ffmpeg -threads 1 -i FILE -f null -}), the floor any ingest pays. Each ingest gets
 * a fresh data directory. CPU seconds are the figure to compare on a shared machine; wall time only on a quiet one.
 *
 * <p>Run: {@code bench/run app dev.longshot.app.bench.IngestCommandBenchmark FILE [runs] [command...]}; the command
 * defaults to {@code bin/longshot ingest} (FILE is appended). Camera-like test footage: {@code bench/camera-clip.sh}.
 */
public final class IngestCommandBenchmark {
  static final Path REPO = Path.of(System.getProperty("longshot.repo.root", ".")).toAbsolutePath().normalize();
  private static final long HZ = 100; // USER_HZ of /proc/*/stat on Linux
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s\\s*$");

  private IngestCommandBenchmark() {}

  /** One measured command: wall seconds, CPU seconds (user, sys), per-stage CPU, peak RSS of the Java process. */
  record Run(double wall, double user, double sys, Map<String, Double> stages, long peakRssKb) {
    double cpu() {
      return user + sys;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: IngestCommandBenchmark FILE [runs] [command...]");
      System.exit(2);
    }
    Path file = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    List<String> command = args.length > 2 ? List.of(args).subList(2, args.length)
        : List.of(REPO.resolve("bin/longshot").toString(), "ingest");
    double seconds = duration(file);
    System.out.printf(Locale.ROOT, "%s: %.1f s of media; %d cores, load average %.1f%n", file.getFileName(), seconds,
        Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());
    Run base = measure(List.of("ffmpeg", "-nostdin", "-v", "error", "-threads", "1", "-i", file.toString(), "-f", "null", "-"),
        Map.of(), false);
    System.out.printf(Locale.ROOT, "baseline ffmpeg decode-only, 1 thread: wall %.2f s (%.1fx real time), CPU %.2f s"
        + " (%.1fx real time per CPU s)%n", base.wall(), seconds / base.wall(), base.cpu(), seconds / base.cpu());
    for (int i = 1; i <= runs; i++) {
      Path data = Files.createTempDirectory("longshot-bench-");
      List<String> cmd = new ArrayList<>(command);
      cmd.add(file.toString());
      Run r = measure(cmd, Map.of("LONGSHOT_DATA_DIR", data.toString()), true);
      System.out.printf(Locale.ROOT, "ingest run %d (%s): wall %.2f s (%.1fx real time), CPU %.2f s (user %.2f + sys %.2f;"
          + " %.2fx real time per CPU s) = %.1fx the baseline's CPU, peak RSS %d MiB%n", i, String.join(" ", command),
          r.wall(), seconds / r.wall(), r.cpu(), r.user(), r.sys(), seconds / r.cpu(), r.cpu() / base.cpu(), r.peakRssKb() >> 10);
      StringBuilder sb = new StringBuilder("  CPU by stage (s, share):");
      double sampled = r.stages().values().stream().mapToDouble(Double::doubleValue).sum();
      r.stages().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e ->
          sb.append(String.format(Locale.ROOT, " %s %.2f (%.0f%%)", e.getKey(), e.getValue(), 100 * e.getValue() / sampled)));
      System.out.println(sb);
    }
  }

  /** Runs {@code cmd} through bash, whose {@code times} gives the exact CPU of everything it started. */
  static Run measure(List<String> cmd, Map<String, String> env, boolean sampleThreads) throws Exception {
    StringBuilder line = new StringBuilder();
    for (String c : cmd) {
      line.append('\'').append(c.replace("'", "'\\''")).append("' ");
    }
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", line + ">/dev/null 2>&1; rc=$?; times; exit $rc");
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    Map<String, double[]> threads = new LinkedHashMap<>(); // tid -> {cpu seconds}, name in key "tid name"
    long[] rss = {0};
    while (p.isAlive()) {
      if (sampleThreads) {
        javaDescendant(p).ifPresent(pid -> sample(pid, threads, rss));
      }
      Thread.sleep(100);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + p.exitValue());
    }
    String[] lines = out.strip().split("\n");
    Matcher m = TIMES.matcher(lines[lines.length - 1]);
    if (!m.find()) {
      throw new IllegalStateException("cannot read bash's times output: " + out);
    }
    double user = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
    double sys = Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
    Map<String, Double> stages = new LinkedHashMap<>();
    threads.forEach((key, cpu) -> stages.merge(stage(key.substring(key.indexOf(' ') + 1)), cpu[0], Double::sum));
    return new Run(wall, user, sys, stages, rss[0]);
  }

  private static Optional<Long> javaDescendant(Process p) {
    return p.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .map(ProcessHandle::pid).findFirst();
  }

  private static void sample(long pid, Map<String, double[]> threads, long[] rss) {
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) HZ;
          threads.computeIfAbsent(t.getFileName() + " " + name, k -> new double[1])[0] = cpu;
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading
        }
      }
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmHWM:")) {
          rss[0] = Math.max(rss[0], Long.parseLong(l.replaceAll("\\D+", "")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended
    }
  }

  /** The stage a thread's CPU counts for (Linux truncates thread names to 15 characters). */
  static String stage(String thread) {
    if (thread.startsWith("longshot-asr-de")) {
      return "asr-decoders";
    }
    if (thread.startsWith("longshot-keyfra")) {
      return "keyframes(jpeg+ocr+detect)";
    }
    if (thread.startsWith("longshot-model") || thread.startsWith("longshot-ingest")) {
      return "model-loading";
    }
    if (thread.startsWith("av:") || thread.contains("h264") || thread.contains("hevc")) {
      return "video-decode";
    }
    if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
      return "jit";
    }
    if (thread.startsWith("GC ") || thread.startsWith("G1 ")) {
      return "gc";
    }
    if (thread.equals("java")) {
      return "main";
    }
    return "other";
  }

  static double duration(Path file) throws Exception {
    Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
        file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalArgumentException("ffprobe cannot read " + file);
    }
    return Double.parseDouble(out);
  }
}
