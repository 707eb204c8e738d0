package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingDevice;
import java.io.ByteArrayInputStream;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our embedder against a hand-driven ONNX Runtime session (default options, so idle threads spin) on the same bundled
 * model and tokenizer.
 */
class RawOnnxParityTest {
  private static final List<String> SENTENCES = List.of(
      "The speaker draws a diagram of the heap on the whiteboard.",
      "Short.",
      "At minute twelve the slide shows the quarterly revenue table, with a sharp rise in the third quarter.");

  @Test
  void passagesMatchARawSessionWithinOneInTenThousandth() throws Exception {
    ModelSource bge = ModelSource.bundledBgeSmall();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<float[]> ours = SharedEmbedders.bge(ContextStrategy.TRUNCATE).embedPassages(SENTENCES);
    try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bge.readTokenizer()),
            Map.of());
        OrtSession session = env.createSession(bge.readOnnx())) {
      for (int i = 0; i < SENTENCES.size(); i++) {
        float[] raw = rawClsEmbedding(env, session, tok.encode(SENTENCES.get(i)).getIds());
        assertThat(ours.get(i)).hasSize(384);
        for (int d = 0; d < raw.length; d++) {
          assertThat(ours.get(i)[d]).as("sentence %d dim %d", i, d).isCloseTo(raw[d], within(1e-5f));
        }
      }
    }
  }

  @Test
  void queryGetsTheBgeInstructionPrefix() throws Exception {
    ModelSource bge = ModelSource.bundledBgeSmall();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String q = "what does the heap diagram show";
    float[] ours = SharedEmbedders.bge(ContextStrategy.TRUNCATE).embedQuery(q);
    try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bge.readTokenizer()),
            Map.of());
        OrtSession session = env.createSession(bge.readOnnx())) {
      float[] raw = rawClsEmbedding(env, session, tok.encode(ModelSource.BGE_QUERY_PREFIX + q).getIds());
      for (int d = 0; d < raw.length; d++) {
        assertThat(ours[d]).isCloseTo(raw[d], within(1e-5f));
      }
    }
  }

  @Test
  void cpuSessionsLetIdleThreadsSleep() throws Exception {
    try (OrtSession.SessionOptions options = Devices.sessionOptions(EmbeddingDevice.CPU, "bge")) {
      assertThat(options.getConfigEntries()).containsEntry(Devices.INTRA_OP_SPINNING, "0");
    }
  }

  static float[] rawClsEmbedding(OrtEnvironment env, OrtSession session, long[] ids) throws Exception {
    long[] shape = {1, ids.length};
    long[] ones = new long[ids.length];
    java.util.Arrays.fill(ones, 1);
    try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
        OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
      float[][][] hidden = (float[][][]) r.get(0).getValue();
      return Vectors.normalize(hidden[0][0].clone());
    }
  }
}
