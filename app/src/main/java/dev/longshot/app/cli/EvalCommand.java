package dev.longshot.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.app.Longshot;
import dev.longshot.retrieval.eval.EvalQuestion;
import dev.longshot.retrieval.eval.QuestionsFile;
import dev.longshot.retrieval.eval.RetrievalEvaluation;
import dev.longshot.timeline.Json;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/longshot eval QUESTIONS.jsonl [--video ID|PATH] [--json]}: asks every question of a questions file
 * (the format of {@code sample-media/lecture.questions.jsonl}, read by {@link QuestionsFile}) about its video and
 * reports recall@1 and recall@5 of the right moment (within 5 s), the answers' keyword hit rate and latency p50/p95
 * ({@link RetrievalEvaluation}), as a table or, with {@code --json}, as one JSON object. Each question's
 * {@code video} is the file name it was ingested under or its id; {@code --video} asks every question about that one
 * ingested video instead.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "measure recall@1/@5 of the right moment, keyword hits and latency on a questions file")
final class EvalCommand implements Callable<Integer> {
  private final PrintStream out;
  @Mixin ConfigOption config;
  @Parameters(index = "0", paramLabel = "QUESTIONS.jsonl",
      description = "one JSON object a line: {\"question\", \"video\", \"start\", \"end\" (seconds), \"keywords\": [\"a|b\", ...]}")
  Path questions;
  @Option(names = "--video", paramLabel = "ID|PATH",
      description = "ask every question about this ingested video, whatever its \"video\" field says")
  String video;
  @Option(names = "--json", description = "print {\"questions\", \"recallAt1\", \"recallAt5\", \"keywordHitRate\", "
      + "\"latencyP50Millis\", \"latencyP95Millis\", \"results\": [...]}")
  boolean json;

  EvalCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(questions)) {
      throw new IllegalArgumentException("questions file " + questions + " does not exist");
    }
    List<EvalQuestion> qs = QuestionsFile.read(questions);
    try (Longshot longshot = Longshot.open(config.load())) {
      Map<String, String> ids = new HashMap<>();
      for (EvalQuestion q : qs) {
        ids.computeIfAbsent(q.video(), v -> videoId(v, longshot));
      }
      RetrievalEvaluation.Report report = RetrievalEvaluation.run(qs, ids::get, (q, id) -> longshot.ask(q, Set.of(id)));
      out.println(json ? toJson(report) : report.table());
    }
    return 0;
  }

  /** The id of the video a question is about: {@code --video} if given, else its {@code video} field. */
  private String videoId(String field, Longshot longshot) {
    if (video != null) {
      try {
        return AskCommand.resolveVideos(video, longshot).iterator().next();
      } catch (IOException e) {
        throw new IllegalArgumentException("--video " + video + ": " + e.getMessage(), e);
      }
    }
    List<VideoManifest> all = longshot.videos();
    List<String> matches = all.stream().filter(m -> m.videoId().equals(field) || m.fileName().equals(field))
        .map(VideoManifest::videoId).distinct().toList();
    if (matches.size() > 1) {
      throw new IllegalArgumentException("video " + field + " of " + questions + " names " + matches.size()
          + " ingested videos " + matches + "; pass --video ID");
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("video " + field + " of " + questions + " has not been ingested; ingested: "
          + all.stream().map(VideoManifest::fileName).toList());
    }
    return matches.getFirst();
  }

  static String toJson(RetrievalEvaluation.Report report) throws IOException {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("questions", report.results().size());
    root.put("recallAt1", report.recallAt1());
    root.put("recallAt5", report.recallAt5());
    root.put("keywordHitRate", report.keywordHitRate());
    root.put("latencyP50Millis", report.latencyP50Millis());
    root.put("latencyP95Millis", report.latencyP95Millis());
    ArrayNode results = root.putArray("results");
    for (RetrievalEvaluation.Result r : report.results()) {
      ObjectNode n = results.addObject();
      n.put("question", r.question().question());
      n.put("video", r.question().video());
      n.put("rank", r.firstHitRank());
      n.put("keywordRate", r.keywordRate());
      n.put("latencyMillis", r.latencyMillis());
      n.put("answer", r.answer().text());
    }
    return Json.mapper().writeValueAsString(root);
  }
}
