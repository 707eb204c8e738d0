package dev.longshot.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.Progress;
import dev.longshot.timeline.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliPartsTest {
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void argsSplitPositionalsOptionsAndFlags() {
    CommandLine ask = Main.commands(System.out, System.err).get("ask");
    ask.parseArgs("what is said?", "--video", "abc", "--json", "--config=x.yaml");
    AskCommand a = ask.getCommand();
    assertThat(a.question).isEqualTo("what is said?");
    assertThat(a.video).isEqualTo("abc");
    assertThat(a.json).isTrue();
    assertThat(a.config.file).hasToString("x.yaml");
  }

  @Test
  void anErrorQuotingANameWithNewlinesAndEscapesIsOneLine() {
    // "questions file <name> does not exist" printed the name raw: a forged second line and a screen-clearing ESC
    String[] r = run("eval", "/nowhere/q\n\u001b[2Jlongshot eval: all 20 questions passed.jsonl");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).startsWith("longshot eval: questions file /nowhere/q\\n\\u001b[2J").doesNotContain("\u001b")
        .endsWith("does not exist" + System.lineSeparator());
    assertThat(r[2].lines()).hasSize(1);
  }

  @Test
  void argsRejectUnknownOptionsAndMissingValues() {
    String[] typo = run("ask", "q", "--vidoe", "x");
    assertThat(typo[0]).isEqualTo("2");
    assertThat(typo[2]).startsWith("longshot ask: unknown option --vidoe").contains("--video ID|PATH").contains("did you mean --video");
    assertThat(run("ask", "q", "--video")[2]).contains("longshot ask: --video needs a value");
    String[] jobs = run("index", "dir", "--jobs", "two");
    assertThat(jobs[0]).isEqualTo("2");
    assertThat(jobs[2]).contains("two");
    String[] part = run("index", "dir", "--part", "4/3");
    assertThat(part[0]).isEqualTo("2");
    assertThat(part[2]).contains("--part must be i/n").contains("4/3");
    assertThat(run("ask")[2]).contains("usage: bin/longshot ask \"QUESTION\" [--video ID|PATH] [--json]");
  }

  @Test
  void ingestOfAFolderPointsAtIndex(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
    java.nio.file.Path folder = java.nio.file.Files.createDirectories(tmp.resolve("videos"));
    java.nio.file.Path yaml = java.nio.file.Files.writeString(tmp.resolve("longshot.yaml"), "data:\n  dir: " + tmp.resolve("data") + "\n");
    String[] r = run("ingest", "--config", yaml.toString(), folder.toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2]).isEqualTo("longshot ingest: " + folder + " is a folder; bin/longshot index " + folder
        + " ingests every video under it\n");
  }

  /** A missing file is named at once, before any model loads or a progress bar is drawn (it drew a 0 % bar first). */
  @Test
  void ingestOfAMissingFileSaysSoAtOnceWithoutAProgressBar(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws java.io.IOException {
    java.nio.file.Path missing = tmp.resolve("no/such/file.mp4");
    java.nio.file.Path yaml = java.nio.file.Files.writeString(tmp.resolve("longshot.yaml"), "data:\n  dir: " + tmp.resolve("data") + "\n");
    String[] r = run("ingest", "--config", yaml.toString(), missing.toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).isEmpty();
    assertThat(r[2]).isEqualTo("longshot ingest: file not found: " + missing + "\n");
  }

  /** The command list and each command's --help come from the same declarations as the parsing. */
  @Test
  void helpIsGeneratedFromTheDeclarations() {
    String[] help = run("help");
    assertThat(help[0]).isEqualTo("0");
    assertThat(help[1]).startsWith("usage: bin/longshot <command> [args]")
        .contains("\n  ingest FILE...  ingest and index videos (progress bar; unchanged files are skipped)\n")
        .contains("\n  index DIR [--jobs N] [--part i/n]  ingest and index every video under DIR (resumable)\n")
        .contains("\n  ask \"QUESTION\" [--video ID|PATH] [--json]  answer from the indexed videos\n")
        .contains("\n  eval QUESTIONS.jsonl [--video ID|PATH] [--json]\n      measure recall@1/@5 of the right moment, "
            + "keyword hits and latency on a questions file\n")
        // generate and attention-search: from vlm-runtime's declarations (required options, the prompt group)
        .contains("\n  generate --model PATH (--prompt TEXT | --prompt-file FILE) [options]  run the embedded transformer "
            + "runtime\n")
        .contains("\n  attention-search --model PATH --prompt-file FILE --out FILE [options]\n      find each attention "
            + "head's sparse prefill pattern (MMInference) on your prompts\n")
        .contains("--verbose");
    assertThat(help[1].lines()).as("no line overflows 120 columns").allMatch(l -> l.length() <= 120);
    String[] askHelp = run("ask", "--help");
    assertThat(askHelp[0]).isEqualTo("0");
    assertThat(askHelp[1]).contains("--json").contains("--config=FILE").contains("--video=ID|PATH");
  }

  @Test
  void timestampsUseMinutesThenHours() {
    assertThat(Timestamps.format(83_400)).isEqualTo("01:23");
    assertThat(Timestamps.format(3_723_000)).isEqualTo("1:02:03");
    assertThat(Timestamps.format(-5)).isEqualTo("00:00");
  }

  @Test
  void progressBarPrintsOneLinePerTenPercentWhenNotATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "talk.mp4", false);
    for (int i = 0; i <= 100; i++) {
      bar.onProgress(new Progress("decode", i / 100.0, Duration.ofSeconds(100 - i), ""));
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(11);
    assertThat(lines[5]).startsWith("talk.mp4 [###############...............]  50% decode").contains("ETA 0:50");
    assertThat(lines[10]).contains("100%").doesNotContain("ETA");
  }

  @Test
  void unknownCommandIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"frobnicate"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("frobnicate").contains("ask");
  }
}
