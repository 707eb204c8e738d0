package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.asr.PocketSphinxSpeechRecognizer;
import dev.longshot.ingest.asr.SpeechFixtures;
import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.ingest.asr.Transcription;
import dev.longshot.ingest.detect.Detection;
import dev.longshot.ingest.detect.ObjectDetector;
import dev.longshot.ingest.ocr.TextRecognizers;
import dev.longshot.ingest.subtitle.SubtitleTrack;
import dev.longshot.timeline.BoundingBox;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on small generated clips, with real Tesseract and fake ASR / detection / subtitle backends. */
class IngestPipelineTest {
  @TempDir static Path media;
  @TempDir Path data;
  static Path slides;

  @BeforeAll
  static void makeMedia() throws Exception {
    slides = MediaFixtures.slides(media);
  }

  private IngestPipeline tesseract(LongshotConfig config, SpeechRecognizer asr, ObjectDetector det, SubtitleSource subs) {
    return new IngestPipeline(config, TextRecognizers.create(config.ocr()).orElseThrow(), asr, det, subs);
  }

  /** Issue 14: a file without an audio stream must not pay for loading a speech decoder (~0.8 CPU s cold). */
  @Test
  void aVideoWithoutAudioLoadsNoSpeechDecoder() throws Exception {
    Path quiet = MediaFixtures.silentVideo(media, "no-audio.mp4", 2, null);
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_ASR_BACKEND", "pocketsphinx", "LONGSHOT_OCR_BACKEND", "none");
    try (IngestPipeline p = IngestPipeline.create(config)) {
      IngestResult r = p.ingest(quiet, u -> {});
      assertThat(r.manifest().hasAudio()).isFalse();
      assertThat(((PocketSphinxSpeechRecognizer) p.speechRecognizer()).decodersLoaded()).isZero();
    }
  }

  @Test
  void slidesBecomeOcrSpansWithKeyframesAndAnAtomicRecord() throws Exception {
    LongshotConfig config = TestConfigs.config(data);
    List<Progress> updates = Collections.synchronizedList(new ArrayList<>());
    try (IngestPipeline p = tesseract(config, null, null, SubtitleSource.NONE)) {
      IngestResult r = p.ingest(slides, updates::add);
      assertThat(r.unchanged()).isFalse();
      VideoManifest m = r.manifest();
      assertThat(m.width()).isEqualTo(640);
      assertThat(m.height()).isEqualTo(360);
      assertThat(m.durationMillis()).isBetween(11_900L, 12_200L);
      assertThat(m.hasAudio()).isTrue();
      assertThat(m.transcriptSource()).isEqualTo("none");
      assertThat(m.stageMillis()).containsKeys("probe", "decode", "ocr", "asr", "write");

      List<Segment> ocr = p.store().segments(m.videoId()).stream().filter(s -> s.modality() == Modality.OCR).toList();
      assertThat(ocr).hasSize(3);
      assertThat(ocr.get(0).text()).contains("Project Heron").contains("River monitoring lecture");
      assertThat(ocr.get(0).startMillis()).isLessThan(500);
      assertThat(ocr.get(0).endMillis()).isBetween(3_900L, 4_600L);
      assertThat(ocr.get(1).text()).contains("Budget Overview").contains("4.2 million euros").doesNotContain("Sensors");
      assertThat(ocr.get(1).startMillis()).isBetween(3_900L, 4_600L);
      assertThat(ocr.get(2).text()).contains("Sensors 1.5 million euros");
      assertThat(ocr.get(2).startMillis()).isBetween(7_900L, 8_600L);
      assertThat(ocr.get(2).endMillis()).isEqualTo(m.durationMillis());
      for (Segment s : ocr) {
        assertThat(s.confidence()).isGreaterThan(0.6);
        assertThat(s.boxes()).isNotEmpty().allSatisfy(b -> {
          assertThat(b.x()).isBetween(0.0, 1.0);
          assertThat(b.y()).isBetween(0.0, 1.0);
          assertThat(b.label()).isNotBlank();
        });
        assertThat(p.store().keyframe(m.videoId(), s.keyframe())).as("keyframe of " + s).isPresent();
      }
      BoundingBox budget = ocr.get(1).boxes().stream().filter(b -> b.label().equals("Budget")).findFirst().orElseThrow();
      assertThat(budget.x()).isBetween(0.04, 0.10); // drawn at x=40 of 640
      assertThat(budget.y()).isBetween(0.14, 0.24); // y=60 of 360

      // keyframes: named by time, bounded size, few (3 slides, not 12 s x fps)
      Path kf = p.store().root().resolve(m.videoId()).resolve(RecordStore.KEYFRAMES);
      try (var files = Files.list(kf)) {
        List<Path> jpgs = files.toList();
        assertThat(jpgs).hasSize(m.keyframeCount()).hasSizeBetween(3, 8);
        for (Path j : jpgs) {
          BufferedImage img = ImageIO.read(j.toFile());
          assertThat(Math.max(img.getWidth(), img.getHeight())).isLessThanOrEqualTo(config.ingest().keyframeMaxSide());
        }
      }
    }
    // progress: the four stages in order, fractions never go back, ends at 100 %
    List<String> stages = updates.stream().map(Progress::stage).distinct().toList();
    assertThat(stages).containsExactly("probe", "decode", "asr", "write");
    for (int i = 1; i < updates.size(); i++) {
      assertThat(updates.get(i).fraction()).isGreaterThanOrEqualTo(updates.get(i - 1).fraction());
    }
    assertThat(updates.get(updates.size() - 1).fraction()).isEqualTo(1.0);
  }

