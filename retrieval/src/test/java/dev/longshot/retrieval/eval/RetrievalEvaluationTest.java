package dev.longshot.retrieval.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.retrieval.TruthSegments;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalEvaluationTest {
  @TempDir Path tmp;
  static final String V = "00000000000000aa";

  static Evidence ev(double start, double end, String video) {
    return new Evidence(video, Modality.ASR, Math.round(start * 1000), Math.round(end * 1000), "t", null, 1);
  }

  @Test
  void aHitIsTheRightVideoWithinFiveSecondsOfTheSpan() {
    EvalQuestion q = new EvalQuestion("q", "x.mp4", 20, 25, List.of());
    assertThat(RetrievalEvaluation.firstHitRank(List.of(ev(0, 14.9, V), ev(30.1, 40, V)), V, q, 5)).isZero();
    assertThat(RetrievalEvaluation.firstHitRank(List.of(ev(0, 14.9, V), ev(29.9, 40, V)), V, q, 5)).isEqualTo(2);
    assertThat(RetrievalEvaluation.firstHitRank(List.of(ev(20, 25, "00000000000000bb")), V, q, 5)).isZero();
  }

  @Test
  void keywordsMatchCaseInsensitivelyWithAlternatives() {
    assertThat(RetrievalEvaluation.keywordRate("Budget: 4.2 Million", List.of("4.2|four point two", "million", "euro")))
        .isEqualTo(2.0 / 3);
    assertThat(RetrievalEvaluation.keywordRate("anything", List.of())).isEqualTo(1.0);
  }

  @Test
  void reportsRecallKeywordRateAndLatencyPercentiles() {
    List<EvalQuestion> qs = List.of(new EvalQuestion("a", "v", 10, 12, List.of("yes")),
        new EvalQuestion("b", "v", 50, 52, List.of("yes")));
    RetrievalEvaluation.Report r = RetrievalEvaluation.run(qs, v -> V, (q, id) -> q.equals("a")
        ? new Answer("yes", List.of(ev(10, 12, V)), "t")
        : new Answer("no", List.of(ev(0, 1, V), ev(1, 2, V), ev(2, 3, V), ev(3, 4, V), ev(49, 50, V)), "t"));
    assertThat(r.recallAt1()).isEqualTo(0.5);
    assertThat(r.recallAt5()).isEqualTo(1.0);
    assertThat(r.keywordHitRate()).isEqualTo(0.5);
    assertThat(r.latencyP95Millis()).isGreaterThanOrEqualTo(r.latencyP50Millis());
    assertThat(r.summary()).contains("recall@5 1.000");
  }

  @Test
  void percentilesUseNearestRank() {
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(RetrievalEvaluation.percentile(v, 50)).isEqualTo(5);
    assertThat(RetrievalEvaluation.percentile(v, 95)).isEqualTo(10);
    assertThat(RetrievalEvaluation.percentile(new double[0], 50)).isZero();
  }

  @Test
  void readsTheSampleQuestionsAndRejectsBadLinesWithTheirNumber() throws IOException {
    List<EvalQuestion> qs = QuestionsFile.read(TruthSegments.repoRoot().resolve("sample-media/lecture.questions.jsonl"));
    assertThat(qs).hasSizeGreaterThanOrEqualTo(20).allSatisfy(q -> assertThat(q.video()).isEqualTo("lecture.mp4"));
    Path bad = Files.writeString(tmp.resolve("q.jsonl"), "# comment\n\n{\"question\":\"ok\",\"video\":\"v\",\"start\":1,\"end\":2}\n"
        + "{\"question\":\"bad\",\"video\":\"v\",\"start\":\"one\",\"end\":2}\n");
    assertThatThrownBy(() -> QuestionsFile.read(bad)).hasMessageContaining(bad + ":4").hasMessageContaining("start");
  }

  @Test
  void anEndBeyondTheLargestDoubleIsRefusedWithItsLine() throws IOException {
    // 1e400 parses as Infinity: the old reader took it as a span that runs forever
    Path far = Files.writeString(tmp.resolve("far.jsonl"),
        "{\"question\":\"q\",\"video\":\"v\",\"start\":1,\"end\":1e400}\n");
    assertThatThrownBy(() -> QuestionsFile.read(far)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(far + ":1").hasMessageContaining("\"end\"").hasMessageContaining("finite");
  }

  @Test
  void aFileThatIsNotUtf8OrIsHugeIsRefusedNamingIt() throws IOException {
    // Latin-1 bytes: the old message was "Cannot read questions file ...: Input length = 1"
    Path latin = Files.write(tmp.resolve("latin.jsonl"),
        "{\"question\":\"caf\u00e9\",\"video\":\"v\",\"start\":1,\"end\":2}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> QuestionsFile.read(latin)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latin.jsonl").hasMessageContaining("not UTF-8");
    // a sparse 3 GiB file: readAllLines would have tried to hold it all
    Path huge = tmp.resolve("huge.jsonl");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    assertThatThrownBy(() -> QuestionsFile.read(huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("huge.jsonl").hasMessageContaining("3221225472");
  }
}
