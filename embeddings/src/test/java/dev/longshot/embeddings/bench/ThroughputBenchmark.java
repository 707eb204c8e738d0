package dev.longshot.embeddings.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.embeddings.ModelSource;
import dev.longshot.embeddings.OnnxTextEmbedder;
import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Passages per second of {@link OnnxTextEmbedder#embedPassages} (tokenisation, length sorting, padding, pooling,
 * normalisation included) against a bare ONNX Runtime loop on the same passages already tokenised (tensors built,
 * session run, CLS row copied), at 128 and 512 tokens and batch sizes 1, 8 and 32. Rounds alternate between the
 * two so background load hits both. A second table times long passages (2k and 8k tokens) under parallel windows,
 * half-overlapping (the default) against disjoint windows as the baseline, to show what the overlap costs. Run:
 * {@code bench/run embeddings dev.longshot.embeddings.bench.ThroughputBenchmark [rounds]}.
 */
public final class ThroughputBenchmark {
  private static final long SEED = 99L;
  private static final String[] VOCAB = {"the", "speaker", "explains", "how", "a", "hash", "table", "grows", "when",
      "load", "factor", "passes", "three", "quarters", "and", "then", "shows", "slide", "twelve", "with", "benchmark",
      "numbers"};

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    ModelSource bge = ModelSource.bundledBgeSmall();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    System.out.printf("bge-small-en-v1.5, CPU, %d cores, %d measured rounds after one warm-up, seed %d%n",
        Runtime.getRuntime().availableProcessors(), rounds, SEED);
    System.out.println("| tokens | batch | raw ORT passages/s | Longshot passages/s | wrapper cost |");
    System.out.println("|-------:|------:|-------------------:|--------------------:|-------------:|");
    try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bge.readTokenizer()),
            Map.of("truncation", "false", "padding", "false"));
        OrtSession raw = env.createSession(bge.readOnnx(), new OrtSession.SessionOptions())) {
      for (int tokens : new int[] {128, 512}) {
        List<String> texts = passages(tok, tokens, tokens == 128 ? 64 : 32);
        List<long[]> ids = texts.stream().map(t -> tok.encode(t).getIds()).toList();
        for (int batch : new int[] {1, 8, 32}) {
          try (OnnxTextEmbedder ours = new OnnxTextEmbedder(bge, ContextStrategy.TRUNCATE, 512, EmbeddingDevice.CPU, batch)) {
            runRaw(env, raw, ids, batch);
            ours.embedPassages(texts);
            double[] rates = alternate(rounds, texts.size(), () -> runRaw(env, raw, ids, batch),
                () -> ours.embedPassages(texts));
            double rawRate = rates[0];
            double ourRate = rates[1];
            System.out.printf("| %6d | %5d | %18.1f | %19.1f | %+11.1f%% |%n", ids.get(0).length, batch, rawRate,
                ourRate, 100 * (rawRate / ourRate - 1));
          }
        }
      }
      System.out.println();
      System.out.println("| tokens | disjoint windows passages/s | half-overlapping passages/s | overlap cost |");
      System.out.println("|-------:|----------------------------:|----------------------------:|-------------:|");
      try (OnnxTextEmbedder disjoint = new OnnxTextEmbedder(bge, ContextStrategy.PARALLEL_WINDOWS, 8192, EmbeddingDevice.CPU, 16, 0);
          OnnxTextEmbedder half = new OnnxTextEmbedder(bge, ContextStrategy.PARALLEL_WINDOWS, 8192, EmbeddingDevice.CPU, 16, 0.5)) {
        for (int tokens : new int[] {2048, 8190}) {
          List<String> texts = longPassages(tok, tokens, 4);
          disjoint.embedPassages(texts.subList(0, 1));
          half.embedPassages(texts.subList(0, 1));
          double[] rates = alternate(rounds, texts.size(), () -> disjoint.embedPassages(texts),
              () -> half.embedPassages(texts));
          double baseRate = rates[0];
          double ourRate = rates[1];
          System.out.printf("| %6d | %27.2f | %27.2f | %11.2fx |%n", tokens, baseRate, ourRate, baseRate / ourRate);
        }
      }
    }
  }

  /** A piece of work to time. */
  private interface Work {
    void run() throws Exception;
  }

  /** Runs {@code baseline} then {@code candidate}, {@code rounds} times; items per second of each. */
  private static double[] alternate(int rounds, int items, Work baseline, Work candidate) throws Exception {
    long base = 0;
    long cand = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      baseline.run();
      long t1 = System.nanoTime();
      candidate.run();
      long t2 = System.nanoTime();
      base += t1 - t0;
      cand += t2 - t1;
    }
    return new double[] {items * rounds / (base / 1e9), items * rounds / (cand / 1e9)};
  }

  /** Bare loop: fixed-order batches, padded to the batch's longest row, CLS row of each output copied out. */
  private static float[][] runRaw(OrtEnvironment env, OrtSession session, List<long[]> rows, int batch)
      throws Exception {
    float[][] out = new float[rows.size()][];
    for (int start = 0; start < rows.size(); start += batch) {
      int n = Math.min(batch, rows.size() - start);
      int len = 0;
      for (int i = 0; i < n; i++) {
        len = Math.max(len, rows.get(start + i).length);
      }
      long[] ids = new long[n * len];
      long[] mask = new long[n * len];
      for (int i = 0; i < n; i++) {
        long[] r = rows.get(start + i);
        System.arraycopy(r, 0, ids, i * len, r.length);
        Arrays.fill(mask, i * len, i * len + r.length, 1L);
      }
      long[] shape = {n, len};
      try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
          OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
          OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * len]), shape);
          OrtSession.Result res = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
        FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
        for (int i = 0; i < n; i++) {
          out[start + i] = new float[384];
          fb.get(i * len * 384, out[start + i], 0, 384);
        }
      }
    }
    return out;
  }

  /** {@code count} seeded passages of about {@code tokens} tokens (one word is one token in BGE's vocabulary). */
  private static List<String> longPassages(HuggingFaceTokenizer tok, int tokens, int count) {
    Random rnd = new Random(SEED + tokens);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < tokens - 2; w++) {
        sb.append(VOCAB[rnd.nextInt(VOCAB.length)]).append(' ');
      }
      out.add(sb.toString().trim());
    }
    int actual = tok.encode(out.get(0)).getIds().length;
    if (Math.abs(actual - tokens) > tokens / 20) {
      throw new IllegalStateException("long passage has " + actual + " tokens, wanted about " + tokens);
    }
    return out;
  }

  /** {@code count} seeded passages of exactly {@code tokens} tokens including [CLS] and [SEP]. */
  private static List<String> passages(HuggingFaceTokenizer tok, int tokens, int count) {
    String[] vocab = VOCAB;
    Random rnd = new Random(SEED);
    List<String> out = new ArrayList<>();
    while (out.size() < count) {
      StringBuilder sb = new StringBuilder();
      String last = "";
      while (tok.encode(sb.toString()).getIds().length < tokens) {
        last = sb.toString();
        sb.append(vocab[rnd.nextInt(vocab.length)]).append(' ');
      }
      out.add(tok.encode(sb.toString()).getIds().length == tokens ? sb.toString().trim() : last.trim());
    }
    return out;
  }
}
