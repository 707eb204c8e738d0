package dev.longshot.vlm.multimodal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.vlm.ModelFormatException;
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

  /** Reads {@code preprocessor_config.json} (required) and {@code processor_config.json} from {@code dir}. */
  public static ImageProcessorConfig read(Path dir, int defaultImageSeqLen) throws IOException {
    Path pre = dir.resolve("preprocessor_config.json");
    if (!Files.isRegularFile(pre)) {
      throw new ModelFormatException(dir + ": preprocessor_config.json is missing (a SmolVLM directory needs it)");
    }
    ObjectMapper om = new ObjectMapper();
    JsonNode p = om.readTree(pre.toFile());
    int seq = defaultImageSeqLen;
    Path proc = dir.resolve("processor_config.json");
    if (Files.isRegularFile(proc)) {
      seq = om.readTree(proc.toFile()).path("image_seq_len").asInt(seq);
    } else if (p.has("image_seq_len")) {
      seq = p.path("image_seq_len").asInt(seq);
    }
    int max = p.path("max_image_size").path("longest_edge").asInt(364);
    return new ImageProcessorConfig(p.path("do_resize").asBoolean(true) ? p.path("size").path("longest_edge").asInt(
        4 * max) : 0, max, p.path("do_image_splitting").asBoolean(true),
        p.path("do_rescale").asBoolean(true) ? p.path("rescale_factor").asDouble(1 / 255.0) : 1.0,
        floats(p, "image_mean", p.path("do_normalize").asBoolean(true) ? 0.5f : 0f),
        floats(p, "image_std", p.path("do_normalize").asBoolean(true) ? 0.5f : 1f), seq);
  }

  private static float[] floats(JsonNode p, String key, float fallback) {
    JsonNode a = p.path(key);
    float[] out = {fallback, fallback, fallback};
    if (a.isArray() && a.size() == 3 && p.path("do_normalize").asBoolean(true)) {
      for (int i = 0; i < 3; i++) {
        out[i] = (float) a.get(i).asDouble();
      }
    }
    return out;
  }
}