  /** Review of session 5: a broken speech model folder must stop start-up with one line, before any work. */
  @Test
  void aBrokenSpeechModelFolderFailsAtStartUpAndLosesNothing() throws Exception {
    Path model = media.resolve("broken-model");
    Path installed = Path.of("/usr/share/pocketsphinx/model/en-us");
    Files.createDirectories(model.resolve("en-us"));
    try (var files = Files.walk(installed)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.createSymbolicLink(model.resolve(installed.relativize(f).toString()), f);
      }
    }
    Files.delete(model.resolve("en-us.lm.bin"));
    Files.write(model.resolve("en-us.lm.bin"), java.util.Arrays.copyOf(Files.readAllBytes(installed.resolve("en-us.lm.bin")), 100_000));
    LongshotConfig good = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    VideoManifest before;
    try (IngestPipeline p = new IngestPipeline(good, null, null, null, SubtitleSource.NONE)) {
      before = p.ingest(slides, ProgressListener.NONE).manifest();
    }
    LongshotConfig broken = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none", "LONGSHOT_ASR_BACKEND", "pocketsphinx",
        "LONGSHOT_ASR_POCKETSPHINX_MODEL_DIR", model.toString());
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class, () -> IngestPipeline.create(broken).close());
    assertThat(e).as("start-up refuses the folder").isNotNull();
    assertThat(e.getMessage()).contains(model.toString()).contains("en-us.lm.bin").doesNotContain("\n");
    try (IngestPipeline p = new IngestPipeline(good, null, null, null, SubtitleSource.NONE)) {
      assertThat(p.store().list()).containsExactly(before);
    }
  }

  /**
   * Review of session 5: a change of PocketSphinx's search settings (then a pipeline version bump) redid every
   * record, also those whose transcript came from subtitles or that have no audio. Only records PocketSphinx
   * transcribed depend on its settings.
   */
  @Test
  void pocketSphinxSettingsRedoOnlyTheRecordsPocketSphinxTranscribed() throws Exception {
    Path speech = media.resolve("speech.m4a");
    MediaFixtures.ffmpeg("-i", SpeechFixtures.librivox().get(0).wav().toString(), "-c:a", "aac", speech.toString());
    Path quiet = MediaFixtures.silentVideo(media, "quiet.mp4", 2, null);
    Path subbed = Files.copy(slides, media.resolve("subbed.mp4"));
    Files.writeString(media.resolve("subbed.srt"), "1\n00:00:01,000 --> 00:00:03,000\nWelcome to the lecture\n");
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    List<String> args = new ArrayList<>(PocketSphinxSpeechRecognizer.SEARCH_ARGS);
    try (IngestPipeline p = new IngestPipeline(config, null, new PocketSphinxSpeechRecognizer(config.asr(), args, 1),
        null, SubtitleSource.DEFAULT)) {
      assertThat(p.ingest(speech, ProgressListener.NONE).manifest().transcriptSource()).isEqualTo("asr:pocketsphinx");
      assertThat(p.ingest(quiet, ProgressListener.NONE).manifest().transcriptSource()).isEqualTo("none");
      assertThat(p.ingest(subbed, ProgressListener.NONE).manifest().transcriptSource()).isEqualTo("sidecar-srt");
    }
    args.set(args.indexOf("-lpbeam") + 1, "1e-31");
    try (IngestPipeline p = new IngestPipeline(config, null, new PocketSphinxSpeechRecognizer(config.asr(), args, 1),
        null, SubtitleSource.DEFAULT)) {
      assertThat(p.ingest(speech, ProgressListener.NONE).unchanged()).as("transcribed by PocketSphinx").isFalse();
      assertThat(p.ingest(quiet, ProgressListener.NONE).unchanged()).as("no audio").isTrue();
      assertThat(p.ingest(subbed, ProgressListener.NONE).unchanged()).as("subtitles").isTrue();
      assertThat(p.ingest(speech, ProgressListener.NONE).unchanged()).as("redone with these settings").isTrue();
    }
  }

  @Test
  void rerunIsANoOpUnlessSettingsChange() throws Exception {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    VideoManifest first;
    try (IngestPipeline p = new IngestPipeline(config, null, null, null, SubtitleSource.NONE)) {
      first = p.ingest(slides, ProgressListener.NONE).manifest();
      List<Progress> updates = new ArrayList<>();
      IngestResult again = p.ingest(slides, updates::add);
      assertThat(again.unchanged()).isTrue();
      assertThat(again.manifest()).isEqualTo(first);
      assertThat(updates.get(updates.size() - 1).fraction()).isEqualTo(1.0);
    }
    LongshotConfig changed = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none", "LONGSHOT_INGEST_SAMPLE_FPS", "1");
    try (IngestPipeline p = new IngestPipeline(changed, null, null, null, SubtitleSource.NONE)) {
      IngestResult redo = p.ingest(slides, ProgressListener.NONE);
      assertThat(redo.unchanged()).isFalse();
      assertThat(redo.manifest().videoId()).isEqualTo(first.videoId());
      assertThat(redo.manifest().settingsFingerprint()).isNotEqualTo(first.settingsFingerprint());
      assertThat(p.store().list()).hasSize(1);
    }
  }

  @Test
  void audioIsStreamedToAsrAs16kHzMonoFromTimeZero() throws Exception {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    FakeAsr asr = new FakeAsr();
    try (IngestPipeline p = new IngestPipeline(config, null, asr, null, SubtitleSource.NONE)) {
      VideoManifest m = p.ingest(slides, ProgressListener.NONE).manifest();
      assertThat(m.transcriptSource()).isEqualTo("asr:fake");
      // 12 s at 16 kHz (AAC priming and padding allow a little slack)
      assertThat(asr.samples.get()).isBetween(16_000L * 12 - 4_000, 16_000L * 12 + 4_000);
      assertThat(asr.peak.get()).as("a 440 Hz tone, not silence").isGreaterThan(3_000);
      List<Segment> asrSegments = p.store().segments(m.videoId()).stream().filter(s -> s.modality() == Modality.ASR).toList();
      assertThat(asrSegments).extracting(Segment::text).containsExactly("heard 12 seconds");
    }
    assertThat(asr.closedTranscriptions.get()).isEqualTo(1);
  }

  @Test
  void subtitlesWinOverAsr() throws Exception {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    FakeAsr asr = new FakeAsr();
    SubtitleSource subs = video -> Optional.of(new SubtitleTrack(SubtitleTrack.SIDECAR_SRT,
        List.of(Segment.of(Modality.SUBTITLE, 1_000, 3_000, "Welcome to the lecture"))));
    try (IngestPipeline p = new IngestPipeline(config, null, asr, null, subs)) {
      VideoManifest m = p.ingest(slides, ProgressListener.NONE).manifest();
      assertThat(m.transcriptSource()).isEqualTo("sidecar-srt");
      assertThat(asr.samples.get()).as("audio not decoded for ASR").isZero();
      assertThat(p.store().segments(m.videoId())).extracting(Segment::modality).containsOnly(Modality.SUBTITLE);
    }
  }

  @Test
  void detectionsBecomeDetSegmentsOnChangedKeyframes() throws Exception {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    AtomicLong calls = new AtomicLong();
    ObjectDetector det = new ObjectDetector() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public Set<String> classNames() {
        return Set.of("person");
      }

      @Override
      public List<Detection> detect(BufferedImage frame) {
        calls.incrementAndGet();
        return List.of(new Detection("person", 0.9, new BoundingBox(0.1, 0.2, 0.3, 0.4, "person", 0.9)));
      }

      @Override
      public void close() {}
    };
    try (IngestPipeline p = new IngestPipeline(config, null, null, det, SubtitleSource.NONE)) {
      VideoManifest m = p.ingest(slides, ProgressListener.NONE).manifest();
      List<Segment> dets = p.store().segments(m.videoId()).stream().filter(s -> s.modality() == Modality.DET).toList();
      assertThat(dets).hasSize(1); // same objects on every changed keyframe: one span
      assertThat(dets.get(0).text()).contains("person (1)");
      assertThat(dets.get(0).boxes()).singleElement().satisfies(b -> assertThat(b.label()).isEqualTo("person"));
      assertThat(dets.get(0).startMillis()).isZero();
      assertThat(dets.get(0).endMillis()).isEqualTo(m.durationMillis());
      assertThat(calls.get()).isBetween(3L, (long) m.keyframeCount());
    }
  }

  @Test
  void aFailingBackendLeavesThePreviousRecordIntact() throws Exception {
    LongshotConfig config = TestConfigs.config(data, "LONGSHOT_OCR_BACKEND", "none");
    VideoManifest before;
    try (IngestPipeline p = new IngestPipeline(config, null, null, null, SubtitleSource.NONE)) {
      before = p.ingest(slides, ProgressListener.NONE).manifest();
    }
    FakeAsr broken = new FakeAsr();
    broken.failAfterSamples = 16_000 * 5;
    try (IngestPipeline p = new IngestPipeline(config, null, broken, null, SubtitleSource.NONE)) {
      IngestException e = catchThrowableOfType(IngestException.class, () -> p.ingest(slides, ProgressListener.NONE));
      assertThat(e.kind()).isEqualTo(IngestException.Kind.INTERNAL);
      assertThat(e.getMessage()).contains("speech recognition failed").contains("decoder exploded");
      assertThat(p.store().manifest(before.videoId())).contains(before);
      try (var staging = Files.list(p.store().root().resolve(".staging"))) {
        assertThat(staging.toList()).isEmpty();
      }
    }
  }

  /** Counts the PCM it is fed; its transcript is one segment saying how long the audio was. */
  static final class FakeAsr implements SpeechRecognizer {
    final AtomicLong samples = new AtomicLong();
    final AtomicLong peak = new AtomicLong();
    final AtomicLong closedTranscriptions = new AtomicLong();
    long failAfterSamples = Long.MAX_VALUE;

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public Transcription begin() {
      return new Transcription() {
        @Override
        public void accept(short[] pcm, int length) {
          for (int i = 0; i < length; i++) {
            peak.accumulateAndGet(Math.abs(pcm[i]), Math::max);
          }
          if (samples.addAndGet(length) > failAfterSamples) {
            throw new IllegalStateException("decoder exploded");
          }
        }

        @Override
        public List<Segment> finish() {
          long s = samples.get();
          return List.of(Segment.of(Modality.ASR, 0, s / 16, "heard " + Math.round(s / 16_000.0) + " seconds"));
        }

        @Override
        public void close() {
          closedTranscriptions.incrementAndGet();
        }
      };
    }

    @Override
    public void close() {}
  }
}
