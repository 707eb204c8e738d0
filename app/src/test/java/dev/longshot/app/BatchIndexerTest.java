package dev.longshot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchIndexerTest {
  @TempDir Path tmp;

  @Test
  void findsMediaRecursivelyByExtensionSkippingHiddenFolders() throws IOException {
    Files.createDirectories(tmp.resolve("talks/2026"));
    Files.createDirectories(tmp.resolve(".cache"));
    for (String f : new String[] {"a.MP4", "talks/b.mkv", "talks/2026/c.webm", "notes.txt", ".cache/d.mp4", "talks/e.srt"}) {
      Files.writeString(tmp.resolve(f), "x");
    }
    assertThat(BatchIndexer.findMedia(tmp)).extracting(p -> tmp.relativize(p).toString())
        .containsExactly("a.MP4", "talks/2026/c.webm", "talks/b.mkv");
  }

  /** Issue 13: the batch walked a shorter list than the upload accepted (no .m2ts, no .3gp). */
  @Test
  void findsEveryVideoTheUploadAcceptsAndAudio() throws IOException {
    for (String f : new String[] {"clip.m2ts", "phone.3gp", "talk.opus", "a.mp4"}) {
      Files.writeString(tmp.resolve(f), "x");
    }
    assertThat(BatchIndexer.findMedia(tmp)).extracting(p -> tmp.relativize(p).toString())
        .containsExactly("a.mp4", "clip.m2ts", "phone.3gp", "talk.opus");
  }

  @Test
  void missingFolderIsAClearError() {
    assertThatThrownBy(() -> BatchIndexer.findMedia(tmp.resolve("nope"))).hasMessageContaining("not a directory").hasMessageContaining("nope");
  }
}
