package dev.longshot.vlm.bench;

import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.PrefillBatch;
import dev.longshot.vlm.attention.sparse.AShapePattern;
import dev.longshot.vlm.attention.sparse.AttentionPatterns;
import dev.longshot.vlm.attention.sparse.BlockSparseKernel;
import dev.longshot.vlm.attention.sparse.PatternInput;
import dev.longshot.vlm.attention.sparse.SparsePlan;
import dev.longshot.vlm.attention.sparse.GridPattern;
import dev.longshot.vlm.attention.sparse.HeadPattern;
import dev.longshot.vlm.attention.sparse.MMInferenceAttention;
import dev.longshot.vlm.attention.sparse.ModalityLayout;
import dev.longshot.vlm.attention.sparse.PatternSearch;
import dev.longshot.vlm.attention.sparse.VerticalSlashPattern;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sparse (MMInference) against dense prefill attention of one head, in the same run, at several prompt lengths, on
 * vision-heavy layouts in the head shapes of SmolVLM-256M's decoder (head dim 64, 64 tokens per frame, rows of 8)
 * and of a 1.5B decoder (Qwen2-VL-2B's: head dim 128, 256 tokens per frame, rows of 16). Per pattern (grid, a-shape,
 * vertical-slash without boundary, Q-boundary and 2D-boundary) the head's queries and keys carry that pattern's structure (planted, random otherwise: random
 * weights cannot show which heads a real model has, only what each pattern costs and how close it stays where the
 * structure is present), and the run prints: milliseconds of our dense ({@link DenseAttention}, the runtime's
 * {@code --attention dense}; timed on the first pattern's inputs only, skipped above {@code denseMax} tokens), of the block kernel running every causal block,
 * and of the sparse strategy (one run each, after a warm-up at 2048 tokens); the ratios; the share of causal 64x64 blocks computed; attention recall (softmax mass
 * kept, mean over rows); and the relative L2 error of the attention output against dense. Only attention is timed:
 * the projections and MLP cost the same on both paths. A layer costs {@code heads} times the per-head figure.
 * Per pattern row it also prints the cost of one computed block against one block of the all-blocks run
 * ({@code (sparse ms / blocks computed) / (all-blocks ms / causal blocks)}): the speedup over all-blocks is
 * {@code 1 / (block share x that cost)}, so a pattern that misses 3x is either computing too many blocks or paying
 * more per block (gathers, extra passes, estimation). After each length, a layer line: the shape's heads with the
 * patterns in equal numbers (the per-head rows summed; random weights cannot say which mix a real model has).
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.SparsePrefillBenchmark [THREADS] [LENGTHS]
 * [smolvlm|1.5b|all] [DENSE_MAX]}, e.g. {@code 2 8192,32768,65536 all 32768}; or the per-layer report for a real
 * model and its searched patterns: {@code ... SparsePrefillBenchmark --model PATH --attention-patterns FILE
 * --prompt-file FILE [--image FILE ...] [--mmproj FILE] [--threads N]} ({@link SparsePrefillModelReport}).
 */
public final class SparsePrefillBenchmark {
  private static final long SEED = 17L;

  record Shape(String name, int headDim, int tokensPerFrame, int tokensPerRow, int heads) {}

