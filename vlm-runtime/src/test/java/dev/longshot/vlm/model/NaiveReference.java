package dev.longshot.vlm.model;

import dev.longshot.vlm.testmodel.ModelSpec;

/**
 * A deliberately plain double-precision re-statement of the decoder equations (no tiling, no online softmax, no
 * threads, no caching), computed from given weight values: the dense reference the optimised
 * runtime is checked against. GGUF conventions: Llama rotates adjacent pairs, Qwen2 rotates halves.
 */
final class NaiveReference {
  /** Weight values by GGUF tensor name, rows and columns. */
  interface Weights {
    float[] values(String name, int rows, int cols);
  }

  /**
   * Which matrix products see their input rounded as llama.cpp (and this runtime's decode against Q8_0 / Q4_0
   * weights) rounds activations: blocks of 32, scale {@code max|x| / 127} in float16, quants {@code rint(x / scale)}.
   */
  enum ActivationRounding {
    /** None: exact products. */
    NONE,
    /** Every matrix product (one token at a time through decode). */
    ALL
  }

  private final Weights m;
  private final ModelSpec s;
  private ActivationRounding rounding = ActivationRounding.NONE;
  private boolean bf16Layers;

  /** The reference over {@code weights} (e.g. the dequantized values of a quantized file). */
  NaiveReference(ModelSpec spec, Weights weights) {
    this.m = weights;
    this.s = spec;
  }

  /** Logits after the last of {@code tokens}, every product exact. */
  double[] logits(int[] tokens) {
    return logits(tokens, ActivationRounding.NONE);
  }

  /** Logits after the last of {@code tokens}, with the products {@code rounding} names taking rounded inputs. */
  double[] logits(int[] tokens, ActivationRounding rounding) {
    return logits(tokens, rounding, false);
  }

