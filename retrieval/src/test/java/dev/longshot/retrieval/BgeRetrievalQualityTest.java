package dev.longshot.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.LongshotConfig;
import dev.longshot.embeddings.TextEmbedder;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.retrieval.answer.ExtractiveAnswerer;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.bench.SimilarityThresholdBenchmark;
import dev.longshot.retrieval.eval.EvalQuestion;
import dev.longshot.retrieval.eval.QuestionsFile;
import dev.longshot.retrieval.eval.RetrievalEvaluation;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.timeline.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval quality with the real bundled BGE-small-en-v1.5 embedder and the default settings, on segments built
 * from the sample lecture's ground truth ({@link TruthSegments}), scored with the questions in {@code
 * sample-media/lecture.questions.jsonl}.
 */
class BgeRetrievalQualityTest {
  @TempDir static Path tmp;
  static TextEmbedder embedder;
  static EvidenceIndex index;
  static QuestionAnswering qa;
  static final String VIDEO = "1ec7c0e000000001";

  @BeforeAll
  static void indexTheLecture() {
    LongshotConfig config = LongshotConfig.defaults();
    embedder = TextEmbedders.create(config.embeddings());
    index = EvidenceIndex.open(tmp.resolve("index"), embedder, config.retrieval());
    index.replaceVideo(Fixtures.manifest(VIDEO, "truth"), TruthSegments.lecture());
    qa = QuestionAnswering.create(index, config.answer(), KeyframeResolver.none(), null);
  }

  @AfterAll
  static void close() {
    index.close();
    embedder.close();
  }

  @Test
  void findsTheRightMomentForAtLeastNinetyPercentOfQuestions() {
    List<EvalQuestion> questions = QuestionsFile.read(TruthSegments.repoRoot().resolve("sample-media/lecture.questions.jsonl"));
    RetrievalEvaluation.Report report = RetrievalEvaluation.run(questions, v -> VIDEO,
        (q, id) -> qa.ask(q, Set.of(id), e -> { }, t -> { }));
    System.out.println(report.summary());
    report.results().forEach(r -> System.out.println(r.firstHitRank() + " " + r.keywordRate() + " " + r.question().question()
        + " -> " + r.answer().text()));
    assertThat(questions).hasSizeGreaterThanOrEqualTo(20);
    assertThat(report.recallAt5()).isGreaterThanOrEqualTo(0.9);
    assertThat(report.keywordHitRate()).isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void saysSoWhenTheLectureDoesNotCoverTheQuestion() {
    List<String> answered = new ArrayList<>();
    for (String q : SimilarityThresholdBenchmark.OFF_TOPIC) {
      Answer a = qa.ask(q, Set.of(VIDEO), e -> { }, t -> { });
      if (!a.evidence().isEmpty()) {
        answered.add(q + " -> " + a.text());
      }
    }
    System.out.println("off-topic questions given evidence: " + answered.size() + " " + answered);
    assertThat(answered).hasSizeLessThanOrEqualTo(2);
    assertThat(qa.ask("What recipe does the chef use for chocolate cake?", Set.of(VIDEO), e -> { }, t -> { }).text())
        .isEqualTo(ExtractiveAnswerer.NOTHING_FOUND);
  }
}
