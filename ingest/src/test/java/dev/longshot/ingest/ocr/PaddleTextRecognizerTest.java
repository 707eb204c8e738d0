package dev.longshot.ingest.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.config.ConfigChoice;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.config.OcrBackend;
import dev.longshot.config.OcrSettings;
import dev.longshot.ingest.IngestPipeline;
import dev.longshot.ingest.IngestResult;
import dev.longshot.ingest.MediaFixtures;
import dev.longshot.ingest.asr.SpeechFixtures;
import dev.longshot.timeline.BoundingBox;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PP-OCRv4 backend on real inputs: frames of the sample lecture, words drawn over Debian's darknet photos, and
 * broken model directories. Needs the models from {@code setup/fetch-models.sh} (bin/longshot test fetches them).
 */
class PaddleTextRecognizerTest {
  private static PaddleTextRecognizer paddle;

  @BeforeAll
  static void load() {
    Path dir = PaddleTextRecognizer.defaultModelDir(System.getenv());
    assertThat(dir.resolve(PaddleTextRecognizer.DET_MODEL))
        .as("PP-OCRv4 models missing in %s: run setup/fetch-models.sh (bin/longshot test does)", dir).isRegularFile();
    paddle = (PaddleTextRecognizer) TextRecognizers.create(new OcrSettings(OcrBackend.PADDLE, null, "eng", 60, null))
        .orElseThrow();
  }

  @AfterAll
  static void close() {
    if (paddle != null) {
      paddle.close();
    }
  }

  @Test
  void readsEverySlideOfTheLecture(@TempDir Path tmp) throws Exception {
    JsonNode truth = SpeechFixtures.truth();
    long edits = 0;
    long chars = 0;
    for (JsonNode slide : truth.get("slides")) {
      double mid = (slide.get("start").asDouble() + slide.get("end").asDouble()) / 2;
      BufferedImage frame = lectureFrame(tmp, mid);
      // through the pipeline's entry point: paddle gets the colour frame as it is
      List<TextLine> lines = OcrPreprocessor.read(paddle, frame);
      List<String> expected = new ArrayList<>();
      expected.add(slide.get("title").asText());
      slide.get("lines").forEach(l -> expected.add(l.asText()));
      assertThat(lines).as("slide %s", expected.getFirst()).hasSize(expected.size());
      assertThat(TextSimilarity.normalize(lines.getFirst().text()))
          .isEqualTo(TextSimilarity.normalize(expected.getFirst()));
      for (int i = 0; i < expected.size(); i++) {
        String ref = TextSimilarity.normalize(expected.get(i));
        edits += TextSimilarity.levenshtein(ref, TextSimilarity.normalize(lines.get(i).text()));
        chars += ref.length();
        assertThat(TextSimilarity.similarity(expected.get(i), lines.get(i).text())).as("line %s", expected.get(i))
            .isGreaterThanOrEqualTo(0.9);
      }
      assertTopToBottomWithWordsLeftToRight(lines);
    }
    assertThat((double) edits / chars).as("character error rate over all slides").isLessThan(0.02);
  }

  @Test
  void wordBoxesCoverTheirWordsOnTheSlide(@TempDir Path tmp) throws Exception {
    List<TextLine> lines = paddle.recognize(lectureFrame(tmp, 30)); // Budget Overview
    BoundingBox budget = lines.getFirst().words().getFirst();
    BoundingBox overview = lines.getFirst().words().get(1);
    assertThat(budget.label()).isEqualTo("Budget");
    assertThat(overview.label()).isEqualTo("Overview");
    assertThat(budget.x() + budget.width()).isLessThanOrEqualTo(overview.x() + 0.01);
    // the title is centred in the upper fifth of the 854x480 slide, "Budget" takes a bit under half of it
    assertThat(budget.y()).isBetween(0.05, 0.2);
    assertThat(budget.height()).isBetween(0.04, 0.15);
    assertThat(budget.width() / (overview.x() + overview.width() - budget.x())).isBetween(0.35, 0.55);
    assertThat(budget.confidence()).isGreaterThan(0.9);
  }

