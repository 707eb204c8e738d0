package dev.longshot.index.solr.bench;

import dev.longshot.config.LongshotConfig;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.config.SolrSettings;
import dev.longshot.index.solr.SolrCloudProcess;
import dev.longshot.index.solr.SolrEvidenceIndex;
import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.retrieval.QuestionAnswering;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.bench.QueryLatencyBenchmark.SyntheticLecture;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Issue 19 item 7: the same synthetic library (QueryLatencyBenchmark's seeded lecture hours: 1,260 segments an
 * hour, 384-d hashing stand-in vectors) indexed and searched by the embedded Lucene index (the baseline), a 1-node
 * SolrCloud (1 shard) and a 2-node SolrCloud (2 shards), all on this machine; the clusters run in their own JVM
 * ({@link SolrCloudProcess}), so their figures include loopback HTTP. Prints indexing throughput, hybrid-search p50
 * and p99 (wall, after a warm-up) with ratios against the embedded index, and HTTP round trips per search and per
 * {@code ask} (the extractive answerer; an ask runs one search per Video-RAG request).
 *
 * <pre>bench/run index-solr dev.longshot.index.solr.bench.SolrScaleBenchmark [--hours 100] [--queries 300] [--warmup 100] [--seed 42]</pre>
 */
public final class SolrScaleBenchmark {
  private SolrScaleBenchmark() {}

  record Result(String name, double segmentsPerSecond, double p50, double p99, double tripsPerSearch, double tripsPerAsk) {}

  public static void main(String[] args) throws Exception {
    int hours = intArg(args, "--hours", 100);
    int queries = intArg(args, "--queries", 300);
    int warmup = intArg(args, "--warmup", 100);
    long seed = intArg(args, "--seed", 42);
    System.out.printf(Locale.ROOT, "seed %d, %d hours, %d queries after %d warm-up, %d cores, Solr heap %s%n", seed, hours,
        queries, warmup, Runtime.getRuntime().availableProcessors(), System.getProperty("longshot.solr.heap", "768m"));
    SyntheticLecture gen = new SyntheticLecture(seed);
    List<List<Segment>> library = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      library.add(gen.hour());
    }
    List<String> qs = new ArrayList<>();
    for (int i = 0; i < queries + warmup; i++) {
      qs.add(gen.question());
    }
    LongshotConfig config = LongshotConfig.defaults();
    RetrievalSettings settings = config.retrieval();
    Path tmp = Files.createTempDirectory("longshot-solr-bench");
    List<Result> results = new ArrayList<>();
    try (HashingTextEmbedder embedder = new HashingTextEmbedder(384)) {
      List<float[]> vectors = qs.stream().map(embedder::embedQuery).toList();
      try (LuceneEvidenceIndex lucene = LuceneEvidenceIndex.open(tmp.resolve("lucene"), embedder, settings)) {
        results.add(measure("embedded Lucene", lucene, () -> 0, library, qs, vectors, warmup, config));
      }
      for (int nodes = 1; nodes <= 2; nodes++) {
        try (SolrCloudProcess cluster = SolrCloudProcess.start(nodes, tmp.resolve("cluster" + nodes))) {
          SolrSettings solr = new SolrSettings(List.of(cluster.zkHosts()), List.of(), "bench" + nodes, nodes, 1, Duration.ofSeconds(60));
          try (SolrEvidenceIndex index = SolrEvidenceIndex.open(solr, embedder, settings)) {
            results.add(measure("SolrCloud " + nodes + " node" + (nodes > 1 ? "s, " : ", ") + nodes + " shard" + (nodes > 1 ? "s" : ""),
                index, index::requests, library, qs, vectors, warmup, config));
          }
        }
      }
    }
    Result base = results.getFirst();
    System.out.printf(Locale.ROOT, "%-28s %12s %8s %9s %9s %8s %9s %9s %8s%n", "backend", "segments/s", "ratio", "p50 ms",
        "p99 ms", "p50 x", "trips/q", "trips/ask", "");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-28s %12.0f %8.2f %9.2f %9.2f %8.2f %9.1f %9.1f%n", r.name(), r.segmentsPerSecond(),
          r.segmentsPerSecond() / base.segmentsPerSecond(), r.p50(), r.p99(), r.p50() / base.p50(), r.tripsPerSearch(), r.tripsPerAsk());
    }
  }

  private static Result measure(String name, EvidenceIndex index, LongSupplier requests, List<List<Segment>> library,
      List<String> qs, List<float[]> vectors, int warmup, LongshotConfig config) {
    long t0 = System.nanoTime();
    long segments = 0;
    for (int v = 0; v < library.size(); v++) {
      index.replaceVideo(Fixtures.manifest(HexFormat.of().toHexDigits((long) v + 1), "bench"), library.get(v));
      segments += library.get(v).size();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s: indexed %d segments in %.1f s%n", name, segments, seconds);
    int topK = config.retrieval().topK();
    for (int i = 0; i < warmup; i++) {
      index.searchWithVector(SearchRequest.of(qs.get(i), topK), vectors.get(i));
    }
    int n = qs.size() - warmup;
    double[] wall = new double[n];
    long before = requests.getAsLong();
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      index.searchWithVector(SearchRequest.of(qs.get(warmup + i), topK), vectors.get(warmup + i));
      wall[i] = (System.nanoTime() - s) / 1e6;
    }
    double trips = (requests.getAsLong() - before) / (double) n;
    QuestionAnswering qa = QuestionAnswering.create(index, config.answer(), KeyframeResolver.none(), null);
    int asks = Math.min(20, n);
    long beforeAsks = requests.getAsLong();
    for (int i = 0; i < asks; i++) {
      qa.ask(qs.get(warmup + i), Set.of(), e -> { }, t -> { });
    }
    double tripsPerAsk = (requests.getAsLong() - beforeAsks) / (double) asks;
    Arrays.sort(wall);
    Result r = new Result(name, segments / seconds, percentile(wall, 0.50), percentile(wall, 0.99), trips, tripsPerAsk);
    System.out.printf(Locale.ROOT, "%s: hybrid p50 %.2f ms, p99 %.2f ms; %.1f round trips per search, %.1f per ask%n", name,
        r.p50(), r.p99(), trips, tripsPerAsk);
    return r;
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * (sorted.length - 1) + 0.5))];
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
