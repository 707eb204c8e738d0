package dev.longshot.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.app.BatchIndexer;
import dev.longshot.app.BatchSummary;
import dev.longshot.app.Longshot;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/longshot demo}: indexes {@code sample-media/} and answers the first question of {@code
 * sample-media/lecture.questions.jsonl}. The launcher then starts the web app.
 */
final class DemoCommand implements Main.Command {
  @Override
  public String summary() {
    return "demo SAMPLE_DIR  index the sample media and answer one question";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
    Args args = new Args(argv, Set.of("config"), Set.of());
    if (args.positional().size() != 1) {
      throw new IllegalArgumentException("usage: demo SAMPLE_DIR (bin/longshot demo passes sample-media/)");
    }
    Path samples = Path.of(args.positional().get(0));
    try (Longshot longshot = Longshot.open(args.config())) {
      out.println("Indexing " + samples + " into " + longshot.config().data().dir());
      BatchSummary summary = new BatchIndexer(longshot, 1).run(samples, ProgressBar.forTerminal(err, "index"), i -> { });
      IndexCommand.printSummary(summary, out);
      String question = firstQuestion(samples.resolve("lecture.questions.jsonl"));
      out.println();
      out.println("Q: " + question);
      Answer answer = longshot.ask(question, Set.of());
      AskCommand.printText(answer, longshot, out);
      return summary.failures().isEmpty() ? 0 : 1;
    }
  }

  private static String firstQuestion(Path questions) throws java.io.IOException {
    if (Files.isRegularFile(questions)) {
      List<String> lines = Files.readAllLines(questions);
      for (String line : lines) {
        if (!line.isBlank()) {
          JsonNode n = Json.mapper().readTree(line);
          if (n.hasNonNull("question")) {
            return n.get("question").asText();
          }
        }
      }
    }
    return "What is this video about?";
  }
}
