package dev.longshot.ingest.subtitle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.ingest.asr.SpeechFixtures;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subtitle discovery on the generated sample media, with containers made by Debian's ffmpeg. */
class SubtitlesTest {
  static final Path MEDIA = SpeechFixtures.sampleMedia();

  /** Truth sentences that the excerpt's .srt covers (those ending within the excerpt). */
  static List<JsonNode> excerptSpeech() {
    double end = SpeechFixtures.truth().get("excerpt").get("end").asDouble();
    List<JsonNode> out = new ArrayList<>();
    SpeechFixtures.truth().get("speech").forEach(s -> {
      if (s.get("end").asDouble() <= end) {
        out.add(s);
      }
    });
    return out;
  }

  static void assertMatchesTruth(SubtitleTrack track) {
    List<JsonNode> truth = excerptSpeech();
    assertThat(track.segments()).hasSize(truth.size());
    for (int i = 0; i < truth.size(); i++) {
      Segment s = track.segments().get(i);
      assertThat(s.modality()).isEqualTo(Modality.SUBTITLE);
      assertThat(s.text()).isEqualTo(truth.get(i).get("text").asText());
      assertThat(s.startMillis()).isCloseTo(Math.round(truth.get(i).get("start").asDouble() * 1000), org.assertj.core.data.Offset.offset(20L));
      assertThat(s.endMillis()).isCloseTo(Math.round(truth.get(i).get("end").asDouble() * 1000), org.assertj.core.data.Offset.offset(20L));
    }
  }

  @Test
  void sidecarSrtNextToTheExcerpt() {
    SubtitleTrack track = Subtitles.find(MEDIA.resolve("excerpt.mp4")).orElseThrow();
    assertThat(track.source()).isEqualTo(SubtitleTrack.SIDECAR_SRT);
    assertMatchesTruth(track);
  }

  @Test
  void theLectureHasNoSubtitlesSoItGoesThroughAsr() {
    assertThat(Subtitles.find(MEDIA.resolve("lecture.mp4"))).isEmpty();
  }

  @Test
  void sidecarVttWhenThereIsNoSrt(@TempDir Path dir) throws Exception {
    Path video = Files.copy(MEDIA.resolve("excerpt.mp4"), dir.resolve("clip.mp4"));
    String vtt = "WEBVTT\n\n" + Files.readString(MEDIA.resolve("excerpt.srt")).replaceAll("(\\d\\d),(\\d\\d\\d)", "$1.$2");
    Files.writeString(dir.resolve("clip.vtt"), vtt);
    SubtitleTrack track = Subtitles.find(video).orElseThrow();
    assertThat(track.source()).isEqualTo(SubtitleTrack.SIDECAR_VTT);
    assertMatchesTruth(track);
  }

  @Test
  void aSidecarOfGigabytesIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
    // a sparse 3 GiB clip.srt: readAllBytes threw OutOfMemoryError, an Error the pipeline's catch does not take
    Path video = Files.copy(MEDIA.resolve("excerpt.mp4"), dir.resolve("clip.mp4"));
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("clip.srt").toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    assertThatThrownBy(() -> Subtitles.find(video)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clip.srt").hasMessageContaining("3221225472");
  }

  /** One more than {@link Subtitles#MAX_CUES} one-millisecond cues: 7 MB of .srt. */
  private static String tooManyCues() {
    StringBuilder srt = new StringBuilder();
    for (int i = 0; i <= Subtitles.MAX_CUES; i++) {
      long ms = i * 10L;
      srt.append(i + 1).append('\n').append(String.format("%02d:%02d:%02d,%03d --> %02d:%02d:%02d,%03d",
          ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000, ms / 3_600_000, ms / 60_000 % 60,
          ms / 1000 % 60, ms % 1000 + 1)).append("\nx\n\n");
    }
    return srt.toString();
  }

  @Test
  void aSidecarWithMoreCuesThanAnyFilmIsRefusedByCount(@TempDir Path dir) throws Exception {
    // a file under the size limit still held millions of cues, each a segment kept in memory and indexed
    Path video = Files.copy(MEDIA.resolve("excerpt.mp4"), dir.resolve("clip.mp4"));
    Files.writeString(dir.resolve("clip.srt"), tooManyCues());
    assertThatThrownBy(() -> Subtitles.find(video)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clip.srt").hasMessageContaining("more than " + Subtitles.MAX_CUES + " cues");
  }

  @Test
  void anEmbeddedStreamWithMoreCuesThanAnyFilmIsRefusedByCount(@TempDir Path dir) throws Exception {
    // the embedded stream had no limit at all: its cues were collected until the heap ran out
    Path srt = Files.writeString(dir.resolve("many.srt"), tooManyCues());
    Path video = dir.resolve("many-subs.mkv");
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", MEDIA.resolve("excerpt.mp4").toString(),
        "-i", srt.toString(), "-map", "0", "-map", "1", "-c", "copy", "-c:s", "srt", video.toString()).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0).as("ffmpeg muxed the subtitles").isTrue();
    assertThatThrownBy(() -> Subtitles.find(video)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("many-subs.mkv").hasMessageContaining("more than " + Subtitles.MAX_CUES + " cues");
  }

  /** mov_text muxed into MP4 by ffmpeg: the embedded stream wins over any sidecar. */
  @Test
  void embeddedSubtitleStream(@TempDir Path dir) throws Exception {
    Path video = dir.resolve("with-subs.mp4");
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", MEDIA.resolve("excerpt.mp4").toString(),
        "-i", MEDIA.resolve("excerpt.srt").toString(), "-map", "0", "-map", "1", "-c", "copy", "-c:s", "mov_text",
        video.toString()).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0).as("ffmpeg muxed the subtitles").isTrue();
    Files.writeString(dir.resolve("with-subs.srt"), "1\n00:00:00,000 --> 00:00:01,000\nsidecar loses\n");
    SubtitleTrack track = Subtitles.find(video).orElseThrow();
    assertThat(track.source()).isEqualTo(SubtitleTrack.SUBTITLE_STREAM);
    assertMatchesTruth(track);
  }

  @Test
  void missingVideoIsNamed() {
    Path missing = MEDIA.resolve("nope.mp4");
    assertThatThrownBy(() -> Subtitles.find(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void brokenSidecarIsNamed(@TempDir Path dir) throws Exception {
    Path video = Files.copy(MEDIA.resolve("excerpt.mp4"), dir.resolve("clip.mp4"));
    Files.writeString(dir.resolve("clip.srt"), "1\nnever --> ever\nhello\n");
    assertThatThrownBy(() -> Subtitles.find(video))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.resolve("clip.srt").toString());
  }
}