  private SparsePrefillBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].startsWith("--")) {
      SparsePrefillModelReport.run(args, System.out);
      return;
    }
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int[] lengths = java.util.Arrays.stream((args.length > 1 ? args[1] : "8192,32768,65536").split(","))
        .mapToInt(Integer::parseInt).toArray();
    String which = args.length > 2 ? args[2] : "all";
    int denseMax = args.length > 3 ? Integer.parseInt(args[3]) : 32768;
    List<Shape> shapes = new ArrayList<>();
    if (!which.equals("1.5b")) {
      shapes.add(new Shape("SmolVLM-256M", 64, 64, 8, 9));
    }
    if (!which.equals("smolvlm")) {
      shapes.add(new Shape("1.5B (Qwen2-VL-2B)", 128, 256, 16, 12));
    }
    System.out.printf(Locale.ROOT, "SparsePrefillBenchmark: %d threads, kernels %s, Java %s, %d cores, load average "
        + "%.1f, seed %d; one head per row, times in ms of process CPU time (one run each; all threads, so about "
        + "threads x wall on an idle machine, and not inflated by other processes on a shared one)%n", threads, Kernels.describe(), Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), SEED);
    System.out.println("shape | tokens | pattern | dense ms | all-blocks ms | sparse ms | dense/sparse | "
        + "all-blocks/sparse | block share | cost per block vs all-blocks | recall | rel. L2 error");
    try (Parallel par = new Parallel(threads)) {
      Shape warm = shapes.get(0);
      for (Case p : patterns(warm, 2048, videoLayout(2048, warm), par)) {
        run(warm, 2048, videoLayout(2048, warm), p, par, -1, new double[2]); // JIT warm-up, printed too
      }
      for (Shape s : shapes) {
        for (int n : lengths) {
          ModalityLayout layout = videoLayout(n, s);
          double denseMs = n <= denseMax ? -1 : Double.NaN; // dense costs the same whatever the values: time once
          double[] times = new double[2]; // all-blocks, sparse: sums over the patterns
          List<Case> ps = patterns(s, n, layout, par);
          for (Case p : ps) {
            denseMs = run(s, n, layout, p, par, denseMs, times);
          }
          double per = s.heads() / (double) ps.size();
          System.out.printf(Locale.ROOT, "%s | %d | layer: %d heads, the %d patterns in equal numbers | %s | %.0f | %.0f "
              + "| %s | %.2f%n", s.name(), n, s.heads(), ps.size(), Double.isNaN(denseMs) ? "-"
              : String.format(Locale.ROOT, "%.0f", denseMs * s.heads()), times[0] * per, times[1] * per,
              Double.isNaN(denseMs) ? "-" : String.format(Locale.ROOT, "%.2f", denseMs * ps.size() / times[1]),
              times[0] / times[1]);
        }
      }
    }
  }

  /** 100 text tokens, as many whole frames as fit, the rest text (the question). */
  static ModalityLayout videoLayout(int n, Shape s) {
    int frames = (n - 300) / s.tokensPerFrame();
    return ModalityLayout.video(100, frames, s.tokensPerFrame(), s.tokensPerRow(),
        n - 100 - frames * s.tokensPerFrame());
  }

  /**
   * The patterns of one length; {@code -Dbench.patterns=a,b} keeps those whose description contains one of the
   * words (e.g. {@code grid}, {@code a-shape}, {@code no-boundary}, {@code q-boundary}, {@code 2d-boundary}).
   */
  /** One benchmark row: a pattern on a head planted for it. */
  record Case(HeadPattern pattern, PlantedHead.Kind kind) {
    String describe() {
      return pattern.describe() + (pattern instanceof VerticalSlashPattern ? " on the " + kind.name().toLowerCase(
          Locale.ROOT) + " head" : "");
    }
  }

  /**
   * The rows of one length: grid, a-shape, and the three vertical-slash boundaries on the lines head (structure
   * present), plus no-boundary vertical-slash on the RoPE-like head ({@link PlantedHead}); vertical-slash budgets
   * from {@link #calibrate}.
   */
  static List<Case> patterns(Shape s, int n, ModalityLayout layout, Parallel par) {
    GridPattern frameGrid = new GridPattern(s.tokensPerFrame(), 0, true, GridPattern.DEFAULT_LOCAL);
    GridPattern grid = frameGrid.resolvesOn(layout) ? frameGrid
        : new GridPattern(s.tokensPerRow(), 0, true, GridPattern.DEFAULT_LOCAL);
    String only = System.getProperty("bench.patterns", "");
    List<Case> out = new ArrayList<>();
    PlantedHead.Kind lines = PlantedHead.Kind.LINES;
    PlantedHead.Kind rope = PlantedHead.Kind.ROPE;
    for (Case c : List.of(new Case(grid, rope), new Case(new AShapePattern(128, 4096), rope),
        new Case(new VerticalSlashPattern(1000, 2048, 64, VerticalSlashPattern.Boundary.NONE), lines),
        new Case(new VerticalSlashPattern(1000, 2048, 64, VerticalSlashPattern.Boundary.QUERY), lines),
        new Case(new VerticalSlashPattern(1000, 2048, 64, VerticalSlashPattern.Boundary.QUERY_KEY), lines),
        new Case(new VerticalSlashPattern(1000, 2048, 64, VerticalSlashPattern.Boundary.NONE), rope))) {
      if (!only.isEmpty() && java.util.Arrays.stream(only.split(",")).noneMatch(w -> c.describe().contains(w))) {
        continue;
      }
      out.add(c.pattern() instanceof VerticalSlashPattern vs
          ? new Case(calibrate(s, n, vs.boundary(), c.kind(), par), c.kind()) : c);
    }
    return out;
  }

  /**
   * A vertical-slash budget sized as {@link PatternSearch} sizes it ({@link PatternSearch#DEFAULTS}: the smallest rung
   * of its ladder whose recall reaches the target, 0.99), on a calibration head planted the same way with another
   * seed and at most {@value #CALIBRATION_MAX} tokens (the reference searches prompts up to 25k); the returned
   * pattern carries the target, so the online step grows the budget where the benchmark's own head needs more.
   * Prints one line with the rungs' recalls. {@code -Dbench.target-recall=R} sets another target.
   */
  static VerticalSlashPattern calibrate(Shape s, int n, VerticalSlashPattern.Boundary b, PlantedHead.Kind kind,
      Parallel par) {
    int cn = Math.min(n, CALIBRATION_MAX);
    ModalityLayout layout = videoLayout(cn, s);
    PatternSearch.Space dflt = PatternSearch.DEFAULTS;
    double target = Double.parseDouble(System.getProperty("bench.target-recall", String.valueOf(dflt.targetRecall())));
    PatternSearch search = new PatternSearch(new PatternSearch.Space(dflt.gridLocal(), dflt.aSink(), dflt.aLocal(),
        dflt.v(), dflt.s1(), dflt.s2(), dflt.lastQ(), target, dflt.doublings()), par);
    int d = s.headDim();
    float[][] q = new float[cn][d];
    DenseKvCache cache = new DenseKvCache(1, 1, d, cn);
    VerticalSlashPattern first = search.budgetLadder(b).get(0);
    PlantedHead.fill(first, kind, layout, new SplittableRandom(SEED + 1_000_003L + cn), q, cache, d);
    BlockSparseKernel.HeadInput in = new BlockSparseKernel.HeadInput(q, 0, 0, cache.keys(0, 0), cache.values(0, 0),
        d, new AttentionShape(1, 1, d).scale());
    Map<VerticalSlashPattern, Double> recalls = search.ladderRecalls(b, in, cn, layout);
    StringBuilder line = new StringBuilder();
    VerticalSlashPattern chosen = first;
    for (Map.Entry<VerticalSlashPattern, Double> e : recalls.entrySet()) {
      line.append(String.format(Locale.ROOT, " v=%d,s=%d: %.4f", e.getKey().v(), e.getKey().s(), e.getValue()));
      chosen = e.getKey();
    }
    System.out.printf(Locale.ROOT, "  calibration %s, %s, %s head, %d tokens (seed %d), target recall %.4f:%s -> "
        + "v=%d,s=%d%n", s.name(), b.id(), kind.name().toLowerCase(Locale.ROOT), cn, SEED + 1_000_003L + cn, target, line, chosen.v(),
        chosen.s());
    return chosen.withTargetRecall(target);
  }

  static final int CALIBRATION_MAX = 16384;

  /** Prints one line; times dense if {@code knownDenseMs} is -1; returns the dense time (NaN: not timed). */
  private static double run(Shape s, int n, ModalityLayout layout, Case c, Parallel par, double knownDenseMs,
      double[] times) {
    boolean timeDense = knownDenseMs == -1;
    SplittableRandom r = new SplittableRandom(SEED + n);
    int d = s.headDim();
    AttentionShape shape = new AttentionShape(1, 1, d);
    float[][] q = new float[n][d];
    DenseKvCache cache = new DenseKvCache(1, 1, d, n);
    HeadPattern p = c.pattern();
    PlantedHead.fill(p, c.kind(), layout, r, q, cache, d);
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      positions[i] = i;
    }
    BlockSparseKernel.HeadInput in = new BlockSparseKernel.HeadInput(q, 0, 0, cache.keys(0, 0), cache.values(0, 0),
        d, shape.scale());
    float[][] dense = new float[n][d];
    float[][] blocks = new float[n][d];
    float[][] sparse = new float[n][d];
    double denseMs = timeDense ? time(() -> new DenseAttention().attend(new PrefillBatch(shape, 0, q, positions, n,
        dense), cache, par)) : knownDenseMs;
    float[] denseLse = new float[n];
    double blocksMs = time(() -> BlockSparseKernel.run(SparsePlan.dense(0, n), in, blocks, 0, par, null, denseLse));
    MMInferenceAttention mm = new MMInferenceAttention(new AttentionPatterns("bench", 1, 1,
        Map.of(AttentionPatterns.key(0, 0), new AttentionPatterns.Entry(p, Double.NaN))));
    mm.setLayout(layout);
    double sparseMs = time(() -> mm.attend(new PrefillBatch(shape, 0, q, positions, n, sparse), cache, par));
    float[] sparseLse = new float[n];
    dev.longshot.vlm.attention.sparse.ResolvedPattern resolved = p.resolve(new PatternInput(in, n, layout));
    BlockSparseKernel.run(resolved.plan(), in, new float[n][d], 0, par, null, sparseLse);
    double recall = 0;
    for (int i = 0; i < n; i++) {
      recall += Math.min(1.0, Math.exp((double) sparseLse[i] - denseLse[i])) / n;
    }
    times[0] += blocksMs;
    times[1] += sparseMs;
    System.out.printf(Locale.ROOT, "%s | %d | %s | %s | %.0f | %.0f | %s | %.2f | %.3f | %.2f | %.4f | %.2e%n", s.name(),
        n, c.describe(), Double.isNaN(denseMs) ? "-" : String.format(Locale.ROOT, "%.0f", denseMs), blocksMs, sparseMs,
        Double.isNaN(denseMs) ? "-" : String.format(Locale.ROOT, "%.2f", denseMs / sparseMs), blocksMs / sparseMs,
        mm.blockShare(), sparseMs / blocksMs / mm.blockShare(), recall, relL2(sparse, blocks));
    if (!resolved.note().isEmpty()) {
      System.out.println("  online budget: " + resolved.note());
    }
    if (timeDense && relL2(blocks, dense) > 1e-4) {
      System.out.printf(Locale.ROOT, "  WARNING: all-blocks vs dense differ by %.2e%n", relL2(blocks, dense));
    }
    return denseMs;
  }

  /**
   * Process CPU milliseconds of one run (every thread of the JVM: the kernel's workers, plus JIT and GC, which the
   * warm-up keeps small). CPU time, not wall time: on a shared machine the wall clock measures the other processes.
   */
  private static double time(Runnable body) {
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime();
    body.run();
    return (os.getProcessCpuTime() - c0) / 1e6;
  }

  static double relL2(float[][] a, float[][] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      for (int x = 0; x < a[i].length; x++) {
        double diff = a[i][x] - b[i][x];
        num += diff * diff;
        den += (double) b[i][x] * b[i][x];
      }
    }
    return Math.sqrt(num / den);
  }
}
