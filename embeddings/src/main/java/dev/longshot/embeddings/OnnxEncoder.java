package dev.longshot.embeddings;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session of a BERT-family encoder: token-id rows in (special tokens included), one CLS-pooled,
 * L2-normalised vector per row out. Rows of a call are right-padded to the longest row of that call (dynamic
 * padding). Thread-safe ({@link OrtSession#run} is); the owner closes it.
 */
final class OnnxEncoder implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean wantsTokenTypes;
  private final String output;

  /** Wraps a created session; {@code where} names the model file for error messages. */
  OnnxEncoder(OrtEnvironment env, OrtSession session, String where) {
    this.env = env;
    this.session = session;
    Set<String> inputs = session.getInputNames();
    if (!inputs.contains(INPUT_IDS) || !inputs.contains(ATTENTION_MASK)) {
      throw new EmbeddingException("model " + where + " is not a BERT-family encoder: inputs are " + inputs
          + ", expected input_ids and attention_mask");
    }
    this.wantsTokenTypes = inputs.contains(TOKEN_TYPE_IDS);
    this.output = session.getOutputNames().iterator().next();
  }

  /** Hidden size, read from a one-token run. */
  int probeDimension(long clsId, long sepId) {
    return encode(List.of(new long[] {clsId, sepId}))[0].length;
  }

  /** Encodes rows (each non-empty) in one session run. */
  float[][] encode(List<long[]> rows) {
    int batch = rows.size();
    int len = 0;
    for (long[] r : rows) {
      len = Math.max(len, r.length);
    }
    long[] ids = new long[batch * len];
    long[] mask = new long[batch * len];
    for (int b = 0; b < batch; b++) {
      long[] r = rows.get(b);
      System.arraycopy(r, 0, ids, b * len, r.length);
      java.util.Arrays.fill(mask, b * len, b * len + r.length, 1L);
    }
    long[] shape = {batch, len};
    try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor typeT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch * len]), shape)) {
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put(INPUT_IDS, idT);
      in.put(ATTENTION_MASK, maskT);
      if (wantsTokenTypes) {
        in.put(TOKEN_TYPE_IDS, typeT);
      }
      try (OrtSession.Result result = session.run(in, Set.of(output))) {
        OnnxTensor hidden = (OnnxTensor) result.get(0);
        long[] outShape = hidden.getInfo().getShape();
        int dim = (int) outShape[outShape.length - 1];
        FloatBuffer fb = hidden.getFloatBuffer();
        float[][] out = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
          // CLS pooling: BGE takes the first token's last hidden state (model card).
          fb.get(b * len * dim, out[b], 0, dim);
          Vectors.normalize(out[b]);
        }
        return out;
      }
    } catch (OrtException e) {
      throw new EmbeddingException("ONNX Runtime failed on a batch of " + batch + " x " + len + " tokens", e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new EmbeddingException("closing the ONNX Runtime session failed", e);
    }
  }
}
