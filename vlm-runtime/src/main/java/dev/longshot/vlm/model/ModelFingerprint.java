package dev.longshot.vlm.model;

import dev.longshot.vlm.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short identity of a model's weights, for files that only fit one model (attention pattern files): SHA-256 over
 * the hyper-parameters and the first {@value #SAMPLE} values of the token embedding and of every layer's query and
 * key projections (decoded to float, so the same weights in GGUF and safetensors match). Written as
 * {@code sha256:} plus 16 hex digits.
 */
public final class ModelFingerprint {
  static final int SAMPLE = 1024;

  private ModelFingerprint() {}

  public static String of(ModelConfig c, ModelWeights w) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    String shape = c.architecture() + "/" + c.dim() + "/" + c.hiddenDim() + "/" + c.layers() + "/" + c.heads() + "/"
        + c.kvHeads() + "/" + c.headDim() + "/" + c.vocabSize();
    md.update(shape.getBytes(StandardCharsets.UTF_8));
    sample(md, w.tokenEmbedding());
    for (LayerWeights l : w.layers()) {
      sample(md, l.wq());
      sample(md, l.wk());
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest(), 0, 8);
  }

  private static void sample(MessageDigest md, FloatTensor t) {
    int n = (int) Math.min(SAMPLE, t.size());
    float[] v = new float[n];
    t.copyTo(0, v, 0, n);
    ByteBuffer b = ByteBuffer.allocate(4 * n);
    for (float x : v) {
      b.putFloat(x);
    }
    md.update(b.array());
  }
}
