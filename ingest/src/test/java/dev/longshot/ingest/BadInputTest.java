package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestException.Kind;
import dev.longshot.timeline.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