  @Test
  void readsSceneTextOnPhotosInColourRotatedAndFaint() {
    List<SceneTextImages.Sample> samples = SceneTextImages.generate(7, 12);
    int read = 0;
    double cer = 0;
    Map<SceneTextImages.Style, Integer> perStyle = new java.util.EnumMap<>(SceneTextImages.Style.class);
    for (SceneTextImages.Sample s : samples) {
      Reading r = readScene(s);
      cer += r.cer();
      if (r.allWords()) {
        read++;
        perStyle.merge(s.style(), 1, Integer::sum);
      }
    }
    // measured: 9 of 12 read completely, mean character error rate 0.063 (Tesseract: 2 of 12, 0.83)
    assertThat(read).as("images whose words were all read").isGreaterThanOrEqualTo(8);
    assertThat(cer / samples.size()).as("mean character error rate").isLessThan(0.12);
    assertThat(perStyle).containsOnlyKeys(SceneTextImages.Style.values());
  }

  @Test
  void anIngestWithThePaddleBackendHasTheSlidesAsOcrSpans(@TempDir Path tmp) throws Exception {
    Path clip = MediaFixtures.slides(tmp); // 12 s: 3 slides, black text on white
    LongshotConfig config = ConfigLoader.load(null, Map.of("HOME", System.getProperty("user.home"),
        "LONGSHOT_DATA_DIR", tmp.resolve("data").toString(), "LONGSHOT_ASR_BACKEND", "none",
        "LONGSHOT_DETECTOR_BACKEND", "none", "LONGSHOT_OCR_BACKEND", "paddle"));
    try (IngestPipeline p = IngestPipeline.create(config)) {
      IngestResult r = p.ingest(clip, progress -> { });
      List<Segment> ocr = p.store().segments(r.manifest().videoId()).stream()
          .filter(seg -> seg.modality() == Modality.OCR).toList();
      assertThat(ocr).hasSize(3);
      assertThat(ocr.get(0).text()).isEqualTo("Project Heron\nRiver monitoring lecture");
      assertThat(ocr.get(1).text()).isEqualTo("Budget Overview\nTotal budget 4.2 million euros");
      assertThat(ocr.get(2).text())
          .isEqualTo("Budget Overview\nTotal budget 4.2 million euros\nSensors 1.5 million euros");
      assertThat(ocr.get(1).startMillis()).isBetween(3_900L, 4_600L);
      assertThat(ocr.get(2).startMillis()).isBetween(7_900L, 8_600L);
      assertThat(ocr).allSatisfy(seg -> assertThat(seg.confidence()).isGreaterThan(0.9));
    }
  }

