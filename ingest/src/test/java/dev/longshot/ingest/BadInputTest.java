package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestException.Kind;
import dev.longshot.timeline.ProgressListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets a specific error, and nothing is left in the records directory. */
class BadInputTest {
  @TempDir static Path media;
  @TempDir Path data;
  static Path plain;
  static Path faststart;

  @BeforeAll
  static void makeMedia() throws Exception {
    plain = MediaFixtures.silentVideo(media, "plain.mp4", 3, null);
    faststart = media.resolve("long-faststart.mp4");
    MediaFixtures.ffmpeg("-f", "lavfi", "-i", "testsrc=s=320x240:r=15:d=20", "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv420p", "-movflags", "+faststart", faststart.toString());
  }

  private IngestException fail(Path file) {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    try (IngestPipeline p = new IngestPipeline(config, null, null, null, SubtitleSource.NONE)) {
      IngestException e = catchThrowableOfType(IngestException.class, () -> p.ingest(file, ProgressListener.NONE));
      assertThat(e).as("ingest of " + file + " must fail").isNotNull();
      assertThat(p.store().list()).isEmpty();
      assertNothingWritten();
      return e;
    }
  }

  private void assertNothingWritten() {
    Path records = data.resolve("records");
    try (Stream<Path> all = Files.walk(records)) {
      assertThat(all.filter(p -> !p.equals(records) && !p.equals(records.resolve(".staging"))).toList())
          .as("records directory after a failed ingest").isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void missingFile() {
    IngestException e = fail(media.resolve("nope.mp4"));
    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(e.getMessage()).startsWith("file not found: ").contains("nope.mp4");
  }

  @Test
  void aFileNameWithNewlinesAndTerminalEscapesGivesOneLine() throws IOException {
    // the old message quoted the path raw: "file is empty: /x/a" on one line, "\e[2Jforged: ok" on the next
    Path f = Files.createFile(media.resolve("a\n\u001b[2Jforged: ok.mp4"));
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.EMPTY);
    assertThat(e.getMessage()).contains("a\\n\\u001b[2Jforged: ok.mp4").doesNotContain("\n", "\u001b");
  }

  @Test
  void directoryIsUnreadable() {
    IngestException e = fail(media);
    assertThat(e.kind()).isEqualTo(Kind.UNREADABLE);
    assertThat(e.getMessage()).contains("is a directory");
  }

  @Test
  void emptyFile() throws IOException {
    Path f = Files.createFile(media.resolve("empty.mp4"));
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.EMPTY);
    assertThat(e.getMessage()).isEqualTo("file is empty: " + f);
  }

