package dev.longshot.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.HashingTextEmbedder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real process is killed (SIGKILL) while it indexes; the index must open with whole videos only. */
class IndexDurabilityTest {
  @TempDir Path tmp;

  @Test
  void killingTheWriterMidIngestLeavesOnlyWholeVideos() throws Exception {
    Path dir = tmp.resolve("index");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), IndexingChild.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> committed = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (committed.size() < 3 && (line = out.readLine()) != null) {
        committed.add(line.substring("committed ".length()));
      }
      child.destroyForcibly();
      child.waitFor();
    }
    assertThat(committed).as("child committed three videos before the kill").hasSize(3);

    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, new HashingTextEmbedder(256), Fixtures.settings())) {
      assertThat(index.videoIds()).containsAll(committed);
      for (String id : index.videoIds()) {
        assertThat(index.segmentCount(id)).as("segments of " + id).isEqualTo(IndexingChild.SEGMENTS);
      }
      index.replaceVideo(Fixtures.manifest(committed.getFirst(), "fp2"), Fixtures.lecture());
      assertThat(index.contains(committed.getFirst(), "fp2")).as("still writable after the crash").isTrue();
    }
  }
}