  @Test
  void verticalTextReadingDownwardsIsTurnedAndItsWordBoxesRunDown() {
    BufferedImage img = museumShop(300, 500, new Color(20, 40, 160), 90); // reads top to bottom
    List<TextLine> lines = paddle.recognize(img);
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst().text()).isEqualTo("Museum Shop");
    BoundingBox museum = lines.getFirst().words().get(0);
    BoundingBox shop = lines.getFirst().words().get(1);
    // the text runs from y = 120 px down, about 20 px either side of x = 150 (0.5)
    assertThat(museum.y()).isBetween(0.2, 0.3);
    assertThat(museum.y() + museum.height()).isLessThanOrEqualTo(shop.y() + 0.01);
    assertThat(shop.height()).isLessThan(museum.height());
    for (BoundingBox w : List.of(museum, shop)) {
      assertThat(w.height()).isGreaterThan(w.width());
      assertThat(w.centerX()).isBetween(0.45, 0.55);
    }
  }

  @Test
  void upsideDownLinesAreTurnedAndTheirWordBoxesRunRightToLeft() {
    BufferedImage img = museumShop(500, 200, new Color(150, 20, 20), 180);
    // the detector splits this line at the word gap; upside-down lines come out in their reading order
    List<BoundingBox> words = paddle.recognize(img).stream().flatMap(l -> l.words().stream()).toList();
    assertThat(words).extracting(BoundingBox::label).containsExactly("Museum", "Shop");
    BoundingBox museum = words.stream().filter(w -> w.label().equals("Museum")).findFirst().orElseThrow();
    BoundingBox shop = words.stream().filter(w -> w.label().equals("Shop")).findFirst().orElseThrow();
    // upside down, the text runs leftwards from x = 380 px of 500: "Museum" on the right, "Shop" on the left
    assertThat(shop.x() + shop.width()).isLessThanOrEqualTo(museum.x() + 0.01);
    assertThat(museum.x() + museum.width()).isBetween(0.7, 0.8);
    assertThat(shop.x()).isBetween(0.1, 0.25);
    assertThat(shop.width()).isLessThan(museum.width());
    for (BoundingBox w : List.of(museum, shop)) {
      assertThat(w.centerY()).isBetween(0.4, 0.6);
      assertThat(w.confidence()).isGreaterThan(0.8);
    }
  }

  @Test
  void verticalTextReadingUpwardsIsTurnedAndItsWordBoxesRunUp() {
    BufferedImage img = museumShop(300, 500, new Color(20, 110, 40), -90); // reads bottom to top
    List<TextLine> lines = paddle.recognize(img);
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst().text()).isEqualTo("Museum Shop");
    BoundingBox museum = lines.getFirst().words().get(0);
    BoundingBox shop = lines.getFirst().words().get(1);
    // the text runs from y = 380 px up, about 20 px either side of x = 150 (0.5)
    assertThat(museum.y() + museum.height()).isBetween(0.7, 0.8);
    assertThat(shop.y() + shop.height()).isLessThanOrEqualTo(museum.y() + 0.01);
    for (BoundingBox w : List.of(museum, shop)) {
      assertThat(w.height()).isGreaterThan(w.width());
      assertThat(w.centerX()).isBetween(0.45, 0.55);
    }
  }

  @Test
  void upsideDownSceneTextOnPhotosIsRead() {
    List<SceneTextImages.Sample> upright = SceneTextImages.generate(7, 12);
    List<SceneTextImages.Sample> flipped = SceneTextImages.generate(7, 12, true);
    double cerFlipped = 0;
    int read = 0;
    for (int i = 0; i < flipped.size(); i++) {
      SceneTextImages.Sample s = flipped.get(i);
      assertThat(s.text()).isEqualTo(upright.get(i).text());
      Reading r = readScene(s);
      cerFlipped += r.cer();
      if (r.allWords()) {
        read++;
      }
    }
    // measured: 5 of 12 read completely, mean character error rate 0.34 (the same images upright: 9 of 12, 0.063;
    // without the angle classifier the upside-down words came out as garbage)
    assertThat(read).as("upside-down images whose words were all read").isGreaterThanOrEqualTo(4);
    assertThat(cerFlipped / flipped.size()).as("mean character error rate upside down").isLessThan(0.45);
  }

  @Test
  void photosWithoutTextGiveNothing() {
    assertThat(paddle.recognize(SceneTextImages.photo("dog.jpg"))).isEmpty();
    assertThat(paddle.recognize(SceneTextImages.photo("giraffe.jpg"))).isEmpty();
  }

  @Test
  void tinyFramesAreReadWithoutACrash() {
    for (int[] size : new int[][] {{1, 1}, {7, 3}, {3, 200}, {500, 9}, {31, 33}}) {
      BufferedImage img = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
      assertThat(paddle.recognize(img)).as("%dx%d", size[0], size[1]).isEmpty();
    }
    // a small image with real text: 160x40 px
    BufferedImage small = new BufferedImage(160, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 160, 40);
    g.setColor(Color.BLACK);
    g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 24));
    g.drawString("Hello 42", 10, 29);
    g.dispose();
    assertThat(String.join(" ", paddle.recognize(small).stream().map(TextLine::text).toList())).isEqualTo("Hello 42");
  }

  @Test
  void hugeFramesAreScaledDownAndStillRead(@TempDir Path tmp) throws Exception {
    BufferedImage slide = lectureFrame(tmp, 110); // First Results
    BufferedImage huge = new BufferedImage(slide.getWidth() * 7, slide.getHeight() * 7, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = huge.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(slide, 0, 0, huge.getWidth(), huge.getHeight(), null);
    g.dispose();
    List<TextLine> lines = paddle.recognize(huge); // 5978x3360
    assertThat(lines).hasSize(4);
    assertThat(lines.getFirst().text()).isEqualTo("First Results");
    BoundingBox first = lines.getFirst().words().getFirst();
    assertThat(first.y()).isBetween(0.05, 0.2); // normalised to the frame, whatever its size
  }

  @Test
  void registryNamesPaddleAndItRejectsUseAfterClose() {
    assertThat(ConfigChoice.configNames(OcrBackend.class)).containsExactly("tesseract", "paddle", "none");
    Path dir = PaddleTextRecognizer.defaultModelDir(System.getenv());
    PaddleTextRecognizer own = (PaddleTextRecognizer) TextRecognizers.create(
        new OcrSettings(OcrBackend.PADDLE, null, "eng", 60, dir)).orElseThrow();
    assertThat(own.name()).isEqualTo("paddle");
    assertThat(own.readsFramesAsTheyAre()).isTrue();
    own.close();
    own.close();
    assertThatThrownBy(() -> own.recognize(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void defaultModelDirFollowsTheFetchScript() {
    assertThat(PaddleTextRecognizer.defaultModelDir(Map.of("HOME", "/home/u")))
        .isEqualTo(Path.of("/home/u/.cache/longshot/models/ppocr-v4"));
    assertThat(PaddleTextRecognizer.defaultModelDir(Map.of("HOME", "/home/u", "LONGSHOT_MODELS_DIR", "/models")))
        .isEqualTo(Path.of("/models/ppocr-v4"));
  }

  @Test
  void missingModelDirectoryNamesThePathAndTheFetchScript(@TempDir Path tmp) {
    Path missing = tmp.resolve("nowhere");
    assertThatThrownBy(() -> new PaddleTextRecognizer(new OcrSettings(OcrBackend.PADDLE, null, "eng", 60, missing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.resolve(PaddleTextRecognizer.DET_MODEL).toString())
        .hasMessageContaining("setup/fetch-models.sh")
        .hasMessageContaining("ocr.paddle-model-dir");
  }

  @Test
  void corruptOrMismatchedModelFilesAreReportedWithTheirPath(@TempDir Path tmp) throws IOException {
    Path models = PaddleTextRecognizer.defaultModelDir(System.getenv());
    Path copy = Files.createDirectory(tmp.resolve("ppocr"));
    for (String f : List.of(PaddleTextRecognizer.DET_MODEL, PaddleTextRecognizer.REC_MODEL,
        PaddleTextRecognizer.CLS_MODEL, PaddleTextRecognizer.KEYS)) {
      Files.copy(models.resolve(f), copy.resolve(f));
    }
    // a download cut short: the first 100 kB of the recognition model
    byte[] rec = Files.readAllBytes(models.resolve(PaddleTextRecognizer.REC_MODEL));
    Files.write(copy.resolve(PaddleTextRecognizer.REC_MODEL), java.util.Arrays.copyOf(rec, 100_000));
    assertThatThrownBy(() -> new PaddleTextRecognizer(copy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(copy.resolve(PaddleTextRecognizer.REC_MODEL).toString())
        .hasMessageContaining("setup/fetch-models.sh");
    // random bytes as the detection model
    Files.write(copy.resolve(PaddleTextRecognizer.REC_MODEL), rec);
    byte[] noise = new byte[50_000];
    new java.util.Random(1).nextBytes(noise);
    Files.write(copy.resolve(PaddleTextRecognizer.DET_MODEL), noise);
    assertThatThrownBy(() -> new PaddleTextRecognizer(copy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(copy.resolve(PaddleTextRecognizer.DET_MODEL).toString());
    // the angle classifier cut short, then missing
    Files.copy(models.resolve(PaddleTextRecognizer.DET_MODEL), copy.resolve(PaddleTextRecognizer.DET_MODEL),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    byte[] cls = Files.readAllBytes(models.resolve(PaddleTextRecognizer.CLS_MODEL));
    Files.write(copy.resolve(PaddleTextRecognizer.CLS_MODEL), java.util.Arrays.copyOf(cls, cls.length / 2));
    assertThatThrownBy(() -> new PaddleTextRecognizer(copy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(copy.resolve(PaddleTextRecognizer.CLS_MODEL).toString())
        .hasMessageContaining("setup/fetch-models.sh");
    Files.delete(copy.resolve(PaddleTextRecognizer.CLS_MODEL));
    assertThatThrownBy(() -> new PaddleTextRecognizer(copy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not found: " + copy.resolve(PaddleTextRecognizer.CLS_MODEL))
        .hasMessageContaining("setup/fetch-models.sh");
    Files.write(copy.resolve(PaddleTextRecognizer.CLS_MODEL), cls);
    // the recognition model where the angle classifier belongs: its output is not [batch, 2]
    Files.copy(models.resolve(PaddleTextRecognizer.REC_MODEL), copy.resolve(PaddleTextRecognizer.CLS_MODEL),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> new PaddleTextRecognizer(copy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(copy.resolve(PaddleTextRecognizer.CLS_MODEL).toString())
        .hasMessageContaining("expected [batch, 2]");
    Files.write(copy.resolve(PaddleTextRecognizer.CLS_MODEL), cls);
    // a character list that does not belong to the model
    Files.writeString(copy.resolve(PaddleTextRecognizer.KEYS), "a\nb\nc\n");
    assertThatThrownBy(() -> new PaddleTextRecognizer(copy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(copy.resolve(PaddleTextRecognizer.KEYS).toString())
        .hasMessageContaining("6625 classes");
  }

  /** "Museum Shop" in bold 40 px sans serif, centred on a white {@code w} x {@code h} image, turned {@code degrees}. */
  private static BufferedImage museumShop(int w, int h, Color colour, int degrees) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(colour);
    g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 40));
    g.translate(w / 2, h / 2);
    g.rotate(Math.toRadians(degrees));
    g.drawString("Museum Shop", -130, 14);
    g.dispose();
    return img;
  }

  /** What paddle made of one scene image: its character error rate, and whether every drawn word was read. */
  private record Reading(double cer, boolean allWords) {}

  /**
   * Reads {@code s} as the pipeline does; when all its words were read, also checks that each word box lies where
   * the word was drawn.
   */
  private static Reading readScene(SceneTextImages.Sample s) {
    List<TextLine> lines = OcrPreprocessor.read(paddle, s.image());
    String all = String.join(" ", lines.stream().map(TextLine::text).toList());
    String flat = all.toLowerCase(Locale.ROOT).replace(" ", "");
    boolean allWords = Stream.of(s.text().toLowerCase(Locale.ROOT).split(" ")).allMatch(flat::contains);
    if (allWords) {
      for (TextLine line : lines) {
        for (BoundingBox w : line.words()) {
          String word = w.label().toLowerCase(Locale.ROOT);
          if (word.length() > 2 && s.text().toLowerCase(Locale.ROOT).contains(word)) {
            assertThat(s.region().contains(w.x() + w.width() / 2, w.y() + w.height() / 2))
                .as("%s: box of %s %s inside %s", s.name(), w.label(), w, s.region()).isTrue();
          }
        }
      }
    }
    return new Reading(TextSimilarity.characterErrorRate(s.text(), all), allWords);
  }

  private static void assertTopToBottomWithWordsLeftToRight(List<TextLine> lines) {
    double previousTop = -1;
    for (TextLine line : lines) {
      double top = line.words().stream().mapToDouble(BoundingBox::y).min().orElseThrow();
      assertThat(top).isGreaterThan(previousTop);
      previousTop = top;
      for (int i = 1; i < line.words().size(); i++) {
        assertThat(line.words().get(i).x()).isGreaterThan(line.words().get(i - 1).x());
      }
      for (BoundingBox w : line.words()) {
        assertThat(w.confidence()).isBetween(0.0, 1.0);
        assertThat(w.x() + w.width()).isLessThanOrEqualTo(1.0);
        assertThat(w.y() + w.height()).isLessThanOrEqualTo(1.0);
      }
    }
  }

  static BufferedImage lectureFrame(Path dir, double second) throws Exception {
    Path png = dir.resolve(String.format(Locale.ROOT, "frame%.1f.png", second));
    MediaFixtures.ffmpeg("-ss", String.format(Locale.ROOT, "%.2f", second), "-i",
        SpeechFixtures.sampleMedia().resolve("lecture.mp4").toString(), "-frames:v", "1", png.toString());
    return ImageIO.read(png.toFile());
  }
}