  @Test
  void textFileIsNotAVideo() throws IOException {
    Path f = Files.writeString(media.resolve("notes.txt"), "Meeting notes\nbuy milk\n".repeat(50), StandardCharsets.UTF_8);
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.NOT_MEDIA);
    assertThat(e.getMessage()).startsWith("not a video: " + f).contains("no audio or video stream");
  }

  @Test
  void binaryJunkIsNotAVideo() throws IOException {
    byte[] junk = new byte[50_000];
    new java.util.Random(7).nextBytes(junk);
    Path f = Files.write(media.resolve("junk.mp4"), junk);
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.NOT_MEDIA);
  }

  @Test
  void stillImageIsNotAVideo() throws Exception {
    Path png = media.resolve("still.png");
    MediaFixtures.ffmpeg("-f", "lavfi", "-i", "testsrc=s=64x64:d=1", "-frames:v", "1", png.toString());
    IngestException e = fail(png);
    assertThat(e.kind()).isEqualTo(Kind.NOT_MEDIA);
    assertThat(e.getMessage()).contains("still image");
  }

  @Test
  void mp4CutBeforeItsIndexIsCorrupt() throws IOException {
    Path f = MediaFixtures.truncated(plain, media, "cut.mp4", Files.size(plain) / 2);
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
    assertThat(e.getMessage()).startsWith("truncated or corrupt file: " + f).contains("MP4");
  }

  @Test
  void mp4CutInTheMiddleOfItsFramesIsCorrupt() throws IOException {
    Path f = MediaFixtures.truncated(faststart, media, "cut-faststart.mp4", Files.size(faststart) * 4 / 10);
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
    assertThat(e.getMessage()).startsWith("truncated or corrupt file: " + f).contains("decoding stopped at");
  }

  @Test
  void unknownCodecIsUnsupported() throws IOException {
    byte[] b = Files.readAllBytes(plain);
    for (int i = 0; i + 4 <= b.length; i++) {
      if (b[i] == 'a' && b[i + 1] == 'v' && b[i + 2] == 'c' && b[i + 3] == '1') {
        b[i] = 'z';
        b[i + 1] = 'z';
        b[i + 2] = 'z';
        b[i + 3] = 'z';
      }
    }
    Path f = Files.write(media.resolve("zzzz.mp4"), b);
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_CODEC);
    assertThat(e.getMessage()).startsWith("unsupported codec: " + f).contains("zzzz");
  }

  @Test
  void zeroDuration() throws Exception {
    Path f = media.resolve("zero.wav");
    MediaFixtures.ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0", f.toString());
    IngestException e = fail(f);
    assertThat(e.kind()).isEqualTo(Kind.ZERO_DURATION);
    assertThat(e.getMessage()).startsWith("zero duration: " + f);
  }

  @Test
  void hugeFramesAreRejectedBeforeDecoding() {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none", "LONGSHOT_INGEST_MAX_FRAME_PIXELS", "4096");
    try (IngestPipeline p = new IngestPipeline(config, null, null, null, SubtitleSource.NONE)) {
      IngestException e = catchThrowableOfType(IngestException.class, () -> p.ingest(plain, ProgressListener.NONE));
      assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
      assertThat(e.getMessage()).isEqualTo("frame size 320x240 of " + plain + " exceeds ingest.max-frame-pixels (4096 pixels)");
    }
    assertNothingWritten();
  }

  @Test
  void aHeaderClaimingGiganticFramesIsRefusedBeforeAnyFrameIsAllocated() throws IOException {
    // a 60-byte YUV4MPEG2 file whose header claims 60000x60000 frames (3.6 gigapixels, 5.4 GB a frame)
    Path f = Files.write(media.resolve("giant.y4m"),
        "YUV4MPEG2 W60000 H60000 F25:1 Ip A1:1 C420jpeg\nFRAME\nxxxx".getBytes(StandardCharsets.US_ASCII));
    IngestException e = fail(f);
    assertThat(e.kind()).isIn(Kind.TOO_LARGE, Kind.CORRUPT, Kind.NOT_MEDIA);
    assertThat(e.getMessage()).contains(f.toString()).doesNotContain("\n");
  }

  @Test
  void aSampleTableClaimingYearsIsRefusedBeforeAnythingIsWritten() throws IOException {
    // the 3-second clip with its time-to-sample table (stts) saying each frame lasts 2^31-1 ticks (39 hours at
    // x264's 15360 Hz): FFmpeg ignores a lying movie header (mvhd) but takes the stream's duration from this table
    byte[] b = Files.readAllBytes(plain);
    int stts = indexOf(b, "stts".getBytes(StandardCharsets.US_ASCII));
    assertThat(stts).as("stts box").isPositive();
    ByteBuffer table = ByteBuffer.wrap(b);
    int entries = table.getInt(stts + 8);
    for (int i = 0; i < entries; i++) {
      table.putInt(stts + 12 + 8 * i + 4, Integer.MAX_VALUE);
    }
    Path f = Files.write(media.resolve("decades.mp4"), b);
    IngestException e = fail(f);
    // refused at the probe (FFmpeg's sanity checks call the timestamps corrupt) or by ingest.max-duration
    assertThat(e.kind()).isIn(Kind.TOO_LARGE, Kind.CORRUPT);
    assertThat(e.getMessage()).contains("decades.mp4").doesNotContain("\n");
  }

  @Test
  void aVideoLongerThanTheDurationLimitIsRefusedBeforeDecoding() {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none", "LONGSHOT_INGEST_MAX_DURATION", "2s");
    try (IngestPipeline p = new IngestPipeline(config, null, null, null, SubtitleSource.NONE)) {
      IngestException e = catchThrowableOfType(IngestException.class, () -> p.ingest(plain, ProgressListener.NONE));
      assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
      assertThat(e.getMessage()).isEqualTo("plain.mp4 lasts 0:03, longer than the limit of 0:02 (ingest.max-duration)");
    }
    assertNothingWritten();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aHostileFileUnderTheNameOfAnIngestedVideoLosesNothing() throws Exception {
    // the good video is ingested, then its file is replaced by a truncated copy, an empty file and a giant header:
    // each ingest fails with one line and the good video's record stays whole
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    Path dir = Files.createDirectories(data.resolve("videos"));
    Path video = Files.copy(plain, dir.resolve("talk.mp4"));
    try (IngestPipeline p = new IngestPipeline(config, null, null, null, SubtitleSource.NONE)) {
      p.ingest(video, ProgressListener.NONE);
      List<Path> before = recordFiles();
      assertThat(p.store().list()).hasSize(1);
      byte[] good = Files.readAllBytes(video);
      for (byte[] hostile : List.of(Arrays.copyOf(good, good.length / 3), new byte[0],
          "YUV4MPEG2 W60000 H60000 F25:1 C420jpeg\nFRAME\n".getBytes(StandardCharsets.US_ASCII))) {
        Files.write(video, hostile);
        IngestException e = catchThrowableOfType(IngestException.class, () -> p.ingest(video, ProgressListener.NONE));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n");
        assertThat(p.store().list()).hasSize(1);
        assertThat(recordFiles()).isEqualTo(before);
      }
    }
  }

  private List<Path> recordFiles() throws IOException {
    try (Stream<Path> all = Files.walk(data.resolve("records"))) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
