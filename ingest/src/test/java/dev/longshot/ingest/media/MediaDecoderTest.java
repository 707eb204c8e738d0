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

  @Test
  void keyframesOnlyWhenNoKeyframeIntervalExceedsTheSamplingInterval() {
    // 4 looks a second, a uniform sample every 2 s (the defaults)
    assertThat(MediaDecoder.frameSkip(30, 1_000, 4, 0.5)).isEqualTo(MediaDecoder.FrameSkip.NON_KEY);
    assertThat(MediaDecoder.frameSkip(30, 2_000, 4, 0.5)).isEqualTo(MediaDecoder.FrameSkip.NON_KEY);
    assertThat(MediaDecoder.frameSkip(30, 2_001, 4, 0.5)).isEqualTo(MediaDecoder.FrameSkip.NON_REFERENCE);
    assertThat(MediaDecoder.frameSkip(30, 1_000, 4, 2)).as("samples every 0.5 s").isEqualTo(MediaDecoder.FrameSkip.NON_REFERENCE);
    assertThat(MediaDecoder.frameSkip(10, 1_000, 4, 0.5)).isEqualTo(MediaDecoder.FrameSkip.NON_KEY);
    assertThat(MediaDecoder.frameSkip(10, 10_000, 4, 0.5)).isEqualTo(MediaDecoder.FrameSkip.NONE);
    assertThat(MediaDecoder.frameSkip(30, 0, 4, 0.5)).as("keyframe interval unknown").isEqualTo(MediaDecoder.FrameSkip.NON_REFERENCE);
    assertThat(MediaDecoder.frameSkip(30, 1_000, 0, 0.5)).as("every frame looked at").isEqualTo(MediaDecoder.FrameSkip.NONE);
    assertThat(MediaDecoder.frameSkip(30, 1_000, 4, 0)).as("no sampling interval given").isEqualTo(MediaDecoder.FrameSkip.NON_REFERENCE);
  }

  /**
   * A phone-like encode (30 fps, a keyframe every 30 frames, no B-frames) whose picture has a different grey level
   * each second: only the keyframes are decoded, and each comes with its own time (its grey level says which second
   * it shows).
   */
  @Test
  void aShortGopFileIsDecodedKeyframesOnlyWithTheirOwnTimes() throws Exception {
    Path file = dir.resolve("phone.mp4");
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=6,geq=lum='20+35*floor(T)':cb=128:cr=128",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-bf", "0", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
        file.toString());
    MediaInfo info = MediaProbe.probe(file, 1L << 26);
    assertThat(info.maxKeyframeIntervalMillis()).isBetween(966L, 1_034L);
    assertThat(MediaDecoder.frameSkip(info.frameRate(), info.maxKeyframeIntervalMillis(), 4, 0.5))
        .isEqualTo(MediaDecoder.FrameSkip.NON_KEY);

    List<long[]> seen = new ArrayList<>();
    frames(file, info, 4, 0.5, f -> seen.add(new long[] {f.millis(), meanLuma(f.thumb())}));

    assertThat(seen).extracting(t -> t[0]).containsExactly(0L, 1_000L, 2_000L, 3_000L, 4_000L, 5_000L);
    for (long[] t : seen) {
      // video-range luma 20 + 35 s, as the thumbnail's full-range grey: (Y - 16) * 255 / 219
      long grey = Math.round((4 + 35 * (t[0] / 1000)) * 255 / 219.0);
      assertThat(t[1]).as("grey level of the frame at %d ms", t[0]).isBetween(grey - 4, grey + 4);
    }
    assertThat(frames(file, info, 0)).as("all frames without skipping").hasSize(180);
  }

  /** A camera-like long GOP (a keyframe every 10 s, B-frames): keyframes alone are too sparse, so B-frames are skipped. */
  @Test
  void aLongGopFileKeepsSkippingOnlyNonReferenceFrames() throws Exception {
    Path file = dir.resolve("camera.mp4");
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=12", "-c:v", "libx264", "-preset", "veryfast", "-g", "250",
        "-bf", "3", "-sc_threshold", "0", "-pix_fmt", "yuv420p", file.toString());
    MediaInfo info = MediaProbe.probe(file, 1L << 26);
    assertThat(info.maxKeyframeIntervalMillis()).isBetween(9_900L, 10_100L);
    assertThat(MediaDecoder.frameSkip(info.frameRate(), info.maxKeyframeIntervalMillis(), 4, 0.5))
        .isEqualTo(MediaDecoder.FrameSkip.NON_REFERENCE);

    List<Long> skipped = frames(file, info, 4, 0.5, f -> {});
    assertThat(skipped.size()).isBetween(60, 180);
    for (int i = 1; i < skipped.size(); i++) {
      assertThat(skipped.get(i) - skipped.get(i - 1)).as("gap before frame at %d ms", skipped.get(i)).isBetween(1L, 250L);
    }
  }

  private static long meanLuma(LumaThumb thumb) {
    long sum = 0;
    for (byte b : thumb.pixels()) {
      sum += b & 0xff;
    }
    return Math.round((double) sum / thumb.pixels().length);
  }

  private static List<Long> frames(Path file, MediaInfo info, double lookFps) throws Exception {
    return frames(file, info, lookFps, 0, f -> {});
  }

  private static List<Long> frames(Path file, MediaInfo info, double lookFps, double sampleFps,
      java.util.function.Consumer<DecodedFrame> each) throws Exception {
    List<Long> times = new ArrayList<>();
    try (MediaDecoder d = new MediaDecoder(file, info, false, true, lookFps, sampleFps)) {
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
          each.accept(frame);
          assertThat(frame.thumb().pixels()).hasSize(LumaThumb.WIDTH * LumaThumb.HEIGHT);
        }
      });
      assertThat(stats.videoFrames()).isEqualTo(times.size());
    }
    return times;
  }
}
