package dev.longshot.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.app.Longshot;
import dev.longshot.retrieval.answer.VideoNames;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Json;
import dev.longshot.timeline.Timestamps;
import dev.longshot.timeline.VideoId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/longshot ask "QUESTION" [--video ID|PATH[,..]] [--json]}: prints the answer and its evidence with
 * timestamps, or one JSON object {@code {"answer": ..., "evidence": [{"video", "fileName", "start", "end",
 * "modality", "text", "keyframe"}]}} with times in seconds.
 */
@Command(name = "ask", mixinStandardHelpOptions = true, description = "answer from the indexed videos",
    footer = "Quote the question.")
final class AskCommand implements Callable<Integer> {
  private final PrintStream out;
  @Mixin ConfigOption config;
  @Parameters(index = "0", paramLabel = "\"QUESTION\"", description = "the question, in quotes")
  String question;
  @Option(names = "--video", paramLabel = "ID|PATH",
      description = "only these videos: ids or paths of ingested files, comma-separated (default: all)")
  String video;
  @Option(names = "--json", description = "print {\"answer\", \"evidence\": [...]} with times in seconds")
  boolean json;

  AskCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    try (Longshot longshot = Longshot.open(config.load())) {
      Set<String> videos = resolveVideos(video, longshot);
      Answer answer = longshot.ask(question, videos);
      if (json) {
        out.println(toJson(answer, longshot.videoNames()));
      } else {
        printText(answer, longshot, out);
      }
    }
    return 0;
  }

  /** Each entry is a video id or the path of an ingested file (identified by content). */
  static Set<String> resolveVideos(String option, Longshot longshot) throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    if (option == null) {
      return ids;
    }
    for (String v : option.split(",")) {
      String s = v.trim();
      String id = VideoId.isValid(s) ? s : Files.isRegularFile(Path.of(s)) ? VideoId.of(Path.of(s)) : null;
      if (id == null) {
        throw new IllegalArgumentException("--video " + s + " is neither a video id (16 hex digits) nor an existing file");
      }
      if (longshot.video(id).isEmpty()) {
        throw new IllegalArgumentException("video " + s + " has not been ingested (run bin/longshot ingest FILE first)");
      }
      ids.add(id);
    }
    return ids;
  }

  /** {@code fileName} is the file each evidence's video was ingested under (null when the library has no record). */
  static String toJson(Answer answer, VideoNames names) throws IOException {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("answer", answer.text());
    ArrayNode ev = root.putArray("evidence");
    for (Evidence e : answer.evidence()) {
      ObjectNode n = ev.addObject();
      n.put("video", e.videoId());
      n.put("fileName", names.fileName(e.videoId()).orElse(null));
      n.put("start", e.startMillis() / 1000.0);
      n.put("end", e.endMillis() / 1000.0);
      n.put("modality", e.modality().id());
      n.put("text", e.text());
      if (e.keyframe() != null) {
        n.put("keyframe", e.keyframe());
      }
    }
    return Json.mapper().writeValueAsString(root);
  }

  static void printText(Answer answer, Longshot longshot, PrintStream out) {
    out.println(answer.text());
    if (answer.evidence().isEmpty()) {
      return;
    }
    out.println();
    out.println("Evidence:");
    for (Evidence e : answer.evidence()) {
      String name = longshot.videoNames().fileName(e.videoId()).orElse(e.videoId());
      out.printf("  %s-%s  %-8s %s  \"%s\"%n", Timestamps.format(e.startMillis()), Timestamps.format(e.endMillis()),
          e.modality().id(), name, oneLine(e.text()));
    }
  }

  private static String oneLine(String text) {
    String t = text.replaceAll("\\s+", " ").trim();
    return t.length() > 160 ? t.substring(0, 157) + "..." : t;
  }
}
