package dev.longshot.vlm.vision;

import dev.longshot.vlm.testmodel.RandomSmolVlm;

/**
 * A plain double-precision statement of the Idefics3 vision tower and connector from the HF module definitions
 * (convolution as nested loops, LayerNorm, softmax attention, the named GELU, post-LayerNorm, HF's pixel-shuffle op
 * chain through {@link TorchOps}, projection), over the weight values a {@link RandomSmolVlm} writes. No tiling, no
 * threads, no shared code with the runtime: the reference the Java tower is checked against. With {@code bf16} every
 * operand of every product (patch convolution, projections, MLP, attention's {@code q k} and {@code p v}, connector)
 * is first rounded to bfloat16 (to nearest, ties to even), as the native GEMM's bf16 products round them; sums and
 * everything else stay double.
 */
final class VisionReference {
  private final RandomSmolVlm m;
  private final RandomSmolVlm.VisionSpec s;
  private final boolean bf16;

  VisionReference(RandomSmolVlm model) {
    this(model, false);
  }

  VisionReference(RandomSmolVlm model, boolean bf16) {
    this.m = model;
    this.s = model.vision;
    this.bf16 = bf16;
  }

  /** A product operand: as is, or rounded to bfloat16 (from its float32 value) in bf16 mode. */
  private double r(double v) {
    if (!bf16) {
      return v;
    }
    int bits = Float.floatToRawIntBits((float) v);
    return Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
  }

  private float[] w(String name) {
    return m.visionValues(name);
  }

  /** Connector output {@code [tokens][textDim]} for a full-size image, channels first. */
  double[][] encode(float[] pixels) {
    int side = s.side();
    int p = s.patchSize();
    int img = s.imageSize();
    int d = s.dim();
    int n = side * side;
    String v = "model.vision_model.";
    float[] conv = w(v + "embeddings.patch_embedding.weight");
    float[] convB = w(v + "embeddings.patch_embedding.bias");
    float[] pos = w(v + "embeddings.position_embedding.weight");
    double[][] x = new double[n][d];
    for (int r = 0; r < side; r++) {
      for (int c = 0; c < side; c++) {
        for (int o = 0; o < d; o++) {
          double acc = convB[o];
          for (int ch = 0; ch < 3; ch++) {
            for (int ky = 0; ky < p; ky++) {
              for (int kx = 0; kx < p; kx++) {
                acc += r(conv[((o * 3 + ch) * p + ky) * p + kx]) * r(pixels[(ch * img + r * p + ky) * img + c * p + kx]);
              }
            }
          }
          int t = r * side + c;
          x[t][o] = acc + pos[t * d + o];
        }
      }
    }
    for (int l = 0; l < s.layers(); l++) {
      String pre = v + "encoder.layers." + l + ".";
      double[][] h = new double[n][];
      for (int t = 0; t < n; t++) {
        h[t] = ln(x[t], w(pre + "layer_norm1.weight"), w(pre + "layer_norm1.bias"));
      }
      double[][] q = lin(h, pre + "self_attn.q_proj");
      double[][] k = lin(h, pre + "self_attn.k_proj");
      double[][] val = lin(h, pre + "self_attn.v_proj");
      int hd = d / s.heads();
      double[][] att = new double[n][d];
      for (int head = 0; head < s.heads(); head++) {
        for (int t = 0; t < n; t++) {
          double[] sc = new double[n];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < n; j++) {
            double dot = 0;
            for (int i = 0; i < hd; i++) {
              dot += r(q[t][head * hd + i] / Math.sqrt(hd)) * r(k[j][head * hd + i]);
            }
            sc[j] = dot;
            max = Math.max(max, sc[j]);
          }
          double sum = 0;
          for (int j = 0; j < n; j++) {
            sc[j] = Math.exp(sc[j] - max);
            sum += sc[j];
          }
          for (int j = 0; j < n; j++) {
            for (int i = 0; i < hd; i++) {
              att[t][head * hd + i] += r(sc[j] / sum) * r(val[j][head * hd + i]);
            }
          }
        }
      }
      double[][] o = lin(att, pre + "self_attn.out_proj");
      for (int t = 0; t < n; t++) {
        for (int i = 0; i < d; i++) {
          x[t][i] += o[t][i];
        }
        h[t] = ln(x[t], w(pre + "layer_norm2.weight"), w(pre + "layer_norm2.bias"));
      }
      double[][] f = lin(h, pre + "mlp.fc1");
      for (double[] row : f) {
        for (int i = 0; i < row.length; i++) {
          double z = row[i];
          row[i] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
        }
      }
      double[][] f2 = lin(f, pre + "mlp.fc2");
      for (int t = 0; t < n; t++) {
        for (int i = 0; i < d; i++) {
          x[t][i] += f2[t][i];
        }
      }
    }
    float[] flat = new float[n * d];
    double[][] post = new double[n][];
    for (int t = 0; t < n; t++) {
      post[t] = ln(x[t], w(v + "post_layernorm.weight"), w(v + "post_layernorm.bias"));
    }
    // the shuffle only moves values: run HF's op chain on the indices, then gather the doubles
    for (int i = 0; i < flat.length; i++) {
      flat[i] = i;
    }
    float[] order = TorchOps.pixelShuffle(flat, n, d, s.scale());
    int tokens = n / (s.scale() * s.scale());
    int width = d * s.scale() * s.scale();
    float[] proj = w("model.connector.modality_projection.proj.weight");
    int textDim = proj.length / width;
    double[][] out = new double[tokens][textDim];
    for (int t = 0; t < tokens; t++) {
      for (int o = 0; o < textDim; o++) {
        double acc = 0;
        for (int i = 0; i < width; i++) {
          int src = (int) order[t * width + i];
          acc += r(proj[o * width + i]) * r(post[src / d][src % d]);
        }
        out[t][o] = acc;
      }
    }
    return out;
  }

  private double[][] lin(double[][] x, String name) {
    float[] wt = w(name + ".weight");
    float[] b = w(name + ".bias");
    int out = b.length;
    int in = wt.length / out;
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < out; o++) {
        double acc = b[o];
        for (int i = 0; i < in; i++) {
          acc += r(wt[o * in + i]) * r(x[t][i]);
        }
        y[t][o] = acc;
      }
    }
    return y;
  }

  private static double[] ln(double[] x, float[] g, float[] b) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (x[i] - mean) / Math.sqrt(var + 1e-6) * g[i] + b[i];
    }
    return out;
  }
}
