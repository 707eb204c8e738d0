package dev.longshot.vlm.cli;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.PrefillAttention;
import dev.longshot.vlm.attention.sparse.AttentionPatterns;
import dev.longshot.vlm.attention.sparse.BlockSparseKernel;
import dev.longshot.vlm.attention.sparse.ModalityLayout;
import dev.longshot.vlm.attention.sparse.PatternSearch;
import dev.longshot.vlm.model.ModelConfig;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.tensor.Parallel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code longshot attention-search --model PATH --prompt-file FILE [--prompt-file FILE ...] --out PATTERNS.json}:
 * runs each prompt through the model once (dense, whole prompt in one batch) and lets {@link PatternSearch} score
 * every head's candidate patterns on the real queries and keys; writes the chosen patterns with the model's
 * fingerprint for {@code generate --attention mminference --attention-patterns FILE}. Prompts are text (a video
 * answer prompt saved by the app, or anything else); with {@code --image FILE} (repeatable, a SmolVLM model) every
 * prompt carries those pictures (each {@code <image>} in the prompt marks the next one; unmarked ones go first), so
 * the layout has vision spans and the grid and boundary candidates are scored too. Exit codes: 0 written, 1 model
 * or runtime error, 2 usage error.
 */
public final class AttentionSearchCommand {
  static final String USAGE = """
      usage: longshot attention-search --model PATH --prompt-file FILE [--prompt-file FILE ...] --out PATTERNS.json
        --model PATH        a .gguf file or a Hugging Face directory
        --prompt-file FILE  a calibration prompt (UTF-8 text); repeatable, recalls are averaged over prompts
        --out FILE          where to write the per-head patterns (JSON)
        --image FILE        a picture for every prompt (PNG/JPEG; SmolVLM models); repeatable
        --mmproj FILE       the vision tower GGUF when --model is a llama.cpp GGUF
        --threads N         kernel threads, 0 = one per core (default 0)
      """;

  private AttentionSearchCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path model = null;
    Path target = null;
    int threads = 0;
    List<Path> prompts = new ArrayList<>();
    List<Path> images = new ArrayList<>();
    Path mmproj = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "-h", "--help" -> {
            out.print(USAGE);
            return 0;
          }
          case "--model" -> model = Path.of(value(args, ++i, a));
          case "--prompt-file" -> prompts.add(Path.of(value(args, ++i, a)));
          case "--out" -> target = Path.of(value(args, ++i, a));
          case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
          case "--image" -> images.add(Path.of(value(args, ++i, a)));
          case "--mmproj" -> mmproj = Path.of(value(args, ++i, a));
          default -> throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      if (model == null || target == null || prompts.isEmpty()) {
        throw new IllegalArgumentException("--model, --out and at least one --prompt-file are required");
      }
    } catch (IllegalArgumentException e) {
      err.println("longshot attention-search: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    List<String> texts = new ArrayList<>();
    for (Path p : prompts) {
      try {
        texts.add(GenerateCommand.Options.readPrompt(p));
      } catch (IllegalArgumentException e) {
        err.println("longshot attention-search: " + e.getMessage());
        return 2;
      }
    }
    List<SmolVlmProcessor.Picture> pictures = new ArrayList<>();
    try {
      for (Path p : images) {
        pictures.add(SmolVlmProcessor.Picture.still(RgbImage.read(p)));
      }
    } catch (IOException e) {
      err.println("longshot attention-search: " + e.getMessage());
      return 1;
    }
    VlmSettings settings = new VlmSettings(model, threads, 16, 1);
    try (SmolVlm vlm = pictures.isEmpty() ? null : mmproj != null ? SmolVlm.load(model, mmproj, settings)
        : SmolVlm.load(model, settings);
        TextGenerator text = vlm != null ? null : TextGenerator.load(model, settings);
        Parallel par = new Parallel(settings.effectiveThreads())) {
      TextGenerator g = vlm != null ? vlm.textGenerator() : text;
      ModelConfig c = g.config();
      PatternSearch search = new PatternSearch(PatternSearch.DEFAULTS, par);
      for (int p = 0; p < texts.size(); p++) {
        PromptInput input = vlm != null ? PromptInput.withImages(vlm, texts.get(p), pictures)
            : PromptInput.text(g, texts.get(p));
        if (input.length() < BlockSparseKernel.BLOCK) {
          err.printf("longshot attention-search: %s has %d tokens, shorter than one %d-token block; skipped%n",
              prompts.get(p), input.length(), BlockSparseKernel.BLOCK);
          continue;
        }
        long t0 = System.nanoTime();
        calibrate(g, search, input, par);
        err.printf("longshot attention-search: %s: %d tokens (%d vision), %d layers x %d heads scored in %.1f s%n",
            prompts.get(p), input.length(), input.visionTokens(), c.layers(), c.heads(),
            (System.nanoTime() - t0) / 1e9);
      }
      Map<Long, AttentionPatterns.Entry> chosen = search.choose();
      new AttentionPatterns(g.fingerprint(), c.layers(), c.heads(), chosen).write(target);
      for (Map.Entry<Long, AttentionPatterns.Entry> e : chosen.entrySet()) {
        out.printf(java.util.Locale.ROOT, "layer %d head %d: %s recall %.4f%n", (int) (e.getKey() >> 32),
            (int) (long) e.getKey(), e.getValue().pattern().describe(), e.getValue().recall());
      }
      out.printf("wrote %d of %d heads to %s (the rest stay dense)%n", chosen.size(), c.layers() * c.heads(), target);
      return 0;
    } catch (ModelFormatException | IllegalArgumentException | IllegalStateException e) {
      err.println("longshot attention-search: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("longshot attention-search: " + e);
      return 1;
    }
  }

  /** One dense forward pass over the whole prompt; every layer's heads are scored as their attention runs. */
  private static void calibrate(TextGenerator g, PatternSearch search, PromptInput input, Parallel par) {
    ModelConfig c = g.config();
    int n = input.length();
    ModalityLayout layout = input.layout();
    DenseAttention dense = new DenseAttention();
    PrefillAttention scoring = (b, cache, parallel) -> {
      dense.attend(b, cache, parallel);
      AttentionShape s = b.shape();
      for (int head = 0; head < s.heads(); head++) {
        int kv = s.kvHeadOf(head);
        search.add(b.layer(), head, new BlockSparseKernel.HeadInput(b.q(), head * s.headDim(), 0,
            cache.keys(b.layer(), kv), cache.values(b.layer(), kv), s.headDim(), s.scale()), n, layout);
      }
    };
    DenseKvCache cache = new DenseKvCache(c.layers(), c.kvHeads(), c.headDim(), n);
    g.transformer().forward(input.rows(g.transformer(), 0, n), n, 0, cache, new AttentionStrategies(scoring, dense),
        false);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
