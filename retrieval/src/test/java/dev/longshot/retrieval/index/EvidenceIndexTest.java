package dev.longshot.retrieval.index;

import static dev.longshot.retrieval.Fixtures.VIDEO_A;
import static dev.longshot.retrieval.Fixtures.lecture;
import static dev.longshot.retrieval.Fixtures.manifest;
import static dev.longshot.retrieval.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.retrieval.HashingTextEmbedder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the embedded Lucene index has to show: its directory keeps committed videos across a reopen, and a
 * second instance on the same directory (another process, in production) sees new commits without reopening. What
 * every backend must do is in {@link EvidenceIndexContract} ({@link LuceneEvidenceIndexContractTest} for this one).
 */
class EvidenceIndexTest {
  @TempDir Path tmp;
  private final HashingTextEmbedder embedder = new HashingTextEmbedder(256);

  @Test
  void reopeningKeepsCommittedVideos() {
    Path dir = tmp.resolve("index");
    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp1"), lecture());
    }
    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings())) {
      assertThat(index.videoIds()).containsExactly(VIDEO_A);
      assertThat(index.contains(VIDEO_A, "fp1")).isTrue();
    }
  }

  @Test
  void aSecondOpenInstanceSeesNewCommitsWithoutReopening() {
    Path dir = tmp.resolve("index");
    try (EvidenceIndex writer = LuceneEvidenceIndex.open(dir, embedder, settings());
        EvidenceIndex reader = LuceneEvidenceIndex.open(dir, embedder, settings())) {
      assertThat(reader.videoIds()).isEmpty();
      writer.replaceVideo(manifest(VIDEO_A, "fp1"), lecture());
      reader.refresh();
      assertThat(reader.videoIds()).containsExactly(VIDEO_A);
      assertThat(reader.findVideo("00000000000000aa.mp4")).contains(VIDEO_A);
      assertThat(reader.findVideo(VIDEO_A)).contains(VIDEO_A);
      assertThat(reader.findVideo("other.mp4")).isEmpty();
    }
  }
}
