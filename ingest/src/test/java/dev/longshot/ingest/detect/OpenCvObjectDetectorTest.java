package dev.longshot.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import dev.longshot.ingest.asr.SpeechFixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenCV's classical detectors on real photos (Debian's darknet package) and on the generated lecture. */
class OpenCvObjectDetectorTest extends ObjectDetectorContractTest {
  static final Path PHOTOS = Path.of("/usr/share/darknet/data");
  static OpenCvObjectDetector detector;

  @BeforeAll
  static void load() {
    detector = new OpenCvObjectDetector(new DetectorSettings(DetectorBackend.OPENCV, null, MIN_CONFIDENCE, 0.5));
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  @Override
  ObjectDetector create() {
    return new OpenCvObjectDetector(new DetectorSettings(DetectorBackend.OPENCV, null, MIN_CONFIDENCE, 0.5));
  }

  static BufferedImage photo(String name) throws Exception {
    return ImageIO.read(PHOTOS.resolve(name).toFile());
  }

  /** person.jpg: a woman standing next to a horse with a dog in front; the HOG detector finds her, once. */
  @Test
  void findsThePersonInPersonJpg() throws Exception {
    List<Detection> found = detector.detect(photo("person.jpg"));
    List<Detection> people = found.stream().filter(d -> d.label().equals("person")).toList();
    assertThat(people).hasSize(1);
    // she stands in the left half of the frame and spans most of its height
    assertThat(people.getFirst().box().centerX()).isBetween(0.2, 0.5);
    assertThat(people.getFirst().box().height()).isGreaterThan(0.5);
    assertThat(DetectionText.describe(found)).startsWith("Objects: person (1).");
  }

  @Test
  void blankFrameGivesNothing() {
    assertThat(detector.detect(new BufferedImage(854, 480, BufferedImage.TYPE_3BYTE_BGR))).isEmpty();
  }

  /** Nothing nonsensical on frames with no people: animals, a slide, the moving shapes. */
  @Test
  void noPeopleOrFacesWhereThereAreNone(@TempDir Path dir) throws Exception {
    assertThat(detector.detect(photo("horses.jpg"))).isEmpty();
    assertThat(detector.detect(photo("giraffe.jpg"))).isEmpty();
    for (int second : new int[] {30, 160}) {
      assertThat(detector.detect(lectureFrame(dir, second))).as("lecture frame at %d s", second).isEmpty();
    }
  }

  static BufferedImage lectureFrame(Path dir, int second) throws Exception {
    Path png = dir.resolve("frame" + second + ".png");
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-ss", String.valueOf(second), "-i",
        SpeechFixtures.sampleMedia().resolve("lecture.mp4").toString(), "-frames:v", "1", png.toString())
        .inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0).isTrue();
    return ImageIO.read(png.toFile());
  }
}
