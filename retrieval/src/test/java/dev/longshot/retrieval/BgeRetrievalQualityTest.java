package dev.longshot.retrieval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.LongshotConfig;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.retrieval.answer.ExtractiveAnswerer;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.bench.SimilarityThresholdBenchmark;
import dev.longshot.retrieval.eval.EvalQuestion;
import dev.longshot.retrieval.eval.EvaluateIndex;
import dev.longshot.retrieval.eval.QuestionsFile;
import dev.longshot.retrieval.eval.RetrievalEvaluation;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;
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
  static LuceneEvidenceIndex index;
  static QuestionAnswering qa;
  static final String VIDEO = "1ec7c0e000000001";

  @BeforeAll
  static void indexTheLecture() {
    LongshotConfig config = LongshotConfig.defaults();
    embedder = TextEmbedders.create(config.embeddings());
    index = LuceneEvidenceIndex.open(tmp.resolve("index"), embedder, config.retrieval());
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

  /** Issue 14 item 6: the default answer leads with the line that answers, cites repeated text once, no whole slides. */
  @Test
  void theExtractiveAnswerLeadsWithTheLineThatAnswers() {
    assertThat(ask("What is the total budget of project Heron?"))
        .matches("(Total budget: 4\\.2 million euros|The total budget of project heron is four point two million euros) \\(.*")
        .doesNotContain("Sensors: 1.5", "Software: 900,000");
    assertThat(ask("How many buoys are in the sensor network?"))
        .matches("(120 solar powered buoys|The sensor network has one hundred and twenty solar powered buoys) \\(.*");
    assertThat(ask("Which city hosts the data center?"))
        .matches("(City of Basel hosts the data center|The city of basel hosts our data center) \\(.*");
    // on the Timeline slide (00:46) and again on the Summary slide (02:50): quoted once, with both moments
    String report = ask("When is the final report due?");
    assertThat(report).startsWith("Final report due May 2026 (slide at 00:46 and 02:50)");
    assertThat(report.split("Final report due May 2026", -1)).hasSize(2);
  }

  @Test
  void everyAnswerLeadsWithAShortQuoteAndNeverRepeatsOne() {
    List<EvalQuestion> questions = QuestionsFile.read(TruthSegments.repoRoot().resolve("sample-media/lecture.questions.jsonl"));
    int leadsWithAKeyword = 0;
    List<String> spokenLeadsElsewhere = new ArrayList<>();
    for (EvalQuestion q : questions) {
      String text = ask(q.question());
      String lead = text.substring(0, Math.max(0, text.indexOf(" (")));
      System.out.println(q.question() + " -> " + text);
      assertThat(lead).as(text).isNotBlank().hasSizeLessThanOrEqualTo(80);
      if (RetrievalEvaluation.keywordRate(lead, q.keywords()) == 1.0) {
        leadsWithAKeyword++;
      }
      // a spoken lead's moment, e.g. "(speech at 00:21)": within 5 s of the moment that answers (a slide's is when
      // it appeared, often before the narrator gets to the line)
      java.util.regex.Matcher at = java.util.regex.Pattern.compile("\\((\\w+) at (\\d\\d):(\\d\\d)").matcher(text);
      assertThat(at.find()).as(text).isTrue();
      int seconds = Integer.parseInt(at.group(2)) * 60 + Integer.parseInt(at.group(3));
      if (at.group(1).equals("speech") && (seconds < q.startSeconds() - 5 || seconds > q.endSeconds() + 5)) {
        spokenLeadsElsewhere.add(text);
      }
      assertThat(text.split(java.util.regex.Pattern.quote(lead), -1)).as(text).hasSize(2);
    }
    System.out.println("leads with all keywords: " + leadsWithAKeyword + " of " + questions.size()
        + "; spoken leads not at the right moment: " + spokenLeadsElsewhere);
    assertThat(leadsWithAKeyword).isGreaterThanOrEqualTo(questions.size() * 8 / 10);
    assertThat(spokenLeadsElsewhere).isEmpty();
  }

  /**
   * Answer typing on the sample lecture: "who" leads with the slide line that names the speaker, not a line that
   * only shares "lecture" with the question; "What does project Heron measure?" leads with the sentence that says it.
   */
  @Test
  void answersOfTheAskedKindLead() {
    assertThat(ask("Who is giving this lecture?")).startsWith("Speaker: Dr. Maria Lopez (slide at 00:00).");
    assertThat(ask("What does project Heron measure?")).startsWith("Project heron measures water quality in rivers across europe");
    assertThat(ask("When does phase one of the project end?")).startsWith("Phase one ends in June 2025 (slide at 00:46)");
    assertThat(ask("How long do the batteries last?")).containsPattern("^(Battery life: three years|The batteries last for about three years) \\(");
  }

  private static String ask(String question) {
    return qa.ask(question, Set.of(VIDEO), e -> { }, t -> { }).text();
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
