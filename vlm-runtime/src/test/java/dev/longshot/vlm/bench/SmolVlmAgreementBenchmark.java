package dev.longshot.vlm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.config.KvMerge;
import dev.longshot.config.KvPolicy;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.GenerationStats;
import dev.longshot.vlm.attention.KvCachePolicy;
import dev.longshot.vlm.kv.CompressingKvCachePolicy;
import dev.longshot.vlm.multimodal.MultimodalPrompt;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Parallel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 18's real-model check: does LOOK-M (and the H2O / recent-window baselines) give the same greedy answer as the
 * full KV cache on Video-RAG answer prompts built from real frames? For each question the prompt is what the app
 * sends ({@link SmolVlm#answerPrompt}: the keyframes, each after its {@code Frame from mm:ss:} label, then the
 * question, in SmolVLM's chat template; frames that do not fit the context are dropped evenly), the answer is
 * {@code ANSWER_TOKENS} greedy tokens, and the run prints per policy and budget: how many answers equal the full
 * cache's, the KV bytes and the decode speed against the full cache, and a verdict for the goal (LOOK-M at
 * budget 0.2 gives the same answer on at least 95 % of prompts). A second full-cache pass is the control: it must
 * agree on every prompt, or the comparison measures noise.
 *
 * <p>Inputs are the user's: a SmolVLM model (Hugging Face directory, or llama.cpp GGUF plus {@code --mmproj}),
 * a directory of frames (PNG/JPEG, in name order, one per {@code --frame-seconds}; e.g. {@code ffmpeg -i talk.mp4
 * -vf fps=1/10 frames/%05d.png}) and questions (a JSON-lines file with a {@code "question"} field, such as
 * {@code sample-media/lecture.questions.jsonl}, or plain text, one per line). With random weights (the test's tiny
 * model) the run exercises every path but agreement means nothing: such models' answers are near-ties.
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.SmolVlmAgreementBenchmark --model PATH [--mmproj GGUF]
 * --frames DIR --questions FILE [--frame-seconds S] [--answer-tokens N] [--context N] [--threads N]}.
 */
public final class SmolVlmAgreementBenchmark {
  static final double[] BUDGETS = {0.2, 0.1};
  static final double GOAL = 0.95;

