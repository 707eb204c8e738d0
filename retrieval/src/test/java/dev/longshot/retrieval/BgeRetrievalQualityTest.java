package dev.longshot.retrieval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.LongshotConfig;
import dev.longshot.embeddings.TextEmbedder;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.retrieval.answer.ExtractiveAnswerer;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.bench.SimilarityThresholdBenchmark;
import dev.longshot.retrieval.eval.EvalQuestion;
import dev.longshot.retrieval.eval.EvaluateIndex;
import dev.longshot.retrieval.eval.QuestionsFile;
import dev.longshot.retrieval.eval.RetrievalEvaluation;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.VideoManifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
    VideoManifest m = Fixtures.manifest(VIDEO, "truth");
    index.replaceVideo(new VideoManifest(m.formatVersion(), VIDEO, "lecture.mp4", m.sourcePath(), m.sizeBytes(),
        m.durationMillis(), m.width(), m.height(), m.frameRate(), m.hasAudio(), m.transcriptSource(), "truth",
        m.segmentCounts(), 0, m.stageMillis(), m.createdAt()), TruthSegments.lecture());
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

  @Test
  void theHarnessEvaluatesAnIndexOnDiskByFileName() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = EvaluateIndex.run(new String[] {"--index", index.directory().toString(), "--questions",
        TruthSegments.repoRoot().resolve("sample-media/lecture.questions.jsonl").toString()}, new PrintStream(out, true, UTF_8));
    assertThat(status).isZero();
    assertThat(out.toString(UTF_8)).contains("questions 22", "recall@5 1.000").contains("rank 1  keywords 1.00");
  }
}
