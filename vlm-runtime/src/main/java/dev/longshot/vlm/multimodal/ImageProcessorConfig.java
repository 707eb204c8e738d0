package dev.longshot.vlm.multimodal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image processor's settings, as Hugging Face's {@code Idefics3ImageProcessor} / {@code SmolVLMImageProcessor}
 * reads them from preprocessor_config.json, plus {@code image_seq_len} from processor_config.json.
 *
 * @param longestEdge {@code size.longest_edge}: the first resize scales the longest side to this (0 = no resize)
 * @param maxImageSize {@code max_image_size.longest_edge}: tile side, and the side of an unsplit image
 * @param split {@code do_image_splitting}
 * @param rescaleFactor {@code rescale_factor} (1/255)
 * @param mean per-channel {@code image_mean}
 * @param std per-channel {@code image_std}
 * @param imageSeqLen decoder tokens per tile ({@code image_seq_len})
 */
public record ImageProcessorConfig(int longestEdge, int maxImageSize, boolean split, double rescaleFactor,
    float[] mean, float[] std, int imageSeqLen) {
  public ImageProcessorConfig {
    if (longestEdge < 0 || maxImageSize <= 0 || imageSeqLen <= 0 || mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("image processor: longest_edge " + longestEdge + ", max_image_size "
          + maxImageSize + ", image_seq_len " + imageSeqLen + ", " + mean.length + " means, " + std.length + " stds");
    }
  }

  /** Defaults for a tower of {@code imageSize} pixels (used for a GGUF pair without a preprocessor_config.json). */
  public static ImageProcessorConfig defaults(int imageSize, int imageSeqLen, float[] mean, float[] std) {
    return new ImageProcessorConfig(4 * imageSize, imageSize, true, 1 / 255.0, mean, std, imageSeqLen);
  }

  /**
   * Reads {@code preprocessor_config.json} (required) and {@code processor_config.json} from {@code dir}. Every size
   * is an integer within {@link ModelLimits}, every constant a finite number (std positive), checked before anything
   * is sized from it; a bad value fails with a {@link ModelFormatException} naming the file, the field and the value.
   */
  public static ImageProcessorConfig read(Path dir, int defaultImageSeqLen) throws IOException {
    Path pre = dir.resolve("preprocessor_config.json");
    if (!Files.isRegularFile(pre)) {
      throw new ModelFormatException(dir + ": preprocessor_config.json is missing (a SmolVLM directory needs it)");
    }
    JsonNode p = ModelLimits.readJson(pre);
    int seq = ModelLimits.jsonInt(pre, "image_seq_len", p.path("image_seq_len"), defaultImageSeqLen, 1,
        ModelLimits.MAX_IMAGE_TOKENS);
    Path proc = dir.resolve("processor_config.json");
    if (Files.isRegularFile(proc)) {
      seq = ModelLimits.jsonInt(proc, "image_seq_len", ModelLimits.readJson(proc).path("image_seq_len"), seq, 1,
          ModelLimits.MAX_IMAGE_TOKENS);
    }
    int max = ModelLimits.jsonInt(pre, "max_image_size.longest_edge", p.path("max_image_size").path("longest_edge"),
        364, 1, ModelLimits.MAX_IMAGE_SIDE);
    int longest = ModelLimits.jsonInt(pre, "size.longest_edge", p.path("size").path("longest_edge"), 4 * max, 1,
        ModelLimits.MAX_IMAGE_SIDE);
    boolean normalize = ModelLimits.jsonBoolean(pre, "do_normalize", p.path("do_normalize"), true);
    double rescale = ModelLimits.jsonDouble(pre, "rescale_factor", p.path("rescale_factor"), 1 / 255.0, 1e-9, 1);
    return new ImageProcessorConfig(ModelLimits.jsonBoolean(pre, "do_resize", p.path("do_resize"), true) ? longest : 0,
        max, ModelLimits.jsonBoolean(pre, "do_image_splitting", p.path("do_image_splitting"), true),
        ModelLimits.jsonBoolean(pre, "do_rescale", p.path("do_rescale"), true) ? rescale : 1.0,
        normalize ? floats(pre, p, "image_mean", -1e6, 1e6) : new float[] {0, 0, 0},
        normalize ? floats(pre, p, "image_std", 1e-9, 1e6) : new float[] {1, 1, 1}, seq);
  }

  /** Three per-channel values (HF also takes one number for all three), 0.5 each when absent. */
  private static float[] floats(Path file, JsonNode p, String key, double min, double max) {
    JsonNode a = p.path(key);
    float[] out = {0.5f, 0.5f, 0.5f};
    if (a.isNumber() || a.isMissingNode() || a.isNull()) {
      java.util.Arrays.fill(out, (float) ModelLimits.jsonDouble(file, key, a, 0.5, min, max));
      return out;
    }
    if (!a.isArray() || a.size() != 3) {
      throw new ModelFormatException(file + ": '" + key + "' is " + a + "; expected 3 numbers (one per channel)");
    }
    for (int i = 0; i < 3; i++) {
      out[i] = (float) ModelLimits.jsonDouble(file, key + "[" + i + "]", a.get(i), 0.5, min, max);
    }
    return out;
  }
}
