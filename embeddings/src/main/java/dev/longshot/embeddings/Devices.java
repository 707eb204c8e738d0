package dev.longshot.embeddings;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.longshot.config.EmbeddingDevice;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the ONNX Runtime execution provider at start-up: CUDA when the runtime on the class path has the CUDA
 * provider (the {@code onnxruntime_gpu} artifact, Maven profile {@code cuda}) and a device answers, CPU
 * otherwise. The choice is logged once per session options created.
 */
final class Devices {
  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
  /** ONNX Runtime's session option that lets idle intra-op threads busy-wait for the next parallel section. */
  static final String INTRA_OP_SPINNING = "session.intra_op.allow_spinning";

  private Devices() {}

  /** Session options for {@code device}; the caller closes them. */
  static OrtSession.SessionOptions sessionOptions(EmbeddingDevice device, String modelName) {
    return sessionOptions(device, modelName, false);
  }

  /**
   * As {@link #sessionOptions(EmbeddingDevice, String)}; {@code varyingLongShapes} turns off the CPU arena and per-shape
   * memory patterns, which otherwise keep gigabytes per distinct long input shape (measured: 19 GB resident after
   * ten 8k-token inputs through full attention, killed by the OOM killer).
   */
  static OrtSession.SessionOptions sessionOptions(EmbeddingDevice device, String modelName, boolean varyingLongShapes) {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // Idle intra-op threads sleep instead of spinning between operators and calls: the spinning thread burned
      // as much CPU as the work itself (BGE-small, 15 passages of 70 tokens on 2 cores: 0.50 instead of 0.92 CPU s,
      // same vectors) and took a core from the ingest stages that run beside the indexer.
      options.addConfigEntry(INTRA_OP_SPINNING, "0");
      if (varyingLongShapes) {
        options.setCPUArenaAllocator(false);
        options.setMemoryPatternOptimization(false);
      }
      EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
      if (device != EmbeddingDevice.CPU && providers.contains(OrtProvider.CUDA)) {
        try {
          options.addCUDA(0);
          LOG.info("embeddings: {} runs on ONNX Runtime CUDA (device 0)", modelName);
          return options;
        } catch (OrtException e) {
          if (device == EmbeddingDevice.CUDA) {
            throw new EmbeddingException("embeddings.device=cuda but the CUDA provider failed: " + e.getMessage(), e);
          }
          LOG.info("embeddings: CUDA provider present but unusable ({}); falling back to CPU", e.getMessage());
        }
      } else if (device == EmbeddingDevice.CUDA) {
        throw new EmbeddingException("embeddings.device=cuda but this ONNX Runtime has no CUDA provider (available: "
            + providers + "); build with -Pcuda and install CUDA 12 + cuDNN 9, or use device auto/cpu");
      }
      LOG.info("embeddings: {} runs on ONNX Runtime CPU ({} threads)", modelName,
          Runtime.getRuntime().availableProcessors());
      return options;
    } catch (OrtException e) {
      options.close();
      throw new EmbeddingException("cannot configure ONNX Runtime session options", e);
    }
  }
}
