package dev.longshot.ingest.media;

import static dev.longshot.ingest.MediaFixtures.ffmpeg;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FFmpeg decoding of a generated 25 fps H.264 file with B-frames (x264's default), with and without skipping. */
class MediaDecoderTest {
  @TempDir
  Path dir;

  @Test
  void nonReferenceFramesAreSkippedOnlyWhenTheStreamHasFourFramesPerLook() {
    assertThat(MediaDecoder.skipsNonReferenceFrames(25, 4)).isTrue();
    assertThat(MediaDecoder.skipsNonReferenceFrames(16, 4)).isTrue();
    assertThat(MediaDecoder.skipsNonReferenceFrames(15, 4)).isFalse();
    assertThat(MediaDecoder.skipsNonReferenceFrames(0, 4)).isFalse();
    assertThat(MediaDecoder.skipsNonReferenceFrames(60, 0)).isFalse();
  }

  @Test
  void skippingNonReferenceFramesHalvesTheDecodedFramesAndKeepsEveryLookInterval() throws Exception {
    Path file = dir.resolve("b-frames.mp4");
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=4", "-c:v", "libx264", "-preset", "veryfast", "-bf", "3",
        "-pix_fmt", "yuv420p", file.toString());
    MediaInfo info = MediaProbe.probe(file, 1L << 26);

    List<Long> all = frames(file, info, 0);
    List<Long> skipped = frames(file, info, 4);

    assertThat(all).hasSize(100);
    assertThat(skipped.size()).as("decoded frames with skipping").isBetween(20, 60);
    assertThat(skipped.getFirst()).isZero();
    assertThat(skipped.getLast()).isGreaterThanOrEqualTo(3_800);
    for (int i = 1; i < skipped.size(); i++) {
      assertThat(skipped.get(i) - skipped.get(i - 1)).as("gap before frame at %d ms", skipped.get(i)).isBetween(1L, 250L);
    }
    assertThat(all).containsAll(skipped);
  }

  private static List<Long> frames(Path file, MediaInfo info, double lookFps) throws Exception {
    List<Long> times = new ArrayList<>();
    try (MediaDecoder d = new MediaDecoder(file, info, false, true, lookFps)) {
      MediaDecoder.Stats stats = d.run(new MediaDecoder.Sink() {
        @Override
        public void audio(short[] pcm, int length) {}

        @Override
        public boolean wantsFrame(long millis) {
          return true;
        }

        @Override
        public void frame(DecodedFrame frame) {
          times.add(frame.millis());
          assertThat(frame.thumb().pixels()).hasSize(LumaThumb.WIDTH * LumaThumb.HEIGHT);
        }
      });
      assertThat(stats.videoFrames()).isEqualTo(times.size());
    }
    return times;
  }
}
