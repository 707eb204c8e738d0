package dev.longshot.retrieval.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.fuzz.FuzzCheck;
import dev.longshot.config.fuzz.Mutations;
import dev.longshot.retrieval.TruthSegments;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the eval questions file ({@code bin/longshot eval}): seeded mutants of the lecture's questions
 * (duplicated and cut lines, absurd numbers, values of the wrong type, control characters) each read or fail with an
 * IllegalArgumentException whose message is one line naming the file; a question that reads has a finite span.
 */
class QuestionsFileFuzzTest {
  private static final long SEED = 20261202L;

  @TempDir
  Path tmp;

  @Test
  void mutatedQuestionFilesReadOrFailWithOneLineNamingTheFile() throws Exception {
    String sample = Files.readString(TruthSegments.repoRoot().resolve("sample-media/lecture.questions.jsonl"));
    Path f = tmp.resolve("questions.jsonl");
    FuzzCheck<String> c = new FuzzCheck<String>("questions.jsonl", SEED, 32L << 20, IllegalArgumentException.class,
        UncheckedIOException.class).mustName("questions.jsonl").run(Mutations.text(sample, SEED, 800), s -> {
          Files.write(f, s.getBytes(StandardCharsets.UTF_8));
          for (EvalQuestion q : QuestionsFile.read(f)) {
            if (!Double.isFinite(q.endSeconds())) {
              throw new AssertionError("read an infinite span " + q.startSeconds() + ".." + q.endSeconds());
            }
          }
        });
    assertThat(c.faults()).isEmpty();
  }
}
