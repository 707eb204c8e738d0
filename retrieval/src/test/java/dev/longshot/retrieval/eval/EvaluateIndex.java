package dev.longshot.retrieval.eval;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.retrieval.QuestionAnswering;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Command-line harness: evaluates an existing index against a questions file and prints recall@1, recall@5,
 * keyword hit rate and latency p50/p95, then one line per question. Uses the configured embedder, retrieval
 * settings and answer backend (extractive by default).
 *
 * <pre>
 * EvaluateIndex --index DIR [--questions FILE] [--config longshot.yaml]
 * </pre>
 *
 * Exit status 0 on success, 2 on bad arguments or an unknown video in the questions file.
 */
public final class EvaluateIndex {
  private EvaluateIndex() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args, System.out));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Runs the harness with {@code args}, printing to {@code out}; returns the exit status. */
  public static int run(String[] args, PrintStream out) {
    Path index = null;
    Path questions = Path.of("sample-media/lecture.questions.jsonl");
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--index" -> index = Path.of(require(args[i], value));
        case "--questions" -> questions = Path.of(require(args[i], value));
        case "--config" -> config = Path.of(require(args[i], value));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: EvaluateIndex --index DIR [--questions FILE] [--config FILE]");
      }
      i++;
    }
    if (index == null) {
      throw new IllegalArgumentException("--index DIR is required");
    }
    LongshotConfig c = ConfigLoader.load(config, System.getenv());
    Path questionsFile = questions;
    List<EvalQuestion> qs = QuestionsFile.read(questionsFile);
    try (TextEmbedder embedder = TextEmbedders.create(c.embeddings());
        LuceneEvidenceIndex idx = LuceneEvidenceIndex.openExisting(index, embedder, c.retrieval())) {
      QuestionAnswering qa = QuestionAnswering.create(idx, c.answer(), KeyframeResolver.none(), null);
      RetrievalEvaluation.Report report = RetrievalEvaluation.run(qs,
          v -> idx.findVideo(v).orElseThrow(() -> new IllegalArgumentException("video " + v + " of " + questionsFile
              + " is not in the index " + idx.directory() + "; indexed: " + idx.videoIds())),
          (q, id) -> qa.ask(q, Set.of(id), e -> { }, t -> { }));
      print(report, out);
    }
    return 0;
  }

  static void print(RetrievalEvaluation.Report report, PrintStream out) {
    out.println(report.table());
  }

  private static String require(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}