  /**
   * As {@link #logits(int[], ActivationRounding)}; with {@code bf16Layers} the layers' products (not the output
   * projection) take both operands rounded to bfloat16 after any activation rounding, as the native prefill GEMM
   * multiplies quantised weights ({@code tensor.NativeGemm}).
   */
  double[] logits(int[] tokens, ActivationRounding rounding, boolean bf16Layers) {
    this.rounding = rounding;
    this.bf16Layers = bf16Layers;
    int n = tokens.length;
    int d = s.dim();
    int hd = s.headDim();
    float[] emb = m.values("token_embd.weight", s.vocab(), d);
    double[][] x = new double[n][d];
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < d; i++) {
        x[t][i] = emb[tokens[t] * d + i];
      }
    }
    boolean qwen = s.arch().equals("qwen2");
    for (int l = 0; l < s.layers(); l++) {
      String p = "blk." + l + ".";
      double[][] q = new double[n][];
      double[][] k = new double[n][];
      double[][] v = new double[n][];
      for (int t = 0; t < n; t++) {
        double[] h = inLayer(norm(x[t], m.values(p + "attn_norm.weight", 1, d)));
        q[t] = layerMul(m.values(p + "attn_q.weight", s.heads() * hd, d), h, qwen ? m.values(p + "attn_q.bias", 1, s.heads() * hd) : null);
        k[t] = layerMul(m.values(p + "attn_k.weight", s.kvHeads() * hd, d), h, qwen ? m.values(p + "attn_k.bias", 1, s.kvHeads() * hd) : null);
        v[t] = layerMul(m.values(p + "attn_v.weight", s.kvHeads() * hd, d), h, qwen ? m.values(p + "attn_v.bias", 1, s.kvHeads() * hd) : null);
        rope(q[t], s.heads(), t, !qwen);
        rope(k[t], s.kvHeads(), t, !qwen);
      }
      float[] wo = m.values(p + "attn_output.weight", d, s.heads() * hd);
      for (int t = 0; t < n; t++) {
        double[] att = new double[s.heads() * hd];
        for (int h = 0; h < s.heads(); h++) {
          int kvh = h / (s.heads() / s.kvHeads());
          double[] w = new double[t + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= t; j++) {
            double dot = 0;
            for (int i = 0; i < hd; i++) {
              dot += q[t][h * hd + i] * k[j][kvh * hd + i];
            }
            w[j] = dot / Math.sqrt(hd);
            max = Math.max(max, w[j]);
          }
          double sum = 0;
          for (int j = 0; j <= t; j++) {
            w[j] = Math.exp(w[j] - max);
            sum += w[j];
          }
          for (int j = 0; j <= t; j++) {
            for (int i = 0; i < hd; i++) {
              att[h * hd + i] += w[j] / sum * v[j][kvh * hd + i];
            }
          }
        }
        add(x[t], layerMul(wo, inLayer(att), null));
      }
      for (int t = 0; t < n; t++) {
        double[] h = inLayer(norm(x[t], m.values(p + "ffn_norm.weight", 1, d)));
        double[] g = layerMul(m.values(p + "ffn_gate.weight", s.hidden(), d), h, null);
        double[] u = layerMul(m.values(p + "ffn_up.weight", s.hidden(), d), h, null);
        for (int i = 0; i < g.length; i++) {
          g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
        }
        add(x[t], layerMul(m.values(p + "ffn_down.weight", d, s.hidden()), inLayer(g), null));
      }
    }
    double[] last = norm(x[n - 1], m.values("output_norm.weight", 1, d));
    float[] out = s.tied() ? emb : m.values("output.weight", s.vocab(), d);
    return mul(out, inLayer(last), null);
  }

  /** {@code x} rounded per block of 32 the way llama.cpp quantizes activations to Q8_0. */
  static double[] rounded(double[] x) {
    double[] out = new double[x.length];
    for (int b = 0; b < x.length / 32; b++) {
      float amax = 0f;
      for (int i = b * 32; i < b * 32 + 32; i++) {
        amax = Math.max(amax, Math.abs((float) x[i]));
      }
      float id = amax != 0f ? 127f / amax : 0f;
      float d = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
      for (int i = b * 32; i < b * 32 + 32; i++) {
        out[i] = d * Math.rint((float) x[i] * id);
      }
    }
    return out;
  }

  private double[] inLayer(double[] x) {
    return rounding == ActivationRounding.ALL ? rounded(x) : x;
  }

  private void rope(double[] x, int heads, int pos, boolean interleaved) {
    int hd = s.headDim();
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < hd / 2; i++) {
        double theta = pos * Math.pow(s.ropeTheta(), -2.0 * i / hd);
        int a = interleaved ? h * hd + 2 * i : h * hd + i;
        int b = interleaved ? a + 1 : a + hd / 2;
        double x0 = x[a];
        double x1 = x[b];
        x[a] = x0 * Math.cos(theta) - x1 * Math.sin(theta);
        x[b] = x0 * Math.sin(theta) + x1 * Math.cos(theta);
      }
    }
  }

  private static double[] norm(double[] x, float[] w) {
    double ss = 0;
    for (double v : x) {
      ss += v * v;
    }
    double scale = 1 / Math.sqrt(ss / x.length + 1e-5);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * scale * w[i];
    }
    return out;
  }

  private double[] layerMul(float[] w, double[] x, float[] bias) {
    if (!bf16Layers) {
      return mul(w, x, bias);
    }
    float[] wb = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      wb[i] = bf16(w[i]);
    }
    double[] xb = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xb[i] = bf16((float) x[i]);
    }
    return mul(wb, xb, bias);
  }

  /** {@code v} rounded to bfloat16 (8 significant bits, to nearest, ties to even), as a float. */
  static float bf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    return Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
  }

  private static double[] mul(float[] w, double[] x, float[] bias) {
    int rows = w.length / x.length;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      double sum = bias == null ? 0 : bias[r];
      for (int c = 0; c < x.length; c++) {
        sum += w[r * x.length + c] * x[c];
      }
      out[r] = sum;
    }
    return out;
  }

  private static void add(double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      x[i] += y[i];
    }
  }
}
