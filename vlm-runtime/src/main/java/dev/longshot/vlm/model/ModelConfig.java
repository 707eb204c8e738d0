package dev.longshot.vlm.model;

/**
 * Hyper-parameters of a loaded decoder.
 *
 * @param architecture the family
 * @param dim model (embedding) width
 * @param hiddenDim SwiGLU inner width
 * @param layers decoder blocks
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention)
 * @param headDim dimensions per head
 * @param vocabSize tokens in the embedding table
 * @param contextLength tokens the model was trained for (the runtime's cache may be shorter)
 * @param rmsEps epsilon of RMSNorm
 * @param ropeTheta RoPE base frequency
 * @param ropeStyle which dimensions rotate together
 * @param ropeFreqScale linear RoPE scaling ({@code 1/factor}; 1 = none)
 * @param ropeFreqFactors per-frequency divisors (Llama 3 scaling), or null
 */
public record ModelConfig(Architecture architecture, int dim, int hiddenDim, int layers, int heads, int kvHeads,
    int headDim, int vocabSize, int contextLength, float rmsEps, float ropeTheta, RopeStyle ropeStyle,
    float ropeFreqScale, float[] ropeFreqFactors) {
  public ModelConfig {
    positive("dim", dim);
    positive("hiddenDim", hiddenDim);
    positive("layers", layers);
    positive("heads", heads);
    positive("kvHeads", kvHeads);
    positive("headDim", headDim);
    positive("vocabSize", vocabSize);
    positive("contextLength", contextLength);
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("headDim must be even for RoPE, got " + headDim);
    }
    if (ropeFreqFactors != null && ropeFreqFactors.length != headDim / 2) {
      throw new IllegalArgumentException("rope frequency factors need " + headDim / 2 + " values, got "
          + ropeFreqFactors.length);
    }
    if (!(rmsEps > 0) || !(ropeTheta > 0) || !(ropeFreqScale > 0)) {
      throw new IllegalArgumentException("rmsEps, ropeTheta and ropeFreqScale must be positive, got " + rmsEps + ", "
          + ropeTheta + ", " + ropeFreqScale);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  public int qDim() {
    return heads * headDim;
  }

  public int kvDim() {
    return kvHeads * headDim;
  }
}
