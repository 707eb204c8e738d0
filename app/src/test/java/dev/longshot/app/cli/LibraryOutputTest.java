package dev.longshot.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal shows only what Longshot means to say (issue 13). Each case runs {@code bin/longshot}'s own
 * {@code run_cli} function (sourced from the script, so the real fd juggling) in a fresh JVM on this test's class
 * path, with stdout and stderr captured: {@code index} of an empty folder opens the real BGE-small embedder (SLF4J's
 * INFO line) and the Lucene index (its java.util.logging vectorization line) and runs with the incubator module (the
 * JVM's warning). HotSpot's class-loading log ({@code -Xlog:class+load:stderr}) stands in for Leptonica's native
 * stderr chatter: both are C code writing to fd 2 while the command runs, after the log was opened.
 */
class LibraryOutputTest {
  private static final Path REPO = Path.of(System.getProperty("longshot.repo.root", "..")).toAbsolutePath().normalize();

  record Run(int status, String out, String err, String log) {}

  @Test
  void indexKeepsLibraryChatterInTheDataDirectorysLog(@TempDir Path tmp) throws Exception {
    Path videos = Files.createDirectories(tmp.resolve("videos"));
    Run r = runCli(tmp, "-Xlog:class+load=info:stderr", "index", videos.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("0 files: 0 done, 0 skipped as unchanged, 0 failed\n");
    assertThat(r.err().lines()).as(r.err()).allMatch(l -> l.startsWith("index [")); // at most its progress bar
    assertThat(r.log())
        .contains("WARNING: Using incubator modules: jdk.incubator.vector") // the JVM, before main
        // Lucene, java.util.logging ("... enabled", or under index's C1-only JIT "C2 compiler is disabled; ...")
        .contains("Java vector incubator API")
        .contains("INFO: embeddings: bge-small-en-v1.5") // SLF4J, bridged
        .contains("dev.longshot.retrieval.index.EvidenceIndex source:"); // native fd 2, after the takeover
  }

  /**
   * A user's stderr that is a file ({@code bin/longshot ingest ... >> ingest.log 2>&1}, cron) keeps what it held:
   * Longshot's own messages reach the terminal's stderr through fd 3, reopened by path, and that reopening must
   * append, not truncate the user's file.
   */
  @Test
  void aFileTheUserSendsStderrToKeepsItsEarlierLines(@TempDir Path tmp) throws Exception {
    Path videos = Files.createDirectories(tmp.resolve("videos"));
    Files.writeString(tmp.resolve("stderr.txt"), "a line the user's log held before\n");
    Run r = runCli(tmp, "", "index", videos.toString(), "--no-such-flag");

    assertThat(r.status()).isNotZero();
    assertThat(r.err()).contains("no-such-flag");
    assertThat(Files.readString(tmp.resolve("stderr.txt"))).startsWith("a line the user's log held before\n");
  }

  @Test
  void verboseShowsTheLibrariesOnTheTerminalAsBefore(@TempDir Path tmp) throws Exception {
    Path videos = Files.createDirectories(tmp.resolve("videos"));
    Run r = runCli(tmp, "", "index", videos.toString(), "--verbose");

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("WARNING: Using incubator modules", "Java vector incubator API",
        "INFO: embeddings: bge-small-en-v1.5");
    assertThat(r.log()).isEmpty();
  }

  @Test
  void helpShowsNoJvmNoticeAndLeavesNoBootFile(@TempDir Path tmp) throws Exception {
    Run r = runCli(tmp, "", "help");

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("usage: bin/longshot <command>", "--verbose");
    assertThat(r.err()).isEmpty();
    try (var left = Files.list(tmp.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  /**
   * JDK 25+: the first run after a build records the start-up cache. HotSpot prints its "AOTConfiguration recorded"
   * notice on stdout, which would land in the middle of a script's {@code ask --json} output; the run that uses the
   * cache must be as quiet.
   */
  @Test
  void recordingAndUsingTheStartUpCacheKeepStdoutToLongshot(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the start-up cache needs JDK 25+");
    Path videos = Files.createDirectories(tmp.resolve("videos"));
    String expected = "0 files: 0 done, 0 skipped as unchanged, 0 failed\n";

    Run recording = runCli(tmp, true, "", "index", videos.toString());
    assertThat(recording.status()).as(recording.out() + recording.err() + recording.log()).isZero();
    assertThat(recording.out()).isEqualTo(expected);
    assertThat(tmp.resolve("app/target/aot/index.aot")).as(recording.err()).exists();

    Run cached = runCli(tmp, true, "", "index", videos.toString());
    assertThat(cached.status()).as(cached.err()).isZero();
    assertThat(cached.out()).isEqualTo(expected);
    assertThat(cached.err().lines()).as(cached.err()).allMatch(l -> l.startsWith("index ["));
  }

  /**
   * A verb's first run after a build records the start-up cache; when it ends before the data directory's log is
   * set up (a usage error), the boot file is shown on the terminal. The recording JVM's own warnings (AOT
   * "Skipping ... Old class has been linked" lines, one per class) must not be in it. A help run loads too little
   * to train the cache on: it records nothing.
   */
  @Test
  void aRunThatEndsBeforeTheLogShowsNoStartUpCacheWarnings(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the start-up cache needs JDK 25+");

    Run help = runCli(tmp, true, "", "index", "--help");
    assertThat(help.status()).as(help.err()).isZero();
    assertThat(help.out()).contains("Usage: index");
    assertThat(help.err()).isEmpty();
    assertThat(tmp.resolve("app/target/aot/index.aot")).doesNotExist();

    Run usage = runCli(tmp, true, "", "index", "--no-such-option");
    assertThat(usage.status()).isNotZero();
    assertThat(usage.err()).contains("usage:").doesNotContain("[aot]", "[cds]", "AOTConfiguration");
  }

  /**
   * A build folder the start-up cache cannot be kept in (a read-only install; here its place is taken by a file, which
   * stops even root): the verb runs as it would without a cache, and records none.
   */
  @Test
  void aStartUpCacheFolderThatCannotBeMadeLeavesTheVerbWorking(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the start-up cache needs JDK 25+");
    Path videos = Files.createDirectories(tmp.resolve("videos"));
    Files.createDirectories(tmp.resolve("app/target"));
    Files.writeString(tmp.resolve("app/target/aot"), "not a folder");

    Run run = runCli(tmp, true, "", "index", videos.toString());

    assertThat(run.status()).as(run.out() + run.err() + run.log()).isZero();
    assertThat(run.out()).isEqualTo("0 files: 0 done, 0 skipped as unchanged, 0 failed\n");
    assertThat(run.err()).doesNotContain("mkdir", "rm:", "start-up cache");
  }

  private static Run runCli(Path tmp, String javaOpts, String... args) throws IOException, InterruptedException {
    return runCli(tmp, false, javaOpts, args);
  }

  /**
   * This JVM's class path with each directory (the reactor's target/classes) packed into a jar, as the launcher's
   * class path is: the JVM records no start-up cache for a class path with a directory in it.
   */
  private static String jarredClassPath(Path tmp) throws IOException {
    Path jars = Files.createDirectories(tmp.resolve("jars"));
    List<String> entries = new java.util.ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path dir = Path.of(entry);
      if (!Files.isDirectory(dir)) {
        entries.add(entry);
        continue;
      }
      Path jar = jars.resolve(entries.size() + ".jar");
      if (!Files.exists(jar)) {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
            var files = Files.walk(dir)) {
          for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
            out.putNextEntry(new java.util.jar.JarEntry(dir.relativize(file).toString().replace('\\', '/')));
            Files.copy(file, out);
            out.closeEntry();
          }
        }
      }
      entries.add(jar.toString());
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** What this run wrote to {@code file}, after the {@code before} bytes it already held. */
  private static String appended(Path file, long before) throws IOException {
    byte[] all = Files.readAllBytes(file);
    return new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
  }

  /** {@code run_cli ARGS} from bin/longshot with {@code java} and the class path of this test JVM. */
  private static Run runCli(Path tmp, boolean aot, String javaOpts, String... args)
      throws IOException, InterruptedException {
    Path data = tmp.resolve("data");
    Path scratch = Files.createDirectories(tmp.resolve("tmp"));
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    String script = String.join("\n",
        "set -euo pipefail",
        "ROOT=\"$PWD\"; STAMP=\"$PWD/build-stamp\"; touch -d '1 hour ago' \"$STAMP\"", // globals run_cli reads
        "source <(sed -n '/^JVM_FLAGS=/,/)$/p;/^say()/p;/^AOT_DIR=/p;/^aot_supported()/,/^}/p;/^aot_class_path()/,/^}/p;/^run_cli()/,/^}/p' "
            + "\"$LONGSHOT_SCRIPT\")",
        "classpath() { printf '%s' \"$TEST_CLASSPATH\"; }",
        "run_cli \"$@\"");
    List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", script, "run_cli"));
    command.addAll(List.of(args));
    long outBefore = Files.exists(out) ? Files.size(out) : 0;
    long errBefore = Files.exists(err) ? Files.size(err) : 0;
    // appended, as a user's `>> FILE 2>&1` does: a file that already holds lines keeps them
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
    pb.environment().put("LONGSHOT_SCRIPT", REPO.resolve("bin/longshot").toString());
    pb.environment().put("TEST_CLASSPATH", aot ? jarredClassPath(tmp) : System.getProperty("java.class.path"));
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    pb.environment().put("TMPDIR", scratch.toString());
    pb.environment().put("LONGSHOT_DATA_DIR", data.toString());
    pb.environment().put("LONGSHOT_JAVA_OPTS", "-Xmx512m " + javaOpts);
    pb.environment().remove("LONGSHOT_CONFIG");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("LONGSHOT_AOT", aot ? "1" : "0");
    Process p = pb.directory(tmp.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("run_cli " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    Path log = data.resolve("logs/longshot.log");
    return new Run(p.exitValue(), appended(out, outBefore), appended(err, errBefore),
        Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
  }
}
