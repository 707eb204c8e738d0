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
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.tensor.Parallel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
  private AttentionSearchCommand() {}

  /** The command line: each option's name, label, default and help text, declared once. */
  @Command(name = "attention-search", sortOptions = false, sortSynopsis = false, usageHelpWidth = 120,
      synopsisHeading = "usage: longshot ",
      description = "find each attention head's sparse prefill pattern (MMInference) on your prompts")
  static final class Options {
    @Option(names = "--model", paramLabel = "PATH", required = true,
        description = "a .gguf file or a Hugging Face directory")
    Path model;
    @Option(names = "--prompt-file", paramLabel = "FILE", required = true,
        description = "a calibration prompt (UTF-8 text); repeatable, recalls are averaged over prompts")
    final List<Path> prompts = new ArrayList<>();
    @Option(names = "--out", paramLabel = "FILE", required = true,
        description = "where to write the per-head patterns (JSON)")
    Path target;
    @Option(names = "--image", paramLabel = "FILE",
        description = "a picture for every prompt (PNG/JPEG; SmolVLM models); repeatable")
    final List<Path> images = new ArrayList<>();
    @Option(names = "--mmproj", paramLabel = "FILE",
        description = "the vision tower GGUF when --model is a llama.cpp GGUF")
    Path mmproj;
    @Option(names = "--target-recall", paramLabel = "R", defaultValue = "" + PatternSearch.DEFAULT_TARGET_RECALL,
        description = "attention mass each vertical-slash head's budget must keep, in (0, 1] (default ${DEFAULT-VALUE})")
    double targetRecall;
    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
        description = "kernel threads, 0 = one per core (default ${DEFAULT-VALUE})")
    int threads;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;
  }

  /** The declarations, for {@code bin/longshot help}'s line. */
  public static CommandLine.Model.CommandSpec spec() {
    return new CommandLine(new Options()).getCommandSpec();
  }

  static String usage() {
    return new CommandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options o = new Options();
    try {
      CommandLine cl = new CommandLine(o);
      cl.parseArgs(args);
      if (o.help) {
        out.print(usage());
        return 0;
      }
    } catch (CommandLine.ParameterException e) {
      err.println("longshot attention-search: " + (e instanceof CommandLine.MissingParameterException m
          && m.getArgSpec() == null ? "--model, --out and at least one --prompt-file are required"
          : GenerateCommand.Options.message(e)));
      err.print(usage());
      return 2;
    }
    if (!(o.targetRecall > 0 && o.targetRecall <= 1)) {
      err.println("longshot attention-search: --target-recall must be in (0, 1], got " + o.targetRecall);
      return 2;
    }
    Path model = o.model;
    Path target = o.target;
    int threads = o.threads;
    List<Path> prompts = o.prompts;
    List<Path> images = o.images;
    Path mmproj = o.mmproj;
    List<String> texts = new ArrayList<>();
    for (Path p : prompts) {
      try {
        texts.add(GenerateCommand.Options.readPrompt(p));
      } catch (IllegalArgumentException e) {
        err.println("longshot attention-search: " + e.getMessage());
        return 2;
      }
    }
    List<SmolVlmProcessor.Picture> pictures;
    try {
      pictures = CommandParts.readPictures(images);
    } catch (IOException e) {
      err.println("longshot attention-search: " + e.getMessage());
      return 1;
    }
    VlmSettings settings = new VlmSettings(model, threads, 16, 1);
    try (SmolVlm vlm = pictures.isEmpty() ? null : CommandParts.loadVlm(model, mmproj, settings);
        TextGenerator text = vlm != null ? null : TextGenerator.load(model, settings);
        Parallel par = new Parallel(settings.effectiveThreads())) {
      TextGenerator g = vlm != null ? vlm.textGenerator() : text;
      ModelConfig c = g.config();
      PatternSearch search = new PatternSearch(PatternSearch.withTargetRecall(o.targetRecall), par);
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
}
