package dev.longshot.retrieval.bench;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.LongshotConfig;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;
import dev.longshot.retrieval.index.IndexSchema;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * Query latency over about 100 hours of synthetic segments: per hour of video, an ASR segment every 5 s, an OCR
 * segment every 20 s and a detection segment every 10 s (1,260 segments), texts drawn from a seeded Zipf vocabulary.
 * Vectors come from the 384-d hashing stand-in embedder (embedding 126,000 texts with BGE on 2 cores would take
 * most of an hour); BGE's own query-embedding time is measured separately and added in the last line.
 *
 * <p>Baselines in the same run, same index: plain Lucene BM25 top-10 and plain HNSW kNN top-10. Figures: p50/p99
 * over the queries after a warm-up, index size on disk, build time.
 *
 * <pre>bench/run retrieval dev.longshot.retrieval.bench.QueryLatencyBenchmark [--hours 100] [--queries 500] [--seed 42] [--candidates N]</pre>
 */
public final class QueryLatencyBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int WARMUP = 300;

  /** Sorted wall-clock and thread-CPU milliseconds of one measured call series. */
  record Timings(double[] wall, double[] cpu) {}
  private QueryLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int hours = intArg(args, "--hours", 100);
    int queries = intArg(args, "--queries", 500);
    long seed = intArg(args, "--seed", 42);
    System.out.printf(Locale.ROOT, "seed %d, %d hours, %d queries, %d cores%n", seed, hours, queries,
        Runtime.getRuntime().availableProcessors());
    Path dir = Files.createTempDirectory("longshot-bench-index");
    SyntheticLecture gen = new SyntheticLecture(seed);
    RetrievalSettings d = LongshotConfig.defaults().retrieval();
    RetrievalSettings settings = new RetrievalSettings(d.topK(), d.rrfK(), d.minSimilarity(), d.windowSeconds(),
        d.mergeGapSeconds(), d.decomposer(), intArg(args, "--candidates", d.candidates()),
        intArg(args, "--window-part-words", d.windowPartWords()));
    System.out.printf(Locale.ROOT, "retrieval settings %s%n", settings);
    try (HashingTextEmbedder embedder = new HashingTextEmbedder(384)) {
      try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings)) {
        long t0 = System.nanoTime();
        long segments = 0;
        for (int v = 0; v < hours; v++) {
          List<Segment> video = gen.hour();
          segments += video.size();
          index.replaceVideo(Fixtures.manifest(HexFormat.of().toHexDigits((long) v + 1), "bench"), video);
        }
        System.out.printf(Locale.ROOT, "indexed %d segments in %.1f s; index size %.1f MiB%n", segments,
            (System.nanoTime() - t0) / 1e9, sizeBytes(dir) / 1048576.0);
        List<String> qs = new ArrayList<>();
        for (int i = 0; i < queries + WARMUP; i++) {
          qs.add(gen.question());
        }
        List<float[]> vectors = qs.stream().map(embedder::embedQuery).toList();
        measure(dir, index, settings, qs, vectors);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static void measure(Path dir, EvidenceIndex index, RetrievalSettings settings, List<String> qs,
      List<float[]> vectors) throws IOException {
    try (FSDirectory fs = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(fs);
        EnglishAnalyzer analyzer = new EnglishAnalyzer()) {
      IndexSearcher searcher = new IndexSearcher(reader);
      System.out.printf(Locale.ROOT, "%d documents in %d Lucene segments%n", reader.maxDoc(), reader.leaves().size());
      QueryBuilder builder = new QueryBuilder(analyzer);
      Query segmentsOnly = new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_SEGMENT));
      Timings bm25 = time(qs.size(), i -> {
        Query q = builder.createBooleanQuery(IndexSchema.TEXT, qs.get(i));
        run(() -> searcher.search(new BooleanQuery.Builder().add(q, Occur.MUST).add(segmentsOnly, Occur.FILTER).build(), 10));
      });
      Timings knn = time(qs.size(), i -> run(() -> searcher.search(
          new KnnFloatVectorQuery(IndexSchema.VECTOR, vectors.get(i), 10, segmentsOnly), 10)));
      Timings hybrid = time(qs.size(), i -> index.searchWithVector(SearchRequest.of(qs.get(i), settings.topK()), vectors.get(i)));
      report("baseline: Lucene BM25 top-10", bm25, bm25);
      report("baseline: Lucene HNSW kNN top-10", knn, bm25);
      report("hybrid (BM25+kNN+windows, RRF, merge)", hybrid, bm25);
      Timings bge = bgeQueryEmbedding(qs);
      if (bge != null) {
        report("BGE-small query embedding alone", bge, bm25);
        System.out.printf(Locale.ROOT, "hybrid search + one BGE query embedding, p50 sum: %.2f ms%n",
            percentile(hybrid.wall(), 50) + percentile(bge.wall(), 50));
      }
    }
  }

  private static Timings bgeQueryEmbedding(List<String> qs) {
    try (TextEmbedder bge = TextEmbedders.create(LongshotConfig.defaults().embeddings())) {
      return time(Math.min(qs.size(), 200), i -> bge.embedQuery(qs.get(i)));
    } catch (RuntimeException e) {
      System.out.println("BGE-small not measured: " + e.getMessage());
      return null;
    }
  }

  interface IoRunnable {
    void run() throws IOException;
  }

  private static void run(IoRunnable r) {
    try {
      r.run();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs {@code n} calls (the first {@value #WARMUP}, at most half, as JIT warm-up, not counted). */
  private static Timings time(int n, IntConsumer call) {
    int warm = Math.min(WARMUP, n / 2);
    for (int i = 0; i < warm; i++) {
      call.accept(i);
    }
    double[] ms = new double[n - warm];
    double[] cpu = new double[n - warm];
    for (int i = warm; i < n; i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      call.accept(i);
      ms[i - warm] = (System.nanoTime() - t0) / 1e6;
      cpu[i - warm] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
    }
    Arrays.sort(ms);
    Arrays.sort(cpu);
    return new Timings(ms, cpu);
  }

  private static void report(String name, Timings t, Timings baseline) {
    System.out.printf(Locale.ROOT, "%-40s p50 %7.2f ms  p99 %7.2f ms  (p50 x%.1f of BM25)  thread CPU p50 %6.2f ms%n",
        name, percentile(t.wall(), 50), percentile(t.wall(), 99), percentile(t.wall(), 50) / percentile(baseline.wall(), 50),
        percentile(t.cpu(), 50));
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1))];
  }

  private static long sizeBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }

  /** Seeded synthetic lecture hours: Zipf-distributed words, segment cadence per modality (also index-solr's benchmark). */
  public static final class SyntheticLecture {
    private static final int VOCABULARY = 20_000;
    private final Random random;
    private final double[] cumulative = new double[VOCABULARY];

    public SyntheticLecture(long seed) {
      random = new Random(seed);
      double sum = 0;
      for (int i = 0; i < VOCABULARY; i++) {
        sum += 1.0 / (i + 1);
        cumulative[i] = sum;
      }
      for (int i = 0; i < VOCABULARY; i++) {
        cumulative[i] /= sum;
      }
    }

    public List<Segment> hour() {
      List<Segment> out = new ArrayList<>(1260);
      for (int s = 0; s < 3600; s += 5) {
        out.add(Fixtures.seg(Modality.ASR, s, s + 5, words(14)));
        if (s % 20 == 0) {
          out.add(Fixtures.seg(Modality.OCR, s, s + 20, words(8)));
        }
        if (s % 10 == 0) {
          out.add(Fixtures.seg(Modality.DET, s, s, "Objects: person (" + (1 + random.nextInt(3)) + "), " + word() + " (1)."));
        }
      }
      return out;
    }

    public String question() {
      return "what did they say about " + words(3 + random.nextInt(4)) + "?";
    }

    private String words(int n) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : " ").append(word());
      }
      return sb.toString();
    }

    private String word() {
      int i = Arrays.binarySearch(cumulative, random.nextDouble());
      int rank = i >= 0 ? i : Math.min(VOCABULARY - 1, -i - 1);
      return "w" + Integer.toString(rank, 36);
    }
  }
}
