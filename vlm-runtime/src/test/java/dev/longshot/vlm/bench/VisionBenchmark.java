package dev.longshot.vlm.bench;

import dev.longshot.config.VisionPrecision;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.multimodal.ImageProcessor;
import dev.longshot.vlm.multimodal.ImageProcessorConfig;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.NativeGemm;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import dev.longshot.vlm.vision.VisionActivation;
import dev.longshot.vlm.vision.VisionConfig;
import dev.longshot.vlm.vision.VisionEncoder;
import dev.longshot.vlm.vision.VisionWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The SmolVLM vision tower on CPU at SmolVLM-256M's and SmolVLM-500M's real shapes (SigLIP-B/16 at 512 px, 12
 * layers, width 768; connector scale 4 to the decoder's 576 resp. 960), random F32 weights held in memory: images/s
 * and GFLOP/s, next to the same run's plain {@link Matmul} throughput on the tower's MLP shape (the baseline: the
 * share of the kernel's speed the whole tower keeps). Then the prefill of a 16-frame Video-RAG answer prompt on the
 * SmolVLM-256M decoder shape (SmolLM2-135M, Q8_0): the decoder prefill with the vision embeddings spliced in,
 * against a text-only prefill of the same ids in the same run, plus one frame through the tower. Peak RSS from /proc. llama.cpp's Java binding ({@code de.kherud:llama}
 * 4.1.0) has no mmproj / multimodal API, so there is no llama.cpp column.
 * The tower runs each way in one JVM, interleaved image by image: products in float32 and in bf16 on the native GEMM
 * ({@code vlm.vision-precision} f32 / bf16) and on the Java GEMM; {@code -Dbench.vision.paths=f32,bf16,java} picks
 * them (the first is the ratios' base), and the bf16 embeddings' distance from the f32 ones is printed. Then a 1080p
 * video frame's preprocessing (resize, normalise), one frame at a time and one per thread.
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.VisionBenchmark [THREADS] [IMAGES] [FRAMES]}.
 */
public final class VisionBenchmark {
  private VisionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int frames = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    System.out.printf(Locale.ROOT, "VisionBenchmark: %d threads, kernels %s, Java %s, %d cores, load average %.1f%n",
        threads, Kernels.describe(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (Parallel par = new Parallel(threads)) {
      double base = matmulGflops(par);
      System.out.printf(Locale.ROOT, "baseline Matmul 1024 x 3072 x 768 F32: %.1f GFLOP/s%n", base);
      for (int textDim : new int[] {576, 960}) {
        VisionConfig c = new VisionConfig(768, 3072, 12, 12, 512, 16, 1e-6f, VisionActivation.GELU_TANH, 4, textDim);
        VisionWeights weights = randomWeights(c, 7);
        float[] pixels = randomPixels(c.imageSize(), 3);
        List<Route> paths = Route.selected();
        double[] wall = new double[paths.size()];
        double[] cpu = new double[paths.size()];
        float[][][] out = new float[paths.size()][][];
        for (int p = 0; p < paths.size(); p++) {
          out[p] = paths.get(p).encode(c, weights, par, pixels); // warm-up
        }
        for (int i = 0; i < images; i++) { // interleaved: each path once per round
          for (int p = 0; p < paths.size(); p++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            out[p] = paths.get(p).encode(c, weights, par, pixels);
            wall[p] += (System.nanoTime() - t0) / 1e9 / images;
            cpu[p] += (processCpuNanos() - c0) / 1e9 / images;
          }
        }
        double gflop = towerFlops(c) / 1e9;
        String shape = textDim == 576 ? "256M" : "500M";
        for (int p = 0; p < paths.size(); p++) {
          System.out.printf(Locale.ROOT, "SmolVLM-%s vision tower + connector (512 px -> %d tokens), %s: %.2f s/image, "
              + "%.3f images/s, %.1f GFLOP/s = %.2fx the baseline kernel, %.2f CPU-s/image; vs %s %.2fx wall, "
              + "%.2fx per CPU-s%n", shape, c.imageSeqLen(), paths.get(p).label, wall[p], 1 / wall[p], gflop / wall[p],
              gflop / wall[p] / base, cpu[p], paths.get(0).label, wall[0] / wall[p], cpu[0] / cpu[p]);
        }
        for (int p = 1; p < paths.size(); p++) {
          System.out.printf(Locale.ROOT, "  embeddings %s vs %s: %s%n", paths.get(p).label, paths.get(0).label,
              difference(out[p], out[0]));
        }
      }
    }
    preprocessing(threads);
    prefill(threads, frames);
    System.out.printf(Locale.ROOT, "peak RSS %d MiB, max heap %d MiB%n", peakRssKib() / 1024,
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /**
   * A video frame's preprocessing before the tower (HF's longest-edge resize to 2048 x 1152, then 512 x 512, then
   * normalisation): 4 random 1920 x 1080 frames one at a time, then on the runtime's threads (one frame per thread, as
   * {@code SmolVlmProcessor} does), wall and CPU per frame.
   */
  private static void preprocessing(int threads) {
    ImageProcessor ip = new ImageProcessor(ImageProcessorConfig.defaults(512, 64, new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.5f, 0.5f, 0.5f}));
    SplittableRandom r = new SplittableRandom(13);
    RgbImage[] frames = new RgbImage[4];
    for (int f = 0; f < frames.length; f++) {
      int[] rgb = new int[1920 * 1080];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = r.nextInt(1 << 24);
      }
      frames[f] = new RgbImage(1920, 1080, rgb);
    }
    ip.process(frames[0], false); // warm-up
    try (Parallel par = new Parallel(threads)) {
      for (int round = 0; round < 2; round++) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (RgbImage f : frames) {
          ip.process(f, false);
        }
        long c1 = processCpuNanos();
        long t1 = System.nanoTime();
        par.forRange(frames.length, 1, (from, to) -> {
          for (int i = from; i < to; i++) {
            ip.process(frames[i], false);
          }
        });
        long c2 = processCpuNanos();
        long t2 = System.nanoTime();
        int n = frames.length;
        System.out.printf(Locale.ROOT, "preprocessing a 1920 x 1080 frame (-> 2048 x 1152 -> 512 x 512): one at a time "
            + "%.0f ms (%.0f ms CPU), on %d threads %.0f ms per frame (%.0f ms CPU): %.2fx wall%n", (t1 - t0) / 1e6 / n,
            (c1 - c0) / 1e6 / n, threads, (t2 - t1) / 1e6 / n, (c2 - c1) / 1e6 / n, (double) (t1 - t0) / (t2 - t1));
      }
    }
  }

  /** 16 frames of 64 vision tokens with their markers and labels, then ~300 text tokens, on the 256M decoder. */
  private static void prefill(int threads, int frames) throws Exception {
    ModelSpec spec = new ModelSpec("llama", 576, 1536, 30, 9, 3, 49280, 8192, 100000f, false);
    Path dir = Files.createTempDirectory("longshot-vision-bench");
    Path file = dir.resolve("decoder.gguf");
    try {
      new RandomModel(spec, 1).writeGguf(file, TensorEncoding.Q8_0);
      try (TextGenerator g = TextGenerator.load(file, new VlmSettings(file, threads, 8192, 1))) {
        VisionConfig c = new VisionConfig(768, 3072, 12, 12, 512, 16, 1e-6f, VisionActivation.GELU_TANH, 4, 576);
        VisionEncoder enc = new VisionEncoder(c, randomWeights(c, 11), g.parallel(), VisionPrecision.BF16);
        int perFrame = 8 + 3 + c.imageSeqLen(); // "\nFrame from mm:ss:" label, <fake><global-img>..<fake>
        int n = frames * perFrame + 300;
        int[] ids = new int[n];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
          ids[i] = 300 + r.nextInt(40_000);
        }
        float[] pixels = randomPixels(512, 9);
        g.generate(Arrays.copyOf(ids, 64), GenerationSettings.greedy(1), s -> { }, null); // warm-up
        // one frame through the tower (timed), its embeddings reused for every frame: the decoder's prefill of the
        // whole prompt is what is timed next; the tower's cost per frame is this one measurement
        long t0 = System.nanoTime();
        float[][] e = enc.encode(pixels, 512, 512);
        long t1 = System.nanoTime();
        float[][] emb = new float[n][];
        for (int f = 0; f < frames; f++) {
          System.arraycopy(e, 0, emb, f * perFrame + 10, e.length);
        }
        long t2 = System.nanoTime();
        g.generate(ids, emb, GenerationSettings.greedy(1), s -> { }, null);
        long t3 = System.nanoTime();
        g.generate(ids, GenerationSettings.greedy(1), s -> { }, null);
        long t4 = System.nanoTime();
        double vision = (t1 - t0) / 1e9;
        double mm = (t3 - t2) / 1e9;
        double text = (t4 - t3) / 1e9;
        System.out.printf(Locale.ROOT, "%d-frame answer prompt, %d tokens (%d vision): decoder prefill %.1f s = %.1f "
            + "tok/s; text-only prefill of the same ids %.1f tok/s (ratio %.2f); tower %.1f s per frame (one frame "
            + "timed), so %d frames + prefill = %.1f s (computed from the two timings)%n", frames, n,
            frames * c.imageSeqLen(), mm, n / mm, n / text, text / mm, vision, frames, frames * vision + mm);
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  /**
   * The paths compared (system property {@code bench.vision.paths}, comma-separated, default all; the first is the
   * ratios' base): the tower's products in float32 on the native GEMM, in bf16 on it, and the Java GEMM (float32).
   */
  private enum Route {
    F32("native f32"), BF16("native bf16"), JAVA("Java GEMM");

    final String label;

    Route(String label) {
      this.label = label;
    }

    static List<Route> selected() {
      return Arrays.stream(System.getProperty("bench.vision.paths", "f32,bf16,java").split(","))
          .map(x -> valueOf(x.strip().toUpperCase(Locale.ROOT))).toList();
    }

    float[][] encode(VisionConfig c, VisionWeights w, Parallel par, float[] pixels) {
      float[][][] r = new float[1][][];
      switch (this) {
        case F32 -> r[0] = new VisionEncoder(c, w, par, VisionPrecision.F32).encode(pixels, 512, 512);
        case BF16 -> r[0] = new VisionEncoder(c, w, par, VisionPrecision.BF16).encode(pixels, 512, 512);
        case JAVA -> NativeGemm.javaOnly(() -> r[0] = new VisionEncoder(c, w, par, VisionPrecision.F32)
            .encode(pixels, 512, 512));
      }
      return r[0];
    }
  }

  /** Max |a - b| over the scale max |b|, and the smallest cosine similarity of a token's embeddings. */
  private static String difference(float[][] a, float[][] b) {
    double max = 0;
    double scale = 0;
    double minCos = 1;
    for (int t = 0; t < b.length; t++) {
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int i = 0; i < b[t].length; i++) {
        max = Math.max(max, Math.abs(a[t][i] - b[t][i]));
        scale = Math.max(scale, Math.abs(b[t][i]));
        dot += (double) a[t][i] * b[t][i];
        na += (double) a[t][i] * a[t][i];
        nb += (double) b[t][i] * b[t][i];
      }
      minCos = Math.min(minCos, dot / Math.sqrt(na * nb));
    }
    return String.format(Locale.ROOT, "max |diff| %.3g at scale %.3g (%.2g of it), min cosine per token %.6f", max,
        scale, max / scale, minCos);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double matmulGflops(Parallel par) {
    float[] w = new float[3072 * 768];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 13) * 0.01f;
    }
    FloatTensor t = FloatTensor.of(w);
    float[][] x = new float[1024][768];
    float[][] y = new float[1024][3072];
    for (float[] row : x) {
      Arrays.fill(row, 0.5f);
    }
    Matmul.matmul(par, t, x, y, 1024, 3072, 768);
    long t0 = System.nanoTime();
    int reps = 3;
    for (int i = 0; i < reps; i++) {
      Matmul.matmul(par, t, x, y, 1024, 3072, 768);
    }
    double s = (System.nanoTime() - t0) / 1e9 / reps;
    return 2.0 * 1024 * 3072 * 768 / s / 1e9;
  }

  static double towerFlops(VisionConfig c) {
    double n = (double) c.patchesPerSide() * c.patchesPerSide();
    double d = c.dim();
    double perLayer = 2 * n * (4 * d * d + 2 * d * c.hiddenDim()) + 2 * 2 * n * n * d;
    return n * 2 * d * c.patchValues() + c.layers() * perLayer
        + 2 * (n / (c.scaleFactor() * c.scaleFactor())) * c.connectorInputDim() * c.textDim();
  }

  private static float[] randomPixels(int side, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[3 * side * side];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return p;
  }

  private static FloatTensor rand(SplittableRandom r, int rows, int cols) {
    float[] v = new float[rows * cols];
    float a = (float) (Math.sqrt(3.0 / cols));
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * a);
    }
    return FloatTensor.of(v);
  }

  private static float[] vec(SplittableRandom r, int n, float center) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = center + (float) ((r.nextDouble() * 2 - 1) * 0.1);
    }
    return v;
  }

  static VisionWeights randomWeights(VisionConfig c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = c.dim();
    int h = c.hiddenDim();
    VisionWeights.Layer[] layers = new VisionWeights.Layer[c.layers()];
    for (int l = 0; l < layers.length; l++) {
      layers[l] = new VisionWeights.Layer(vec(r, d, 1), vec(r, d, 0), rand(r, d, d), vec(r, d, 0), rand(r, d, d),
          vec(r, d, 0), rand(r, d, d), vec(r, d, 0), rand(r, d, d), vec(r, d, 0), vec(r, d, 1), vec(r, d, 0),
          rand(r, h, d), vec(r, h, 0), rand(r, d, h), vec(r, d, 0));
    }
    int positions = c.patchesPerSide() * c.patchesPerSide();
    return new VisionWeights(rand(r, d, c.patchValues()), vec(r, d, 0), rand(r, positions, d), layers, vec(r, d, 1),
        vec(r, d, 0), rand(r, c.textDim(), c.connectorInputDim()));
  }

  private static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }
}
