package dev.longshot.vlm.model;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the kernel choice and the logits of the first 4 greedy steps for a prompt, one step per line, so a forked
 * JVM with other flags (e.g. {@code -Dlongshot.vlm.scalar=true}) can be compared with this one.
 * Usage: {@code LogitsDump MODEL PROMPT}.
 */
public final class LogitsDump {
  private LogitsDump() {}

  public static void main(String[] args) throws Exception {
    System.out.println(dump(Path.of(args[0]), args[1]));
    System.exit(0);
  }

  static String dump(Path model, String prompt) throws Exception {
    StringBuilder sb = new StringBuilder("kernels=" + Kernels.describe() + "\n");
    try (TextGenerator g = TextGenerator.load(model, new VlmSettings(model, 2, 128, 4))) {
      List<float[]> steps = new ArrayList<>();
      g.generate(g.encodePrompt(prompt), GenerationSettings.greedy(4), s -> { }, (t, l) -> steps.add(l));
      for (float[] l : steps) {
        for (float v : l) {
          sb.append(v).append(' ');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
