package dev.longshot.index.solr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real SolrCloud for tests: solr-cluster's {@code LocalSolrCloud} (MiniSolrCloudCluster, embedded ZooKeeper,
 * N nodes) started as a separate JVM from that module's {@code target/classpath.txt}. Solr 9 and its Lucene 9 stay
 * in that process; this JVM holds Lucene 10 and SolrJ only. The child dies with this JVM (it exits when its stdin
 * closes). One cluster per test class: a start costs tens of seconds on a loaded 2-core machine. Its heap is
 * {@code -Dlongshot.solr.heap} (default 768m).
 */
public final class SolrCloudProcess implements AutoCloseable {
  static final String PREFIX = "longshot-solr-cluster ";
  private static final long START_TIMEOUT_SECONDS = 240;
  private static final long COMMAND_TIMEOUT_SECONDS = 120;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final String zkHosts;
  private final List<String> urls;

  private SolrCloudProcess(Process process, Path log) throws IOException, InterruptedException {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith(PREFIX)) {
            lines.add(line.substring(PREFIX.length()));
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      lines.add("eof");
    }, "solr-cluster-stdout");
    reader.setDaemon(true);
    reader.start();
    String zk = null;
    List<String> u = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.equals("eof")) {
        process.destroyForcibly();
        throw new IllegalStateException("The local SolrCloud did not start within " + START_TIMEOUT_SECONDS + " s; see " + log);
      }
      if (line.startsWith("zk-hosts=")) {
        zk = line.substring("zk-hosts=".length());
      } else if (line.startsWith("urls=")) {
        u = List.of(line.substring("urls=".length()).split(","));
      } else if (line.equals("ready")) {
        break;
      }
    }
    this.zkHosts = zk;
    this.urls = u;
  }

  /** Starts a cluster of {@code nodes} Solr nodes with data and logs under {@code dir}. */
  public static SolrCloudProcess start(int nodes, Path dir) {
    String configured = System.getProperty("longshot.solr.launcher"); // surefire sets it; bench/run runs in the root
    Path target = configured != null ? Path.of(configured)
        : Files.isDirectory(Path.of("solr-cluster/target")) ? Path.of("solr-cluster/target") : Path.of("../solr-cluster/target");
    Path classpathFile = target.resolve("classpath.txt");
    try {
      if (!Files.isRegularFile(classpathFile)) {
        throw new IllegalStateException("Missing " + classpathFile.toAbsolutePath() + ": build the solr-cluster module first (mvn -pl index-solr -am ...)");
      }
      String classpath = target.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpathFile).strip();
      Path logs = Files.createDirectories(dir.resolve("logs"));
      Path log = logs.resolve("solr-cluster.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + System.getProperty("longshot.solr.heap", "768m"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "--enable-native-access=ALL-UNNAMED", "-Dsolr.log.dir=" + logs, "-cp", classpath,
          "dev.longshot.solrcluster.LocalSolrCloud", "--nodes", Integer.toString(nodes), "--dir", dir.resolve("cluster").toString());
      pb.redirectError(log.toFile());
      return new SolrCloudProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the local SolrCloud: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The embedded ZooKeeper with its chroot, e.g. {@code 127.0.0.1:40843/solr}. */
  public String zkHosts() {
    return zkHosts;
  }

  /** The nodes' base URLs, e.g. {@code http://127.0.0.1:46117/solr}. */
  public List<String> urls() {
    return urls;
  }

  /** Stops node {@code i} (0-based) and waits until it is down. */
  public void stopNode(int i) {
    command("stop " + i, "stopped " + i);
  }

  /** Starts node {@code i} again on its port and waits until it is live. */
  public void startNode(int i) {
    command("start " + i, "started " + i);
  }

  private synchronized void command(String command, String expected) {
    try {
      stdin.write(command + "\n");
      stdin.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS);
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals("eof")) {
          throw new IllegalStateException("The local SolrCloud did not answer '" + command + "'");
        }
        if (line.startsWith(expected)) {
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      stdin.write("exit\n");
      stdin.close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
