package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.ocr.TextRecognizers;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: slides that share one template and differ in a word or two, and a slide that builds up bullet by
 * bullet, each get their own OCR span with their own text and start (real FFmpeg drawtext video, real Tesseract).
 * OCR noise between reads of one slide (case, punctuation, look-alike glyphs, a dropped letter) is absorbed:
 * {@code ocr.OcrSpanMergerTest}.
 */
class TemplatedSlidesTest {
  @TempDir Path media;
  @TempDir Path data;

  /** One templated slide: its start (seconds) and its lines below the shared title. */
  private record Slide(int startSeconds, String... lines) {}

  private static final String TITLE = "Weekly Sales Report";
  private static final List<Slide> DECK = List.of(
      new Slide(0, "Region North", "Revenue grew 4 percent"),
      new Slide(4, "Region South", "Revenue grew 4 percent"),   // one word changed
      new Slide(8, "Region South", "Revenue grew 7 percent"),   // one digit changed
      new Slide(12, "Hire two engineers"),                      // builds up bullet by bullet
      new Slide(14, "Hire two engineers", "Open Lisbon office"),
      new Slide(16, "Hire two engineers", "Open Lisbon office", "Review pricing"));
  private static final int END_SECONDS = 19;

  private static Path deck(Path dir) throws Exception {
    StringBuilder vf = new StringBuilder(MediaFixtures.text(TITLE, 44, "50", 0, END_SECONDS));
    for (int i = 0; i < DECK.size(); i++) {
      Slide s = DECK.get(i);
      double to = (i + 1 < DECK.size() ? DECK.get(i + 1).startSeconds() : END_SECONDS) - 0.01;
      for (int l = 0; l < s.lines().length; l++) {
        vf.append(',').append(MediaFixtures.text(s.lines()[l], 30, String.valueOf(140 + 60 * l), s.startSeconds(), to));
      }
    }
    Path out = dir.resolve("templated.mp4");
    MediaFixtures.ffmpeg("-f", "lavfi", "-i", "color=c=white:s=1280x720:r=10:d=" + END_SECONDS, "-vf", vf.toString(),
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out.toString());
    return out;
  }

  @Test
  void everyTemplatedSlideGetsItsOwnSpanWithItsOwnTextAndStart() throws Exception {
    Path video = deck(media);
    LongshotConfig config = TestConfigs.config(data);
    try (IngestPipeline p = new IngestPipeline(config, TextRecognizers.create(config.ocr()).orElseThrow(), null, null,
        SubtitleSource.NONE)) {
      VideoManifest m = p.ingest(video, ProgressListener.NONE).manifest();
      List<Segment> ocr = p.store().segments(m.videoId()).stream().filter(s -> s.modality() == Modality.OCR).toList();
      assertThat(ocr).as("one span per slide: %s", ocr.stream().map(s -> s.startMillis() + " " + s.text()).toList())
          .hasSize(DECK.size());
      for (int i = 0; i < DECK.size(); i++) {
        Slide slide = DECK.get(i);
        Segment span = ocr.get(i);
        assertThat(span.startMillis()).as("start of slide %d: %s", i, span).isBetween(slide.startSeconds() * 1000L - 100,
            slide.startSeconds() * 1000L + 600);
        assertThat(span.text()).as("text of slide %d", i).contains(TITLE);
        for (String line : slide.lines()) {
          assertThat(span.text()).as("text of slide %d", i).contains(line);
        }
        if (i > 0) {
          // never the later slide's text from the earlier slide's start: the previous span holds its own words only
          assertThat(ocr.get(i - 1).endMillis()).isLessThanOrEqualTo(span.startMillis());
        }
      }
      assertThat(ocr.get(0).text()).doesNotContain("South");
      assertThat(ocr.get(1).text()).doesNotContain("North").doesNotContain("7 percent");
      assertThat(ocr.get(3).text()).doesNotContain("Lisbon");
      assertThat(ocr.get(4).text()).doesNotContain("pricing");
    }
  }
}
