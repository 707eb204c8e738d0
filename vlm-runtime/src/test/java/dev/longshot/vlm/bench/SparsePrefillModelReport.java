package dev.longshot.vlm.bench;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.PrefillAttention;
import dev.longshot.vlm.attention.PrefillBatch;
import dev.longshot.vlm.attention.sparse.AttentionPatterns;
import dev.longshot.vlm.attention.sparse.BlockSparseKernel;
import dev.longshot.vlm.attention.sparse.HeadPattern;
import dev.longshot.vlm.attention.sparse.MMInferenceAttention;
import dev.longshot.vlm.attention.sparse.PatternInput;
import dev.longshot.vlm.attention.sparse.SparsePlan;
import dev.longshot.vlm.cli.PromptInput;
import dev.longshot.vlm.model.ModelConfig;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Parallel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sparse-prefill report for a real model (issue 17, {@code SparsePrefillBenchmark --model}): one prefill of the
 * user's prompt (text, or SmolVLM with pictures) in the runtime's sparse batches ({@link
 * TextGenerator#SPARSE_PREFILL_CHUNK} tokens), where every layer runs dense attention (which the next layer consumes,
 * so errors do not compound) and then the searched patterns of {@code attention-search} on the same queries and
 * keys. Per layer it prints the patterns' mix, dense and sparse attention milliseconds and their ratio, the share of
 * causal 64x64 blocks computed, attention recall (softmax mass kept, mean over heads and rows) and the relative L2
 * error of the layer's attention output against dense; then the totals. Timings are one run each, in the same run.
 */
final class SparsePrefillModelReport {
  private SparsePrefillModelReport() {}

  /** Per-layer totals. */
  private static final class Layer {
    final Map<String, Integer> mix = new TreeMap<>();
    long denseNanos;
    long sparseNanos;
    double blocks;
    double denseBlocks;
    double recall;
    long recallRows;
    double errNum;
    double errDen;
  }

  static void run(String[] args, PrintStream out) throws Exception {
    Path model = null;
    Path patternsFile = null;
    Path promptFile = null;
    Path mmproj = null;
    int threads = 2;
    List<Path> images = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[i + 1]);
        case "--attention-patterns" -> patternsFile = Path.of(args[i + 1]);
        case "--prompt-file" -> promptFile = Path.of(args[i + 1]);
        case "--image" -> images.add(Path.of(args[i + 1]));
        case "--mmproj" -> mmproj = Path.of(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    if (model == null || patternsFile == null || promptFile == null) {
      throw new IllegalArgumentException("usage: --model PATH --attention-patterns FILE --prompt-file FILE "
          + "[--image FILE ...] [--mmproj FILE] [--threads N]");
    }
    String text = java.nio.file.Files.readString(promptFile);
    List<SmolVlmProcessor.Picture> pictures = new ArrayList<>();
    for (Path p : images) {
      pictures.add(SmolVlmProcessor.Picture.still(RgbImage.read(p)));
    }
    VlmSettings settings = new VlmSettings(model, threads, 16, 1);
    try (SmolVlm vlm = pictures.isEmpty() ? null : mmproj != null ? SmolVlm.load(model, mmproj, settings)
        : SmolVlm.load(model, settings);
        TextGenerator plain = vlm != null ? null : TextGenerator.load(model, settings);
        Parallel par = new Parallel(threads)) {
      TextGenerator g = vlm != null ? vlm.textGenerator() : plain;
      ModelConfig c = g.config();
      AttentionPatterns patterns = AttentionPatterns.read(patternsFile, g.fingerprint(), c.layers(), c.heads());
      PromptInput input = vlm != null ? PromptInput.withImages(vlm, text, pictures) : PromptInput.text(g, text);
      int n = input.length();
      out.printf(Locale.ROOT, "SparsePrefillBenchmark --model %s: %d layers x %d heads (d %d), prompt %d tokens (%d "
          + "vision), %d threads, kernels %s; batches of %d tokens; one run each%n", model.getFileName(), c.layers(),
          c.heads(), c.headDim(), n, input.visionTokens(), threads, Kernels.describe(),
          TextGenerator.SPARSE_PREFILL_CHUNK);
      Layer[] layers = new Layer[c.layers()];
      for (int l = 0; l < layers.length; l++) {
        layers[l] = new Layer();
        for (int h = 0; h < c.heads(); h++) {
          layers[l].mix.merge(patterns.patternOf(l, h).describe().replaceAll("\\(.*", ""), 1, Integer::sum);
        }
      }
      MMInferenceAttention sparse = new MMInferenceAttention(patterns);
      sparse.setLayout(input.layout());
      DenseAttention dense = new DenseAttention();
      PrefillAttention both = (b, cache, p) -> measure(b, cache, p, dense, sparse, patterns, input, layers);
      DenseKvCache cache = new DenseKvCache(c.layers(), c.kvHeads(), c.headDim(), n);
      for (int start = 0; start < n; start += TextGenerator.SPARSE_PREFILL_CHUNK) {
        int count = Math.min(TextGenerator.SPARSE_PREFILL_CHUNK, n - start);
        g.transformer().forward(input.rows(g.transformer(), start, count), count, start, cache,
            new AttentionStrategies(both, dense), false);
      }
      print(layers, out);
    }
  }

  private static void measure(PrefillBatch b, KvCache cache, Parallel par, DenseAttention dense,
      MMInferenceAttention sparse, AttentionPatterns patterns, PromptInput input, Layer[] layers) {
    Layer L = layers[b.layer()];
    long t0 = System.nanoTime();
    dense.attend(b, cache, par);
    long t1 = System.nanoTime();
    float[][] so = new float[b.count()][b.out()[0].length];
    sparse.resetStats();
    sparse.attend(new PrefillBatch(b.shape(), b.layer(), b.q(), b.positions(), b.count(), so), cache, par);
    long t2 = System.nanoTime();
    AttentionShape s = b.shape();
    int q0 = b.positions()[0];
    int q1 = q0 + b.count();
    double db = s.heads() * BlockSparseKernel.denseBlocks(q0, q1);
    L.denseNanos += t1 - t0;
    L.sparseNanos += t2 - t1;
    L.blocks += sparse.blockShare() * db;
    L.denseBlocks += db;
    int width = s.heads() * s.headDim();
    for (int t = 0; t < b.count(); t++) {
      for (int x = 0; x < width; x++) {
        double diff = so[t][x] - b.out()[t][x];
        L.errNum += diff * diff;
        L.errDen += (double) b.out()[t][x] * b.out()[t][x];
      }
    }
    float[][] scratch = new float[b.count()][s.headDim()];
    float[] lseSparse = new float[b.count()];
    float[] lseDense = new float[b.count()];
    for (int head = 0; head < s.heads(); head++) { // recall, after the timings: the kernel's log-sum-exps
      int kv = s.kvHeadOf(head);
      BlockSparseKernel.HeadInput in = new BlockSparseKernel.HeadInput(b.q(), head * s.headDim(), q0,
          cache.keys(b.layer(), kv), cache.values(b.layer(), kv), s.headDim(), s.scale());
      HeadPattern p = patterns.patternOf(b.layer(), head);
      BlockSparseKernel.run(p.resolve(new PatternInput(in, q1, input.layout())).plan(), in, scratch, 0, par, null,
          lseSparse);
      BlockSparseKernel.run(SparsePlan.dense(q0, q1), in, scratch, 0, par, null, lseDense);
      for (int t = 0; t < b.count(); t++) {
        L.recall += Math.min(1.0, Math.exp((double) lseSparse[t] - lseDense[t]));
      }
      L.recallRows += b.count();
    }
  }

  private static void print(Layer[] layers, PrintStream out) {
    out.println("layer | patterns | dense ms | sparse ms | dense/sparse | block share | recall | rel. L2 error");
    long dn = 0;
    long sn = 0;
    double blocks = 0;
    double denseBlocks = 0;
    for (int l = 0; l < layers.length; l++) {
      Layer L = layers[l];
      out.printf(Locale.ROOT, "%d | %s | %.1f | %.1f | %.2f | %.3f | %.4f | %.2e%n", l, L.mix, L.denseNanos / 1e6,
          L.sparseNanos / 1e6, (double) L.denseNanos / L.sparseNanos, L.blocks / L.denseBlocks,
          L.recall / L.recallRows, Math.sqrt(L.errNum / L.errDen));
      dn += L.denseNanos;
      sn += L.sparseNanos;
      blocks += L.blocks;
      denseBlocks += L.denseBlocks;
    }
    out.printf(Locale.ROOT, "all layers: dense %.1f ms, sparse %.1f ms (%.2fx), block share %.3f%n", dn / 1e6,
        sn / 1e6, (double) dn / sn, blocks / denseBlocks);
  }
}
