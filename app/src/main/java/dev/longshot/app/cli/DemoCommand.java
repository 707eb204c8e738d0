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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/longshot demo}: indexes {@code sample-media/} and answers the first question of {@code
 * sample-media/lecture.questions.jsonl}. The launcher then starts the web app.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "index the sample media and answer one question",
    footer = "bin/longshot demo passes sample-media/.")
final class DemoCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;
  @Mixin ConfigOption config;
  @Parameters(index = "0", paramLabel = "SAMPLE_DIR", description = "the sample media folder")
  Path samples;

  DemoCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    try (Longshot longshot = Longshot.open(config.load())) {
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
