package dev.longshot.retrieval.bench;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.LongshotConfig;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.TruthSegments;
import dev.longshot.retrieval.eval.EvalQuestion;
import dev.longshot.retrieval.eval.QuestionsFile;
import dev.longshot.retrieval.eval.RetrievalEvaluation;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures where {@code retrieval.min-similarity} should sit for BGE-small-en-v1.5: indexes the sample lecture's
 * ground-truth segments, then records the cosine similarity of the right-moment hit for each question in {@code
 * sample-media/lecture.questions.jsonl} and the best similarity of any hit for off-topic questions the lecture
 * cannot answer. For each threshold it prints the share of right moments kept and of off-topic questions that would
 * still get evidence; the baseline row is no threshold.
 *
 * <pre>bench/run retrieval dev.longshot.retrieval.bench.SimilarityThresholdBenchmark</pre>
 */
public final class SimilarityThresholdBenchmark {
  /** Questions the sample lecture cannot answer. */
  public static final List<String> OFF_TOPIC = List.of(
      "What recipe does the chef use for chocolate cake?", "Who won the football world cup final?",
      "How do I change a flat bicycle tyre?", "What is the capital of Australia?",
      "Which programming language is the fastest?", "How many moons does Jupiter have?",
      "What time does the train to Paris leave?", "Who painted the Mona Lisa?",
      "How do you knit a scarf?", "What is the plot of the movie?", "How tall is Mount Everest?",
      "Which dog breed is the friendliest?", "What is the price of a new smartphone?",
      "How do I reset my password?", "What did the president say about taxes?",
      "Where can I buy concert tickets?", "How long should pasta boil?", "Who wrote Hamlet?",
      "What is the best exercise for back pain?", "How does a car engine work?");

  private SimilarityThresholdBenchmark() {}

  public static void main(String[] args) throws Exception {
    LongshotConfig config = LongshotConfig.defaults();
    String video = "1ec7c0e000000001";
    Path dir = Files.createTempDirectory("longshot-threshold");
    List<EvalQuestion> questions = QuestionsFile.read(TruthSegments.repoRoot().resolve("sample-media/lecture.questions.jsonl"));
    List<Double> onTopic = new ArrayList<>();
    List<Double> offTopic = new ArrayList<>();
    try (TextEmbedder embedder = TextEmbedders.create(config.embeddings());
        EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, config.retrieval())) {
      index.replaceVideo(Fixtures.manifest(video, "truth"), TruthSegments.lecture());
      for (EvalQuestion q : questions) {
        double best = -1;
        for (SearchHit h : index.search(SearchRequest.of(q.question(), 8))) {
          if (RetrievalEvaluation.firstHitRank(List.of(h.evidence()), video, q, RetrievalEvaluation.TOLERANCE_SECONDS) == 1) {
            best = Math.max(best, h.similarity());
          }
        }
        onTopic.add(best);
      }
      for (String q : OFF_TOPIC) {
        offTopic.add(index.search(SearchRequest.of(q, 8)).stream().mapToDouble(SearchHit::similarity).max().orElse(-1));
      }
    }
    System.out.printf(Locale.ROOT, "embedder %s; %d on-topic questions, %d off-topic%n", config.embeddings(), onTopic.size(), offTopic.size());
    System.out.printf(Locale.ROOT, "on-topic right-moment cosine: min %.3f median %.3f%n", min(onTopic), median(onTopic));
    System.out.printf(Locale.ROOT, "off-topic best-hit cosine:    max %.3f median %.3f%n", max(offTopic), median(offTopic));
    System.out.println("threshold  right moments kept  off-topic questions with evidence");
    row("none (baseline)", -1, onTopic, offTopic);
    for (double t = 0.40; t <= 0.751; t += 0.05) {
      row(String.format(Locale.ROOT, "%.2f", t), t, onTopic, offTopic);
    }
    double configured = config.retrieval().minSimilarity();
    row(String.format(Locale.ROOT, "%.2f (default)", configured), configured, onTopic, offTopic);
  }

  private static void row(String name, double t, List<Double> on, List<Double> off) {
    System.out.printf(Locale.ROOT, "%-16s %6.1f %%           %6.1f %%%n", name, 100.0 * share(on, t), 100.0 * share(off, t));
  }

  private static double share(List<Double> values, double t) {
    return values.stream().filter(v -> v > -1 && v >= t).count() / (double) values.size();
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static double median(List<Double> v) {
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s[s.length / 2];
  }
}
