package dev.longshot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestResult;
import dev.longshot.retrieval.answer.ExtractiveAnswerer;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Json;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.VideoId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with real parts, as a user runs it: FFmpeg decoding, Tesseract, PocketSphinx, BGE-small on ONNX
 * Runtime and Lucene on disk, over the generated sample lecture (ground truth in sample-media/lecture.truth.json).
 * The lecture is ingested once, in {@link #ingestTheLectureOnce}; every test reads it and leaves it as it found it
 * (the move test works on its own copy and points the record back, the delete test ingests and deletes its own
 * clip), so the tests pass in any order (issue 13).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongshotEndToEndTest {
  @TempDir static Path tmp;
  private Longshot longshot;
  private Path samples;
  private Path lecture;
  private IngestResult first;
  private final List<Progress> progress = new CopyOnWriteArrayList<>();

  @BeforeAll
  void ingestTheLectureOnce() throws Exception {
    samples = Path.of(System.getProperty("longshot.repo.root", "..")).resolve("sample-media");
    lecture = tmp.resolve("videos/lecture.mp4");
    Files.createDirectories(lecture.getParent());
    Files.copy(samples.resolve("lecture.mp4"), lecture);
    longshot = Longshot.openForIngest(config()); // what bin/longshot ingest opens: the pipeline loads in the background
    first = longshot.ingest(lecture, progress::add);
  }

  private LongshotConfig config() {
    return ConfigLoader.load(null, Map.of("HOME", tmp.toString(), "LONGSHOT_DATA_DIR", tmp.resolve("data").toString()));
  }

  @AfterAll
  void close() {
    if (longshot != null) {
      longshot.close();
    }
  }

  @Test
  void ingestReportsProgressAndWritesEveryModality() throws IOException {
    assertThat(first.unchanged()).isFalse();
    assertThat(first.manifest().videoId()).isEqualTo(VideoId.of(lecture));
    assertThat(first.manifest().segmentCounts().getOrDefault(Modality.OCR, 0)).isPositive();
    assertThat(first.manifest().segmentCounts().getOrDefault(Modality.ASR, 0)).isPositive();
    assertThat(progress).extracting(Progress::stage).contains("index", "done");
    assertThat(progress.get(progress.size() - 1).fraction()).isEqualTo(1.0);
    assertThat(longshot.videos()).extracting(m -> m.videoId()).containsExactly(first.manifest().videoId());
  }

  @Test
  void answersWithTheMomentThatProvesIt() {
    // Truth: the slide "Project Heron" shows the budget, and the narrator says it, between 22 s and 27 s.
    Answer a = longshot.ask("What is the total budget of project Heron?", Set.of());
    assertThat(a.evidence()).isNotEmpty();
    List<Evidence> top5 = a.evidence().subList(0, Math.min(5, a.evidence().size()));
    assertThat(top5).anySatisfy(e -> {
      assertThat(e.endMillis()).isGreaterThanOrEqualTo(17_000);
      assertThat(e.startMillis()).isLessThanOrEqualTo(32_000);
    });
    assertThat(a.text()).containsPattern("\\d\\d:\\d\\d");
  }

  /**
   * Answer typing on the real ingest of the sample lecture (OCR and PocketSphinx speech): "who" names the speaker
   * from the title slide (below the similarity cut-off, lacking the key term "giving") and the recogniser's "my name
   * is maria lopez" of the same moment; "What does project Heron measure?" leads with the sentence that says it,
   * though the recogniser misheard "Heron"; a question the lecture does not cover still gets nothing.
   */
  @Test
  void answersNameTheKindOfThingTheQuestionAsksFor() {
    String who = longshot.ask("Who is giving this lecture?", Set.of()).text();
    assertThat(who).startsWith("Speaker: Dr. Maria Lopez (slide at 00:00).").containsIgnoringCase("my name is maria lopez");
    assertThat(longshot.ask("What does project Heron measure?", Set.of()).text())
        .containsPattern("^Project \\w+ measures water quality in rivers across europe \\(speech at 00:1\\d\\)");
    assertThat(longshot.ask("Who won the football world cup final?", Set.of()).text())
        .isEqualTo(ExtractiveAnswerer.NOTHING_FOUND);
  }

  @Test
  void askJsonIsWhatScriptsParse() throws IOException {
    Answer a = longshot.ask("Who is giving this lecture?", Set.of(first.manifest().videoId()));
    JsonNode json = Json.mapper().readTree(dev.longshot.app.cli.CliBridge.askJson(a, longshot.videoNames()));
    assertThat(json.get("answer").asText()).isEqualTo(a.text());
    JsonNode e0 = json.get("evidence").get(0);
    assertThat(e0.get("video").asText()).isEqualTo(first.manifest().videoId());
    assertThat(e0.get("fileName").asText()).isEqualTo("lecture.mp4");
    assertThat(e0.get("start").asDouble()).isLessThanOrEqualTo(e0.get("end").asDouble());
    assertThat(e0.get("modality").asText()).isIn("ocr", "asr", "det", "subtitle");
  }

  /**
   * {@code bin/longshot ask --json} names each evidence item's file (it gave only the video id, so a script could not
   * say which file to open); the existing fields stay as they were.
   */
  @Test
  void askJsonNamesEachEvidenceFile() throws IOException {
    longshot.close(); // the CLI opens the same data directory, as a second process would
    try {
      Path config = Files.writeString(tmp.resolve("ask.yaml"), "data:\n  dir: " + tmp.resolve("data") + "\n");
      String[] r = cli("ask", "--json", "What is the total budget of project Heron?", "--config", config.toString());
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      JsonNode evidence = Json.mapper().readTree(r[1]).get("evidence");
      assertThat(evidence).isNotEmpty().allSatisfy(e -> {
        assertThat(e.get("video").asText()).isEqualTo(first.manifest().videoId());
        assertThat(e.get("fileName").asText()).isEqualTo("lecture.mp4");
        assertThat(e.get("start").isNumber()).isTrue();
      });
    } finally {
      longshot = Longshot.open(config());
    }
  }

  /** Issue 14 item 5: {@code bin/longshot eval} on the ingested lecture, as a user runs it (config file, CLI). */
  @Test
  void evalMeasuresRecallKeywordsAndLatencyOnTheLectureQuestions() throws IOException {
    longshot.close(); // the CLI opens the same data directory, as a second process would
    try {
      Path config = Files.writeString(tmp.resolve("eval.yaml"), "data:\n  dir: " + tmp.resolve("data") + "\n");
      Path questions = Path.of(System.getProperty("longshot.repo.root", "..")).resolve("sample-media/lecture.questions.jsonl");
      String[] table = cli("eval", questions.toString(), "--config", config.toString());
      assertThat(table[0]).as(table[2]).isEqualTo("0");
      System.out.println(table[1]);
      assertThat(table[1]).startsWith("questions 22").contains("recall@1 ", "keyword hit rate ", "latency p95 ")
          .contains("rank 1  keywords 1.00").contains("What is the total budget of project Heron?");
      double recallAt5 = Double.parseDouble(table[1].lines().filter(l -> l.startsWith("recall@5 ")).findFirst().orElseThrow().substring(9));
      assertThat(recallAt5).isGreaterThanOrEqualTo(0.9);

      Path three = Files.write(tmp.resolve("three.jsonl"), Files.readAllLines(questions).subList(0, 3));
      String[] json = cli("eval", three.toString(), "--json", "--video", first.manifest().videoId(), "--config", config.toString());
      assertThat(json[0]).as(json[2]).isEqualTo("0");
      JsonNode report = Json.mapper().readTree(json[1]);
      assertThat(report.get("questions").asInt()).isEqualTo(3);
      assertThat(report.get("recallAt5").asDouble()).isBetween(0.0, 1.0);
      assertThat(report.get("latencyP95Millis").asDouble()).isGreaterThanOrEqualTo(report.get("latencyP50Millis").asDouble());
      assertThat(report.get("results")).hasSize(3);
      assertThat(report.get("results").get(0).get("answer").asText()).isNotBlank();

      String[] missing = cli("eval", tmp.resolve("nope.jsonl").toString(), "--config", config.toString());
      assertThat(missing[0]).isEqualTo("2");
      assertThat(missing[2].strip()).isEqualTo("longshot eval: questions file " + tmp.resolve("nope.jsonl") + " does not exist");
      Path bad = Files.writeString(tmp.resolve("bad.jsonl"), Files.readAllLines(questions).getFirst() + "\n{\"question\": \"x\", oops\n");
      String[] malformed = cli("eval", bad.toString(), "--config", config.toString());
      assertThat(malformed[0]).isEqualTo("2");
      assertThat(malformed[2].strip()).startsWith("longshot eval: " + bad + ":2: not a JSON object").doesNotContain("\n");
      Path other = Files.writeString(tmp.resolve("other.jsonl"), "{\"question\": \"q?\", \"video\": \"other.mp4\", \"start\": 1, \"end\": 2}\n");
      String[] unknown = cli("eval", other.toString(), "--config", config.toString());
      assertThat(unknown[0]).isEqualTo("2");
      assertThat(unknown[2]).contains("video other.mp4 of " + other + " has not been ingested; ingested: [lecture.mp4]");
    } finally {
      longshot = Longshot.open(config());
    }
  }

  private static String[] cli(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = dev.longshot.app.cli.CliBridge.run(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8)};
  }

  @Test
  void reIngestOfUnchangedOrMovedFileIsANoOpAndPlaybackFollowsTheFile() throws Exception {
    String id = first.manifest().videoId();
    Path copy = Files.createDirectories(tmp.resolve("copy")).resolve("lecture.mp4");
    Files.copy(lecture, copy, StandardCopyOption.REPLACE_EXISTING);
    try {
      assertThat(longshot.ingest(copy, p -> { }).unchanged()).isTrue();
      assertThat(longshot.mediaFile(id)).contains(copy);
      Path moved = tmp.resolve("elsewhere/renamed talk.mp4");
      Files.createDirectories(moved.getParent());
      Files.move(copy, moved, StandardCopyOption.REPLACE_EXISTING);
      assertThat(longshot.mediaFile(id)).isEmpty();
      IngestResult again = longshot.ingest(moved, p -> { });
      assertThat(again.unchanged()).isTrue();
      assertThat(again.manifest().videoId()).isEqualTo(id);
      assertThat(longshot.mediaFile(id)).contains(moved);
    } finally {
      longshot.ingest(lecture, p -> { }); // the record points at the shared file again
    }
  }

  /** {@code bin/longshot ingest} of a renamed copy names the file given and the video it matched. */
  @Test
  void ingestOfARenamedCopySaysWhichVideoItMatched() throws Exception {
    Path copy = Files.createDirectories(tmp.resolve("renamed")).resolve("talk.mp4");
    Files.copy(lecture, copy, StandardCopyOption.REPLACE_EXISTING);
    longshot.close(); // the CLI opens the same data directory, as a second process would
    try {
      Path config = Files.writeString(tmp.resolve("ingest.yaml"), "data:\n  dir: " + tmp.resolve("data") + "\n");
      String[] r = cli("ingest", "--config", config.toString(), copy.toString());
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      assertThat(r[1].lines().findFirst().orElseThrow()).isEqualTo(first.manifest().videoId()
          + "  talk.mp4  03:00  (unchanged, skipped: the same content as lecture.mp4, already indexed)");
    } finally {
      longshot = Longshot.open(config());
      longshot.ingest(lecture, p -> { }); // the record points at the shared file again
    }
  }

  /**
   * {@code bin/longshot ingest MISSING lecture.mp4}: the missing file is named first, before any progress bar, the
   * existing one is still ingested, and the exit status reports the failure.
   */
  @Test
  void ingestOfAMissingFileNamesItFirstAndStillIngestsTheOthers() throws Exception {
    Path missing = tmp.resolve("no/such/file.mp4");
    longshot.close(); // the CLI opens the same data directory, as a second process would
    try {
      Path config = Files.writeString(tmp.resolve("missing.yaml"), "data:\n  dir: " + tmp.resolve("data") + "\n");
      String[] r = cli("ingest", "--config", config.toString(), missing.toString(), lecture.toString());
      assertThat(r[0]).as(r[2]).isEqualTo("1");
      assertThat(r[2].lines().findFirst().orElseThrow()).isEqualTo("longshot ingest: file not found: " + missing);
      assertThat(r[2].lines().filter(l -> l.contains("file not found"))).hasSize(1);
      assertThat(r[1].lines().findFirst().orElseThrow())
          .isEqualTo(first.manifest().videoId() + "  lecture.mp4  03:00  (unchanged, skipped)");
    } finally {
      longshot = Longshot.open(config());
    }
  }

  @Test
  void badInputIsAClearErrorAndLeavesTheLibraryAlone() throws IOException {
    Path notes = tmp.resolve("notes.mp4");
    Files.writeString(notes, "these are my notes, not a video");
    assertThatThrownBy(() -> longshot.ingest(notes, p -> { })).isInstanceOf(IngestException.class).hasMessageContaining("notes.mp4");
    assertThatThrownBy(() -> longshot.ask("   ", Set.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(longshot.videos()).hasSize(1);
  }

  /** Issue 12, point 4: a re-ingest that fails part way leaves the old video answering, record and index alike. */
  @Test
  void aReIngestThatFailsLeavesTheOldVideoAnswering() {
    String id = first.manifest().videoId();
    String before = longshot.ask("What is the total budget?", Set.of(id)).text();
    var record = longshot.video(id).orElseThrow();
    assertThatThrownBy(() -> longshot.reingest(id, lecture, p -> {
      if (p.stage().equals("asr")) {
        throw new ProgressListener.Cancelled("cut off during the re-ingest"); // e.g. a job past its time limit
      }
    })).hasMessageContaining("cut off");
    assertThat(longshot.video(id)).contains(record);
    assertThat(longshot.check().clean()).as("records and index still agree").isTrue();
    assertThat(longshot.ask("What is the total budget?", Set.of(id)).text()).isEqualTo(before);
  }

  @Test
  void deleteRemovesRecordAndIndexDocuments() throws Exception {
    // Its own clip (the 40 s excerpt with its subtitles), so the shared lecture stays for the other tests.
    Path dir = Files.createDirectories(tmp.resolve("to-delete"));
    Path clip = Files.copy(samples.resolve("excerpt.mp4"), dir.resolve("excerpt.mp4"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(samples.resolve("excerpt.srt"), dir.resolve("excerpt.srt"), StandardCopyOption.REPLACE_EXISTING);
    String id = longshot.ingest(clip, p -> { }).manifest().videoId();
    assertThat(longshot.videos()).hasSize(2);
    assertThat(longshot.ask("What is the total budget?", Set.of(id)).evidence()).isNotEmpty();

    assertThat(longshot.delete(id)).isTrue();
    assertThat(longshot.video(id)).isEmpty();
    assertThat(longshot.videos()).extracting(m -> m.videoId()).containsExactly(first.manifest().videoId());
    assertThatThrownBy(() -> longshot.ask("What is the total budget?", Set.of(id))).as("index documents gone")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown video id [" + id + "]");
    assertThat(longshot.delete(id)).isFalse();
  }
}
