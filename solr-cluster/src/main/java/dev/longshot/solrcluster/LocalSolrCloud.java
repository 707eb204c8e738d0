package dev.longshot.solrcluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A local SolrCloud for tests, benchmarks and trying the {@code solrcloud} backend: Solr's own
 * MiniSolrCloudCluster (solr-test-framework 9.10.1), an embedded ZooKeeper and {@code --nodes} Solr nodes on free
 * loopback ports, data under {@code --dir} (a new temporary folder when absent, deleted at exit).
 *
 * <p>Protocol on stdout, one line each, prefixed {@value #PREFIX}: {@code zk-hosts=HOST:PORT/solr}, {@code
 * urls=URL,URL}, {@code ready}; then for each command read from stdin: {@code stop I} (stops node I, 0-based:
 * {@code stopped I}), {@code start I} ({@code started I URL}), {@code exit} ({@code bye}). End of stdin (the
 * parent died) also shuts the cluster down, so a crashed test leaves no Solr behind.
 *
 * <p>Run by hand: {@code java -cp solr-cluster/target/classes:$(cat solr-cluster/target/classpath.txt)
 * dev.longshot.solrcluster.LocalSolrCloud --nodes 2}.
 */
public final class LocalSolrCloud {
  static final String PREFIX = "longshot-solr-cluster ";

  private LocalSolrCloud() {}

  public static void main(String[] args) throws Exception {
    int nodes = 2;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> {
          System.err.println("usage: LocalSolrCloud [--nodes N] [--dir DIR]");
          System.exit(2);
        }
      }
    }
    if (nodes < 1 || nodes > 8) {
      System.err.println("--nodes must be 1..8, got " + nodes);
      System.exit(2);
    }
    boolean temporary = dir == null;
    Path base = temporary ? Files.createTempDirectory("longshot-solr-cluster") : Files.createDirectories(dir);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(nodes, base).build();
    try {
      out.println(PREFIX + "zk-hosts=" + cluster.getZkServer().getZkAddress());
      out.println(PREFIX + "urls=" + urls(cluster.getJettySolrRunners()));
      out.println(PREFIX + "ready");
      serve(cluster, out);
    } finally {
      cluster.shutdown();
      if (temporary) {
        deleteQuietly(base);
      }
      out.println(PREFIX + "bye");
    }
  }

  private static void serve(MiniSolrCloudCluster cluster, PrintStream out) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    List<JettySolrRunner> jettys = List.copyOf(cluster.getJettySolrRunners());
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split("\\s+");
      switch (cmd[0]) {
        case "stop" -> {
          int i = Integer.parseInt(cmd[1]);
          cluster.stopJettySolrRunner(jettys.get(i));
          cluster.waitForJettyToStop(jettys.get(i));
          out.println(PREFIX + "stopped " + i);
        }
        case "start" -> {
          int i = Integer.parseInt(cmd[1]);
          JettySolrRunner j = cluster.startJettySolrRunner(jettys.get(i), true);
          cluster.waitForNode(j, 60);
          out.println(PREFIX + "started " + i + " " + j.getBaseUrl());
        }
        case "exit" -> {
          return;
        }
        default -> out.println(PREFIX + "unknown command: " + line);
      }
    }
  }

  private static String urls(List<JettySolrRunner> jettys) {
    return jettys.stream().map(j -> j.getBaseUrl().toString()).collect(Collectors.joining(","));
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temporary folder; the OS cleans up what is left
    }
  }
}