  /** Parsed arguments. */
  record Options(Path model, Path mmproj, Path frames, Path questions, double frameSeconds, int answerTokens,
      int context, int threads) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
        }
        m.put(args[i], args[i + 1]);
      }
      for (String required : List.of("--model", "--frames", "--questions")) {
        if (!m.containsKey(required)) {
          throw new IllegalArgumentException("missing " + required + " (usage: --model PATH [--mmproj GGUF] --frames "
              + "DIR --questions FILE [--frame-seconds S] [--answer-tokens N] [--context N] [--threads N])");
        }
      }
      return new Options(Path.of(m.get("--model")), m.containsKey("--mmproj") ? Path.of(m.get("--mmproj")) : null,
          Path.of(m.get("--frames")), Path.of(m.get("--questions")),
          Double.parseDouble(m.getOrDefault("--frame-seconds", "10")),
          Integer.parseInt(m.getOrDefault("--answer-tokens", "32")),
          Integer.parseInt(m.getOrDefault("--context", "8192")), Integer.parseInt(m.getOrDefault("--threads", "2")));
    }
  }

  /** One policy's totals over the prompts. */
  record Row(String policy, double budget, int same, int prompts, long kvBytes, long fullKvBytes, double decodeTps,
      double fullDecodeTps) {}

  private SmolVlmAgreementBenchmark() {}

  public static void main(String[] args) throws Exception {
    run(Options.parse(args), System.out);
  }

  /** Runs the comparison, prints the table and verdict to {@code out}, returns the rows (the control first). */
  static List<Row> run(Options o, PrintStream out) throws IOException {
    List<SmolVlmProcessor.Picture> frames = frames(o.frames(), o.frameSeconds());
    List<String> questions = questions(o.questions());
    VlmSettings settings = new VlmSettings(o.model(), o.threads(), o.context(), o.answerTokens());
    List<Row> rows = new ArrayList<>();
    try (SmolVlm m = o.mmproj() != null ? SmolVlm.load(o.model(), o.mmproj(), settings)
        : SmolVlm.load(o.model(), settings); Parallel par = new Parallel(o.threads())) {
      out.printf(Locale.ROOT, "SmolVlmAgreementBenchmark: %s, %d frames, %d questions, %d-token greedy answers, "
          + "context %d, %d threads, kernels %s%n", o.model().getFileName(), frames.size(), questions.size(),
          o.answerTokens(), o.context(), o.threads(), Kernels.describe());
      List<MultimodalPrompt> prompts = new ArrayList<>();
      for (String q : questions) {
        prompts.add(m.answerPrompt(null, q, frames, o.answerTokens()));
      }
      out.printf(Locale.ROOT, "prompt tokens (vision): %s%n", prompts.stream()
          .map(p -> p.ids().length + " (" + p.layout().visionTokens() + ")").toList());
      GenerationSettings greedy = GenerationSettings.greedy(o.answerTokens());
      m.textGenerator().setCachePolicy(KvCachePolicy.dense());
      Totals full = new Totals();
      List<List<Integer>> reference = new ArrayList<>();
      for (MultimodalPrompt p : prompts) {
        reference.add(answer(m, p, greedy, full));
      }
      Totals control = new Totals();
      int controlSame = 0;
      for (int i = 0; i < prompts.size(); i++) {
        controlSame += answer(m, prompts.get(i), greedy, control).equals(reference.get(i)) ? 1 : 0;
      }
      rows.add(new Row("full (control)", 1.0, controlSame, prompts.size(), control.kvBytes, full.kvBytes,
          control.tps(), full.tps()));
      for (double budget : BUDGETS) {
        for (KvPolicy kind : new KvPolicy[] {KvPolicy.LOOKM, KvPolicy.H2O, KvPolicy.RECENT}) {
          m.textGenerator().setCachePolicy(new CompressingKvCachePolicy(kind, budget, 0.5, KvMerge.PIVOTAL, par));
          Totals t = new Totals();
          int same = 0;
          for (int i = 0; i < prompts.size(); i++) {
            same += answer(m, prompts.get(i), greedy, t).equals(reference.get(i)) ? 1 : 0;
          }
          rows.add(new Row(kind.configName(), budget, same, prompts.size(), t.kvBytes, full.kvBytes, t.tps(),
              full.tps()));
        }
      }
      m.textGenerator().setCachePolicy(KvCachePolicy.dense());
    }
    out.println("policy          budget | same greedy answer | kv_bytes vs full | decode tok/s vs full");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "%-15s %6.2f | %3d of %3d %5.1f %% | %14.1f %% | %.1f = %.2fx%n", r.policy(),
          r.budget(), r.same(), r.prompts(), 100.0 * r.same() / r.prompts(), 100.0 * r.kvBytes() / r.fullKvBytes(),
          r.decodeTps(), r.decodeTps() / r.fullDecodeTps());
    }
    Row control = rows.get(0);
    Row lookm = rows.get(1);
    out.printf(Locale.ROOT, "verdict: lookm at %.2f gives the full cache's answer on %.1f %% of %d prompts, KV %.1f %% "
        + "of full; goal >= %.0f %% with >= 80 %% less KV: %s%s%n", lookm.budget(), 100.0 * lookm.same()
        / lookm.prompts(), lookm.prompts(), 100.0 * lookm.kvBytes() / lookm.fullKvBytes(), GOAL * 100,
        lookm.same() >= GOAL * lookm.prompts() && lookm.kvBytes() <= 0.2 * lookm.fullKvBytes() ? "met" : "not met",
        control.same() == control.prompts() ? "" : " (CONTROL DISAGREES: the full cache is not deterministic here)");
    return rows;
  }

  private static final class Totals {
    long kvBytes;
    long decodeNanos;
    long decodeTokens;

    double tps() {
      return decodeNanos == 0 ? 0 : decodeTokens / (decodeNanos / 1e9);
    }
  }

  private static List<Integer> answer(SmolVlm m, MultimodalPrompt p, GenerationSettings s, Totals t) {
    List<Integer> tokens = new ArrayList<>();
    m.generate(p, s, x -> { }, (token, logits) -> tokens.add(token));
    GenerationStats st = m.textGenerator().lastStats();
    t.kvBytes += st.kvBytes();
    t.decodeNanos += st.decodeNanos();
    t.decodeTokens += st.decodeTokens();
    return tokens;
  }

  /** The PNG/JPEG files of {@code dir} in name order, frame {@code i} at {@code i * seconds}. */
  static List<SmolVlmProcessor.Picture> frames(Path dir, double seconds) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
          .sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(dir + ": no .png/.jpg frames");
    }
    List<SmolVlmProcessor.Picture> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      out.add(SmolVlmProcessor.Picture.frame(RgbImage.read(files.get(i)), Math.round(i * seconds * 1000)));
    }
    return out;
  }

  /** JSON lines with a {@code question} field, or plain lines; blank lines skipped. */
  static List<String> questions(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.startsWith("{")) {
        JsonNode q = json.readTree(l).path("question");
        if (!q.isTextual()) {
          throw new IllegalArgumentException(file + ": a JSON line without a \"question\" string: " + l);
        }
        out.add(q.asText());
      } else {
        out.add(l);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file + ": no questions");
    }
    return out;
  }
}
