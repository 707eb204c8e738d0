package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.media.MediaInfo;
import dev.longshot.ingest.media.MediaProbe;
import dev.longshot.ingest.ocr.TextRecognizers;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation metadata, odd sizes, variable frame rate, no audio, audio only, embedded subtitle streams. */
class MediaVarietyTest {
  @TempDir Path media;
  @TempDir Path data;

  private VideoManifest ingest(Path file, LongshotConfig config, IngestPipelineTest.FakeAsr asr, SubtitleSource subs) throws Exception {
    try (IngestPipeline p = new IngestPipeline(config, TextRecognizers.create(config.ocr()).orElse(null), asr, null, subs)) {
      return p.ingest(file, ProgressListener.NONE).manifest();
    }
  }

  private Path keyframe(VideoManifest m, long millis) {
    return data.resolve("records").resolve(m.videoId()).resolve("keyframes").resolve(String.format("%09d.jpg", millis));
  }

  @Test
  void rotationMetadataIsAppliedToKeyframesAndSize() throws Exception {
    Path plain = MediaFixtures.silentVideo(media, "plain.mp4", 2, null);
    Path rotated = media.resolve("rotated.mp4");
    MediaFixtures.ffmpeg("-i", plain.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated.toString());
    MediaInfo info = MediaProbe.probe(rotated, Long.MAX_VALUE);
    assertThat(info.rotation()).isIn(90, 270);
    assertThat(info.width()).isEqualTo(240);
    assertThat(info.height()).isEqualTo(320);

    VideoManifest m = ingest(rotated, TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none"), null, SubtitleSource.NONE);
    assertThat(m.width()).isEqualTo(240);
    assertThat(m.height()).isEqualTo(320);
    BufferedImage ours = ImageIO.read(keyframe(m, 0).toFile());
    assertThat(ours.getWidth()).isEqualTo(240);
    assertThat(ours.getHeight()).isEqualTo(320);
    // the ffmpeg command line auto-rotates: our keyframe must look like its first frame
    Path ref = media.resolve("ref.png");
    MediaFixtures.ffmpeg("-i", rotated.toString(), "-frames:v", "1", ref.toString());
    BufferedImage theirs = ImageIO.read(ref.toFile());
    assertThat(theirs.getWidth()).isEqualTo(240);
    assertThat(meanDifference(ours, theirs)).isLessThan(0.05);
  }

  @Test
  void oddFrameSizeDecodes() throws Exception {
    Path odd = media.resolve("odd.mp4");
    MediaFixtures.ffmpeg("-f", "lavfi", "-i", "testsrc=s=321x241:r=10:d=2", "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv444p", odd.toString());
    VideoManifest m = ingest(odd, TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none"), null, SubtitleSource.NONE);
    assertThat(m.width()).isEqualTo(321);
    assertThat(m.height()).isEqualTo(241);
    BufferedImage kf = ImageIO.read(keyframe(m, 0).toFile());
    assertThat(kf.getWidth()).isEqualTo(321);
    assertThat(kf.getHeight()).isEqualTo(241);
  }

  @Test
  void variableFrameRateKeepsTrueTimestamps() throws Exception {
    // 0-3 s at 5 fps showing "Part One", then 30 fps showing "Part Two"
    Path vfr = media.resolve("vfr.mkv");
    String vf = String.join(",",
        MediaFixtures.text("Part One", 48, "100", 0, 2.99),
        MediaFixtures.text("Part Two", 48, "100", 3, 6),
        "select='if(lt(t\\,3)\\,not(mod(n\\,6))\\,1)'");
    MediaFixtures.ffmpeg("-f", "lavfi", "-i", "color=c=white:s=480x270:r=30:d=6", "-vf", vf, "-fps_mode", "vfr",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", vfr.toString());
    VideoManifest m = ingest(vfr, TestConfigs.config(data), null, SubtitleSource.NONE);
    List<Segment> ocr = segments(m, Modality.OCR);
    assertThat(ocr).hasSize(2);
    assertThat(ocr.get(0).text()).isEqualTo("Part One");
    assertThat(ocr.get(1).text()).isEqualTo("Part Two");
    assertThat(ocr.get(1).startMillis()).isBetween(2_900L, 3_600L);
    assertThat(m.durationMillis()).isBetween(5_800L, 6_200L);
  }

  @Test
  void videoWithoutAudioHasNoTranscript() throws Exception {
    Path silent = MediaFixtures.silentVideo(media, "silent.mp4", 2, null);
    IngestPipelineTest.FakeAsr asr = new IngestPipelineTest.FakeAsr();
    VideoManifest m = ingest(silent, TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none"), asr, SubtitleSource.NONE);
    assertThat(m.hasAudio()).isFalse();
    assertThat(m.transcriptSource()).isEqualTo("none");
    assertThat(asr.samples.get()).isZero();
    assertThat(m.keyframeCount()).isPositive();
  }

  @Test
  void audioOnlyFileIsTranscribedWithoutKeyframes() throws Exception {
    Path tone = MediaFixtures.audioOnly(media, 5);
    IngestPipelineTest.FakeAsr asr = new IngestPipelineTest.FakeAsr();
    VideoManifest m = ingest(tone, TestConfigs.config(data), asr, SubtitleSource.NONE);
    assertThat(m.width()).isZero();
    assertThat(m.height()).isZero();
    assertThat(m.keyframeCount()).isZero();
    assertThat(m.transcriptSource()).isEqualTo("asr:fake");
    assertThat(asr.samples.get()).isBetween(16_000L * 5 - 4_000, 16_000L * 5 + 4_000);
    assertThat(m.durationMillis()).isBetween(4_900L, 5_200L);
  }

  @Test
  void embeddedSubtitleStreamIsUsedAndDoesNotDisturbDecoding() throws Exception {
    Path plain = MediaFixtures.silentVideo(media, "plain.mp4", 3, null);
    Path srt = Files.writeString(media.resolve("cues.srt"), """
        1
        00:00:00,500 --> 00:00:02,000
        Hello from an embedded subtitle.

        """);
    Path withSubs = media.resolve("subbed.mp4");
    MediaFixtures.ffmpeg("-i", plain.toString(), "-i", srt.toString(), "-c:v", "copy", "-c:s", "mov_text", withSubs.toString());
    assertThat(MediaProbe.probe(withSubs, Long.MAX_VALUE).subtitleStreams()).isEqualTo(1);
    VideoManifest m = ingest(withSubs, TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none"), null, SubtitleSource.DEFAULT);
    assertThat(m.transcriptSource()).isEqualTo("subtitle-stream");
    assertThat(segments(m, Modality.SUBTITLE)).singleElement().satisfies(s -> {
      assertThat(s.text()).isEqualTo("Hello from an embedded subtitle.");
      assertThat(s.startMillis()).isEqualTo(500);
    });
    assertThat(m.keyframeCount()).isPositive();
  }

  private List<Segment> segments(VideoManifest m, Modality modality) {
    return new dev.longshot.timeline.RecordStore(data.resolve("records")).segments(m.videoId()).stream()
        .filter(s -> s.modality() == modality).toList();
  }

  private static double meanDifference(BufferedImage a, BufferedImage b) {
    long sum = 0;
    int n = 0;
    for (int y = 0; y < a.getHeight(); y += 4) {
      for (int x = 0; x < a.getWidth(); x += 4) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          sum += Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff));
        }
        n += 3;
      }
    }
    return sum / (255.0 * n);
  }
}
