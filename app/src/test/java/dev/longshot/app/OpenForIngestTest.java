package dev.longshot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.timeline.ProgressListener;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Longshot#openForIngest} loads the ingest models in the background; a model that cannot load must fail the
 * ingest with the loader's own one-line message (as a plain {@link Longshot#open}, whose pipeline loads at the first
 * ingest, reports it), not the open, and leave the library usable. The full ingest through it runs in {@code LongshotEndToEndTest}.
 */
class OpenForIngestTest {
  private static final Path LECTURE = Path.of(System.getProperty("longshot.repo.root", "..")).resolve("sample-media/lecture.mp4");

  private static LongshotConfig config(Path tmp, String name) {
    return ConfigLoader.load(null, Map.of("HOME", tmp.toString(), "LONGSHOT_DATA_DIR", tmp.resolve(name).toString(),
        "LONGSHOT_ASR_POCKETSPHINX_MODEL_DIR", tmp.resolve("no-such-model").toString(),
        "LONGSHOT_OCR_BACKEND", "none", "LONGSHOT_DETECTOR_BACKEND", "none")); // only the failing model loads
  }

  @Test
  void aModelThatCannotLoadFailsTheIngestNotTheOpen(@TempDir Path tmp) {
    try (Longshot longshot = Longshot.openForIngest(config(tmp, "data"))) {
      String first = messageOf(longshot);
      // the message IngestPipeline.create throws (as a plain open reports at the first ingest), not a wrapper's
      assertThat(first).startsWith("PocketSphinx model file missing: " + tmp.resolve("no-such-model"));
      assertThat(longshot.videos()).isEmpty();
      assertThat(messageOf(longshot)).isEqualTo(first); // a second try loads again and fails the same way
    }
  }

  private static String messageOf(Longshot longshot) {
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(() -> longshot.ingest(LECTURE, ProgressListener.NONE)).isInstanceOf(IllegalArgumentException.class)
        .satisfies(t -> thrown[0] = t);
    return thrown[0].getMessage();
  }
}
