package dev.longshot.vlm.cli;

import dev.longshot.config.ConfigException;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.KvPolicy;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.chat.ChatMessage;
import dev.longshot.vlm.multimodal.MultimodalPrompt;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code longshot generate --model PATH --prompt TEXT [options]}: loads a model and streams a continuation (or, with
 * {@code --chat}, the assistant's reply) to {@code out}. Exit codes: 0 done, 1 model or runtime error, 2 usage error.
 */
public final class GenerateCommand {
  static final String USAGE = """
      usage: longshot generate --model PATH [--image FILE ...] --prompt TEXT [options]
        --model PATH         a .gguf file or a Hugging Face directory (config.json, tokenizer.json, *.safetensors)
        --image FILE         an image for a SmolVLM model (repeatable); each <image> in the prompt marks where the
                             next one goes, images without a marker go before the text
        --mmproj FILE        the vision projector GGUF of a GGUF model (default: the mmproj*.gguf beside it)
        --prompt TEXT        the prompt (raw text; with --chat, the user's message)
        --chat               wrap the prompt in the model's chat template
        --system TEXT        system message (with --chat)
        --max-tokens N       most tokens to generate (default 256)
        --temperature T      0 = greedy (default 0)
        --top-k K            0 = off (default 40)
        --top-p P            nucleus threshold, 1 = off (default 0.95)
        --repeat-penalty R   1 = off (default 1)
        --stop TEXT          stop before TEXT (repeatable)
        --seed S             sampling seed (default 42)
        --threads N          kernel threads, 0 = one per core (default 0)
        --context-length N   KV cache size in tokens (default 4096)
        --kv-policy NAME     KV cache of prompts with images after prefill: full, lookm, h2o, recent
                             (default: vlm.kv-policy from the config)
        --kv-budget F        share of the prompt's KV entries kept, in (0, 1] (default: vlm.kv-budget)
        --stats              print one 'stats ...' line (timings, KV bytes before/after compression) to stderr
      """;

  private GenerateCommand() {}

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
      err.print(USAGE);
      return 2;
    }
    if (o == null) {
      out.print(USAGE);
      return 0;
    }
    if (!o.images.isEmpty()) {
      return generateWithImages(o, out, err);
    }
    try (TextGenerator g = TextGenerator.load(o.model, o.vlmSettings())) {
      err.printf("longshot generate: %s, %s, %d layers, dim %d, %d threads, kernels %s%n", o.model.getFileName(),
          g.config().architecture(), g.config().layers(), g.config().dim(), o.threadsResolved(), Kernels.describe());
      long start = System.nanoTime();
      int[] count = {0};
      String text = o.chat ? g.generate(messages(o), o.settings, piece -> print(out, piece, count))
          : g.generate(o.prompt, o.settings, piece -> print(out, piece, count));
      out.println();
      out.flush();
      double s = (System.nanoTime() - start) / 1e9;
      err.printf("longshot generate: %d characters in %.2f s%n", text.length(), s);
      if (o.stats) {
        err.println(g.lastStats().line(1.0)); // prefill is dense: every causal block computed
      }
      return 0;
    } catch (ModelFormatException | IllegalArgumentException | IllegalStateException | ConfigException e) {
      err.println("longshot generate: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("longshot generate: cannot read " + o.model + ": " + e);
      return 1;
    }
  }

  /** The multimodal path: a SmolVLM model, the images, the prompt as written or in SmolVLM's chat template. */
  private static int generateWithImages(Options o, PrintStream out, PrintStream err) {
    VlmSettings vs = o.vlmSettings();
    List<SmolVlmProcessor.Picture> pictures = new ArrayList<>();
    try {
      for (Path p : o.images) {
        pictures.add(SmolVlmProcessor.Picture.still(RgbImage.read(p)));
      }
    } catch (IOException e) {
      err.println("longshot generate: " + e.getMessage());
      return 1;
    }
    try (SmolVlm m = o.mmproj != null ? SmolVlm.load(o.model, o.mmproj, vs) : SmolVlm.load(o.model, vs)) {
      String prompt = o.prompt;
      if (o.chat) {
        int markers = prompt.split(java.util.regex.Pattern.quote(SmolVlmProcessor.IMAGE), -1).length - 1;
        String user = SmolVlmProcessor.IMAGE.repeat(Math.max(0, pictures.size() - markers)) + prompt;
        prompt = m.hasSmolVlmChat() ? SmolVlm.chat(o.system, user)
            : m.textGenerator().model().chatTemplate().render(messages(o.system, user), m.textGenerator().tokenizer());
      }
      MultimodalPrompt mp = m.prompt(prompt, pictures);
      err.printf("longshot generate: %s, vision %d layers dim %d, %d images -> %d vision tokens of %d, %d threads, "
          + "kernels %s%n", o.model.getFileName(), m.visionEncoder().config().layers(), m.visionEncoder().config().dim(),
          pictures.size(), mp.layout().visionTokens(), mp.ids().length, o.threadsResolved(), Kernels.describe());
      long start = System.nanoTime();
      int[] count = {0};
      String text = m.generate(mp, o.settings, piece -> print(out, piece, count), null);
      out.println();
      out.flush();
      err.printf("longshot generate: %d characters in %.2f s%n", text.length(), (System.nanoTime() - start) / 1e9);
      if (o.stats) {
        err.println(m.textGenerator().lastStats().line(1.0)); // prefill is dense: every causal block computed
      }
      return 0;
    } catch (ModelFormatException | IllegalArgumentException | IllegalStateException | ConfigException e) {
      err.println("longshot generate: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("longshot generate: cannot read " + o.model + ": " + e);
      return 1;
    }
  }

  private static void print(PrintStream out, String piece, int[] count) {
    out.print(piece);
    out.flush();
    count[0]++;
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

  /** Parsed command line. */
  static final class Options {
    Path model;
    Path mmproj;
    final List<Path> images = new ArrayList<>();
    String prompt;
    String system;
    boolean chat;
    int threads;
    int contextLength = 4096;
    boolean stats;
    String kvPolicy;
    Double kvBudget;
    GenerationSettings settings;

    /** The runtime settings: threads and context from the flags, KV compression from the config unless flagged. */
    VlmSettings vlmSettings() {
      VlmSettings config = ConfigLoader.load(null, System.getenv()).vlm();
      return new VlmSettings(model, threads, contextLength, settings.maxTokens(),
          kvPolicy != null ? kvPolicy : config.kvPolicy(), kvBudget != null ? kvBudget : config.kvBudget(),
          config.kvRecentShare(), config.kvMerge());
    }

    int threadsResolved() {
      return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** Null when help was asked for. */
    static Options parse(String[] args) {
      Options o = new Options();
      int maxTokens = 256;
      float temperature = 0f;
      int topK = 40;
      float topP = 0.95f;
      float penalty = 1f;
      long seed = 42;
      List<String> stops = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "-h", "--help" -> {
            return null;
          }
          case "--chat" -> o.chat = true;
          case "--model" -> o.model = Path.of(value(args, ++i, a));
          case "--prompt" -> o.prompt = value(args, ++i, a);
          case "--image" -> o.images.add(Path.of(value(args, ++i, a)));
          case "--mmproj" -> o.mmproj = Path.of(value(args, ++i, a));
          case "--system" -> o.system = value(args, ++i, a);
          case "--max-tokens" -> maxTokens = intValue(args, ++i, a);
          case "--temperature" -> temperature = floatValue(args, ++i, a);
          case "--top-k" -> topK = intValue(args, ++i, a);
          case "--top-p" -> topP = floatValue(args, ++i, a);
          case "--repeat-penalty" -> penalty = floatValue(args, ++i, a);
          case "--stop" -> stops.add(value(args, ++i, a));
          case "--seed" -> seed = intValue(args, ++i, a);
          case "--threads" -> o.threads = intValue(args, ++i, a);
          case "--context-length" -> o.contextLength = intValue(args, ++i, a);
          case "--stats" -> o.stats = true;
          case "--kv-policy" -> o.kvPolicy = KvPolicy.parse(a, value(args, ++i, a)).configName();
          case "--kv-budget" -> o.kvBudget = budget(floatValue(args, ++i, a), a);
          default -> throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      if (o.model == null || o.prompt == null) {
        throw new IllegalArgumentException("--model and --prompt are required");
      }
      o.settings = new GenerationSettings(maxTokens, temperature, topK, topP, penalty, 64, seed, stops);
      new VlmSettings(o.model, o.threads, o.contextLength, maxTokens); // validates threads and context length
      return o;
    }

    private static double budget(float value, String option) {
      if (!(value > 0f && value <= 1f)) {
        throw new IllegalArgumentException(option + " must be in (0, 1], got " + value);
      }
      return value;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int intValue(String[] args, int i, String option) {
      String v = value(args, i, option);
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs an integer, got '" + v + "'");
      }
    }

    private static float floatValue(String[] args, int i, String option) {
      String v = value(args, i, option);
      try {
        return Float.parseFloat(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a number, got '" + v + "'");
      }
    }
  }
}
