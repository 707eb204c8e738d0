package dev.longshot.web.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code longshot serve} in its own JVM (the test's classpath, the project's JVM flags plus C1-only and the
 * serial collector, which about halve the CPU of a server's start: 21 s to 10 s on average here), so it can be killed with SIGKILL like a
 * crash or a power cut. Its output goes to a log file, which also tells the port.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("Longshot is running: open http://localhost:(\\d+)/");
  private final Process process;
  private final Path log;
  private final int port;
  private long cpuMillis = -1;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a server on a free port and waits (up to {@code startLimit}) until it answers. */
  static ServerProcess start(Path config, Path log, Duration startLimit) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xss4m", "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "dev.longshot.web.LongshotWebApplication", "--port", "0", "--config", config.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + startLimit.toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = RUNNING.matcher(out);
      if (m.find()) {
        return new ServerProcess(p, log, Integer.parseInt(m.group(1)));
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("The server exited with " + p.exitValue() + " before it was ready:\n" + tail(out));
      }
      Thread.sleep(100);
    }
    p.destroyForcibly().waitFor();
    throw new IllegalStateException("The server did not start within " + startLimit + ":\n" + tail(Files.readString(log)));
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush, no close; waits until the process is gone. */
  void kill() throws InterruptedException {
    cpuMillis = process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    process.destroyForcibly();
    process.waitFor();
  }

  /** CPU time (user + system) the process had used when it was killed, in ms; -1 when the OS did not tell. */
  long cpuMillis() {
    return cpuMillis;
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
