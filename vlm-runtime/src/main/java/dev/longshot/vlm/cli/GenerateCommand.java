package dev.longshot.vlm.cli;

import dev.longshot.config.Check;
import dev.longshot.config.ConfigException;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.KvPolicy;
import dev.longshot.config.VlmAttention;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.chat.ChatMessage;
import dev.longshot.vlm.multimodal.MultimodalPrompt;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code longshot generate --model PATH --prompt TEXT [options]}: loads a model and streams a continuation (or, with
 * {@code --chat}, the assistant's reply) to {@code out}. Exit codes: 0 done, 1 model or runtime error, 2 usage error.
 */
public final class GenerateCommand {
  /** The usage text, generated from {@link Options}' declarations (names, labels, defaults). */
  static String usage() {
    return new CommandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private GenerateCommand() {}

  /** The declarations, for {@code bin/longshot help}'s line. */
  public static CommandLine.Model.CommandSpec spec() {
    return new CommandLine(new Options()).getCommandSpec();
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("longshot generate: " + e.getMessage());
      err.print(usage());
      return 2;
    }
    if (o == null) {
      out.print(usage());
      return 0;
    }
    if (!o.images.isEmpty()) {
      return generateWithImages(o, out, err);
    }
    return reportingErrors(o, err, () -> {
      try (TextGenerator g = TextGenerator.load(o.model, o.vlmSettings())) {
        err.printf("longshot generate: %s, %s, %d layers, dim %d, %d threads, kernels %s%n", o.model.getFileName(),
            g.config().architecture(), g.config().layers(), g.config().dim(), o.threadsResolved(),
            Kernels.describe());
        return stream(o, out, err, g, sink -> o.chat ? g.generate(messages(o), o.settings, sink)
            : g.generate(o.prompt, o.settings, sink));
      }
    });
  }

  /** The multimodal path: a SmolVLM model, the images, the prompt as written or in SmolVLM's chat template. */
  private static int generateWithImages(Options o, PrintStream out, PrintStream err) {
    VlmSettings vs = o.vlmSettings();
    List<SmolVlmProcessor.Picture> pictures;
    try {
      pictures = CommandParts.readPictures(o.images);
    } catch (IOException e) {
      err.println("longshot generate: " + e.getMessage());
      return 1;
    }
    return reportingErrors(o, err, () -> {
      try (SmolVlm m = CommandParts.loadVlm(o.model, o.mmproj, vs)) {
        String prompt = o.prompt;
        if (o.chat) {
          int markers = prompt.split(java.util.regex.Pattern.quote(SmolVlmProcessor.IMAGE), -1).length - 1;
          String user = SmolVlmProcessor.IMAGE.repeat(Math.max(0, pictures.size() - markers)) + prompt;
          prompt = m.hasSmolVlmChat() ? SmolVlm.chat(o.system, user) : m.textGenerator().model().chatTemplate()
              .render(messages(o.system, user), m.textGenerator().tokenizer());
        }
        MultimodalPrompt mp = m.prompt(prompt, pictures);
        err.printf("longshot generate: %s, vision %d layers dim %d, %d images -> %d vision tokens of %d, %d threads, "
            + "kernels %s%n", o.model.getFileName(), m.visionEncoder().config().layers(),
            m.visionEncoder().config().dim(), pictures.size(), mp.layout().visionTokens(), mp.ids().length,
            o.threadsResolved(), Kernels.describe());
        return stream(o, out, err, m.textGenerator(), sink -> m.generate(mp, o.settings, sink, null));
      }
    });
  }

  /** Loading and generating, with the model, runtime and read errors reported as one line each (exit code 1). */
  @FunctionalInterface
  private interface Generation {
    int run() throws IOException;
  }

  private static int reportingErrors(Options o, PrintStream err, Generation generation) {
    try {
      return generation.run();
    } catch (ModelFormatException | IllegalArgumentException | IllegalStateException | ConfigException e) {
      err.println("longshot generate: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("longshot generate: cannot read " + o.model + ": " + e);
      return 1;
    }
  }

  /**
   * Streams the text {@code generate} produces to {@code out} piece by piece, then reports its length and time (and,
   * with {@code --stats}, {@code g}'s stats line) on {@code err}.
   */
  private static int stream(Options o, PrintStream out, PrintStream err, TextGenerator g,
      Function<Consumer<String>, String> generate) {
    long start = System.nanoTime();
    String text = generate.apply(piece -> {
      out.print(piece);
      out.flush();
    });
    out.println();
    out.flush();
    err.printf("longshot generate: %d characters in %.2f s%n", text.length(), (System.nanoTime() - start) / 1e9);
    if (o.stats) {
      err.println(g.lastStats().line(g.attentionBlockShare()));
    }
    return 0;
  }

  private static List<ChatMessage> messages(Options o) {
    return messages(o.system, o.prompt);
  }

  private static List<ChatMessage> messages(String system, String user) {
    List<ChatMessage> m = new ArrayList<>();
    if (system != null) {
      m.add(ChatMessage.system(system));
    }
    m.add(ChatMessage.user(user));
    return m;
  }

  /** The command line: each option's name, label, default and help text, declared once. */
  @Command(name = "generate", sortOptions = false, sortSynopsis = false, usageHelpWidth = 120,
      synopsisHeading = "usage: longshot ",
      description = "run the embedded transformer runtime")
  static final class Options {
    @Option(names = "--model", paramLabel = "PATH", required = true,
        description = "a .gguf file or a Hugging Face directory (config.json, tokenizer.json, *.safetensors)")
    Path model;
    @Option(names = "--image", paramLabel = "FILE", description = "an image for a SmolVLM model (repeatable); each "
        + "<image> in the prompt marks where the next one goes, images without a marker go before the text")
    final List<Path> images = new ArrayList<>();
    @Option(names = "--mmproj", paramLabel = "FILE",
        description = "the vision projector GGUF of a GGUF model (default: the mmproj*.gguf beside it)")
    Path mmproj;
    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptSource source;
    /** The prompt text, from {@code --prompt} or read from {@code --prompt-file}. */
    String prompt;
    @Option(names = "--chat", description = "wrap the prompt in the model's chat template")
    boolean chat;
    @Option(names = "--system", paramLabel = "TEXT", description = "system message (with --chat)")
    String system;
    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "256",
        description = "most tokens to generate (default ${DEFAULT-VALUE})")
    int maxTokens;
    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
        description = "0 = greedy (default ${DEFAULT-VALUE})")
    float temperature;
    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40",
        description = "0 = off (default ${DEFAULT-VALUE})")
    int topK;
    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95",
        description = "nucleus threshold, 1 = off (default ${DEFAULT-VALUE})")
    float topP;
    @Option(names = "--repeat-penalty", paramLabel = "R", defaultValue = "1",
        description = "1 = off (default ${DEFAULT-VALUE})")
    float penalty;
    @Option(names = "--stop", paramLabel = "TEXT", description = "stop before TEXT (repeatable)")
    final List<String> stops = new ArrayList<>();
    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
        description = "sampling seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
        description = "kernel threads, 0 = one per core (default ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--context-length", paramLabel = "N", defaultValue = "4096",
        description = "KV cache size in tokens (default ${DEFAULT-VALUE})")
    int contextLength;
    @Option(names = "--kv-policy", paramLabel = "NAME", completionCandidates = KvPolicyNames.class,
        description = "KV cache of prompts with images after prefill: ${COMPLETION-CANDIDATES} (default: vlm.kv-policy "
            + "from the config)")
    String kvPolicyName;
    KvPolicy kvPolicy;
    @Option(names = "--kv-budget", paramLabel = "F",
        description = "share of the prompt's KV entries kept, in (0, 1] (default: vlm.kv-budget)")
    Double kvBudget;
    @Option(names = "--attention", paramLabel = "MODE", completionCandidates = AttentionNames.class,
        description = "prefill attention: ${COMPLETION-CANDIDATES} (default: vlm.attention from the config)")
    String attentionName;
    VlmAttention attention;
    @Option(names = "--attention-patterns", paramLabel = "FILE",
        description = "per-head patterns from longshot attention-search (default: vlm.attention-patterns)")
    Path attentionPatterns;
    @Option(names = "--vision-encoder", paramLabel = "NAME", completionCandidates = VisionEncoderNames.class,
        description = "SmolVLM image tower: ${COMPLETION-CANDIDATES} (onnx: the model directory's "
            + "onnx/vision_encoder.onnx on ONNX Runtime) (default: vlm.vision-encoder)")
    String visionEncoder;
    @Option(names = "--stats", description = "print one 'stats ...' line (timings, KV bytes before/after "
        + "compression, share of causal 64x64 prefill blocks computed) to stderr")
    boolean stats;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;
    GenerationSettings settings;

    /** {@code --prompt TEXT} or {@code --prompt-file FILE}, exactly one. */
    static final class PromptSource {
      @Option(names = "--prompt", paramLabel = "TEXT", required = true,
          description = "the prompt (raw text; with --chat, the user's message)")
      String text;
      @Option(names = "--prompt-file", paramLabel = "FILE", required = true,
          description = "read the prompt from FILE (UTF-8), for prompts too long for the command line")
      Path file;
    }

    /** The allowed {@code --kv-policy} names, from the enum (picocli's {@code ${COMPLETION-CANDIDATES}}). */
    static final class KvPolicyNames extends CommandParts.ConfigNames<KvPolicy> {
      KvPolicyNames() {
        super(KvPolicy.class);
      }
    }

    /** The allowed {@code --attention} names, from the enum. */
    static final class AttentionNames extends CommandParts.ConfigNames<VlmAttention> {
      AttentionNames() {
        super(VlmAttention.class);
      }
    }

    /** The allowed {@code --vision-encoder} names, from the enum. */
    static final class VisionEncoderNames extends CommandParts.ConfigNames<dev.longshot.config.VisionEncoder> {
      VisionEncoderNames() {
        super(dev.longshot.config.VisionEncoder.class);
      }
    }

    /** The runtime settings: threads and context from the flags, KV compression from the config unless flagged. */
    VlmSettings vlmSettings() {
      VlmSettings config = ConfigLoader.load(null, System.getenv()).vlm();
      return new VlmSettings(model, threads, contextLength, settings.maxTokens(),
          kvPolicy != null ? kvPolicy : config.kvPolicy(),
          kvBudget != null ? kvBudget : config.kvBudget(), config.kvRecentShare(), config.kvMerge(),
          attention != null ? attention : config.attention(),
          attentionPatterns != null ? attentionPatterns : config.attentionPatterns(),
          visionEncoder != null ? Check.oneOf("--vision-encoder", visionEncoder, dev.longshot.config.VisionEncoder.class)
              : config.visionEncoder(), config.splitKeyframes(), config.visionPrecision());
    }

    int threadsResolved() {
      return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** Null when help was asked for. */
    static Options parse(String[] args) {
      Options o = new Options();
      CommandLine cl = new CommandLine(o);
      try {
        cl.parseArgs(args);
      } catch (CommandLine.UnmatchedArgumentException e) {
        throw new IllegalArgumentException("unknown option '" + e.getUnmatched().getFirst() + "'"
            + (e.getSuggestions().isEmpty() ? "" : "; did you mean " + String.join(" or ", e.getSuggestions()) + "?"));
      } catch (CommandLine.MissingParameterException e) {
        if (o.help) {
          return null;
        }
        throw new IllegalArgumentException(e.getArgSpec() == null
            ? "--model and --prompt are required (or --prompt-file)" : message(e), e);
      } catch (CommandLine.ParameterException e) {
        throw new IllegalArgumentException(message(e), e);
      }
      if (o.help) {
        return null;
      }
      o.prompt = o.source.text != null ? o.source.text : readPrompt(o.source.file);
      if (o.attentionName != null) {
        o.attention = Check.oneOf("--attention", o.attentionName, VlmAttention.class); // fails listing the names
      }
      if (o.kvPolicyName != null) {
        o.kvPolicy = Check.oneOf("--kv-policy", o.kvPolicyName, KvPolicy.class);
      }
      if (o.kvBudget != null && !(o.kvBudget > 0 && o.kvBudget <= 1)) {
        throw new IllegalArgumentException("--kv-budget must be in (0, 1], got " + o.kvBudget);
      }
      o.settings = new GenerationSettings(o.maxTokens, o.temperature, o.topK, o.topP, o.penalty,
          GenerationSettings.DEFAULT_REPEAT_LAST_N, o.seed, o.stops);
      new VlmSettings(o.model, o.threads, o.contextLength, o.maxTokens); // validates threads and context length
      return o;
    }

    /** The UTF-8 text of a prompt file; a missing or unreadable file is a usage error. */
    static String readPrompt(Path file) {
      try {
        return java.nio.file.Files.readString(file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read prompt file " + file + ": " + e.getMessage());
      }
    }

    /** "--max-tokens needs an integer, got 'lots'", "--stop needs a value". */
    static String message(CommandLine.ParameterException e) {
      if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
        String name = option.longestName();
        if (e instanceof CommandLine.MissingParameterException) {
          return name + " needs a value";
        }
        Class<?> type = option.type();
        String what = type == int.class || type == long.class ? "an integer" : "a number";
        return name + " needs " + what + ", got '" + e.getValue() + "'";
      }
      return e.getMessage();
    }
  }
}
