package dev.longshot.vlm.vision;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.longshot.vlm.ModelFormatException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The vision tower and connector from the {@code onnx/vision_encoder.onnx} that SmolVLM / SmolVLM2 repositories ship,
 * on ONNX Runtime: the same job as {@link VisionEncoder} (one normalised tile in, {@code image_seq_len} decoder
 * embeddings out), checked against it by {@code OnnxVisionEncoderTest}. The graph takes {@code pixel_values}
 * {@code [batch, images, 3, H, W]} float and {@code pixel_attention_mask} {@code [batch, images, H, W]} bool and
 * returns the image features {@code [images, image_seq_len, text_hidden]} as its first output; the inputs and the
 * output's shape are checked against the {@link VisionConfig} when it opens. The execution provider is CUDA when
 * the ONNX Runtime on the class path has it and a device answers, CPU otherwise; the choice is logged. Encoding is
 * serialised per instance; close it to free the session.
 */
public final class OnnxVisionEncoder implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OnnxVisionEncoder.class.getName());
  /** Where a SmolVLM repository keeps it, relative to the model directory. */
  public static final String FILE = "onnx/vision_encoder.onnx";
  static final String PIXELS = "pixel_values";
  static final String MASK = "pixel_attention_mask";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final VisionConfig config;
  private final Path file;
  private final String provider;

  private OnnxVisionEncoder(OrtEnvironment env, OrtSession session, VisionConfig config, Path file, String provider) {
    this.env = env;
    this.session = session;
    this.config = config;
    this.file = file;
    this.provider = provider;
  }

  /** Opens {@code file} for a tower of {@code config}; a missing file or other inputs fail naming the file. */
  public static OnnxVisionEncoder open(Path file, VisionConfig config) {
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException(file + " is missing (the ONNX vision tower; SmolVLM repositories ship it as "
          + FILE + ")");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      String provider = "CPU";
      if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
        try {
          options.addCUDA(0);
          provider = "CUDA (device 0)";
        } catch (OrtException e) {
          LOG.log(System.Logger.Level.INFO, "ONNX vision tower: CUDA provider present but unusable ("
              + e.getMessage() + "); CPU instead");
        }
      }
      OrtSession session = env.createSession(file.toString(), options);
      OnnxVisionEncoder enc = new OnnxVisionEncoder(env, session, config, file, provider);
      try {
        enc.checkInputs();
      } catch (RuntimeException e) {
        enc.close();
        throw e;
      }
      String chosen = provider;
      LOG.log(System.Logger.Level.INFO, () -> "ONNX vision tower " + file + " runs on ONNX Runtime " + chosen);
      return enc;
    } catch (OrtException e) {
      throw new ModelFormatException(file + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
  }

  private void checkInputs() throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (!inputs.containsKey(PIXELS) || !inputs.containsKey(MASK) || inputs.size() != 2) {
      throw new ModelFormatException(file + ": expected the inputs " + PIXELS + " and " + MASK + " of SmolVLM's "
          + "vision encoder, found " + inputs.keySet());
    }
    if (!(inputs.get(PIXELS).getInfo() instanceof TensorInfo t) || t.getShape().length != 5) {
      throw new ModelFormatException(file + ": input " + PIXELS + " is " + inputs.get(PIXELS).getInfo()
          + "; expected a rank-5 float tensor [batch, images, 3, H, W]");
    }
  }

  /** The execution provider in use ("CPU" or "CUDA (device 0)"). */
  public String provider() {
    return provider;
  }

  /**
   * Encodes one tile: {@code pixels} is {@code 3 x height x width} normalised floats, channels first (as
   * {@link VisionEncoder#encode}); returns {@code image_seq_len} rows of the decoder's width.
   */
  public synchronized float[][] encode(float[] pixels, int height, int width) {
    if (pixels.length != 3 * height * width) {
      throw new IllegalArgumentException("expected 3 x " + height + " x " + width + " values, got " + pixels.length);
    }
    boolean[][][][] mask = new boolean[1][1][height][width];
    for (boolean[] row : mask[0][0]) {
      Arrays.fill(row, true);
    }
    try (OnnxTensor px = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 1, 3, height, width});
        OnnxTensor m = OnnxTensor.createTensor(env, mask);
        OrtSession.Result out = session.run(Map.of(PIXELS, px, MASK, m))) {
      if (!(out.get(0) instanceof OnnxTensor t) || !(t.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT)) {
        throw new ModelFormatException(file + ": the first output is not a float tensor");
      }
      long[] shape = t.getInfo().getShape();
      int seq = config.imageSeqLen();
      int dim = config.textDim();
      if (shape.length != 3 || shape[0] != 1 || shape[1] != seq || shape[2] != dim) {
        throw new ModelFormatException(file + ": output shape " + Arrays.toString(shape) + " does not match the "
            + "model: expected [1, " + seq + ", " + dim + "] (image_seq_len, decoder hidden_size)");
      }
      FloatBuffer b = t.getFloatBuffer();
      float[][] rows = new float[seq][dim];
      for (float[] r : rows) {
        b.get(r);
      }
      return rows;
    } catch (OrtException e) {
      throw new IllegalStateException(file + ": ONNX Runtime failed on a tile: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the ONNX vision tower " + file + ": " + e.getMessage());
    }
  }
}
