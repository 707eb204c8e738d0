package dev.longshot.ingest;

import dev.longshot.ingest.detect.Detection;
import dev.longshot.ingest.detect.DetectionText;
import dev.longshot.ingest.detect.ObjectDetector;
import dev.longshot.ingest.media.Images;
import dev.longshot.ingest.ocr.OcrPreprocessor;
import dev.longshot.ingest.ocr.OcrSpanMerger;
import dev.longshot.ingest.ocr.TextRecognizer;
import dev.longshot.ingest.sample.FrameSampler;
import dev.longshot.timeline.BoundingBox;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.Segment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Handles chosen keyframes on its own thread while decoding goes on: writes the JPEG (longest side at most
 * {@code ingest.keyframe-max-side}), runs OCR and object detection on keyframes whose content changed, and merges
 * their results into spans. The hand-off queue holds {@value #QUEUE} frames, so decoding waits rather than
 * piling up images when OCR is slower than real time: memory stays bounded.
 */
final class KeyframeWorker extends QueueWorker<KeyframeWorker.Job> {
  static final int QUEUE = 2;
  /** Frames are converted for OCR at most this large (the preprocessor may upscale small ones). */
  static final int OCR_MAX_SIDE = 2560;

  /** One keyframe to handle. */
  record Job(FrameSampler.Decision decision, BufferedImage image) {}

  private final Path keyframesDir;
  private final int maxSide;
  private final float jpegQuality;
  private final TextRecognizer ocr;
  private final ObjectDetector detector;
  private final OcrSpanMerger ocrSpans;
  private final DetectionSpans detSpans = new DetectionSpans();
  private long endMillis;
  private int keyframes;
  private int ocrRuns;
  private long ocrNanos;
  private long detectNanos;
  private long jpegNanos;

  KeyframeWorker(Path keyframesDir, int maxSide, int jpegQuality, TextRecognizer ocr, double ocrMinConfidence,
      ObjectDetector detector) {
    super(QUEUE, "longshot-keyframes", "keyframe analysis");
    this.keyframesDir = keyframesDir;
    this.maxSide = maxSide;
    this.jpegQuality = jpegQuality / 100f;
    this.ocr = ocr;
    this.detector = detector;
    this.ocrSpans = new OcrSpanMerger(ocrMinConfidence);
    start();
  }

  /** Whether a keyframe with this decision needs the large image (for OCR) or only the stored size. */
  int imageSideFor(FrameSampler.Decision d) {
    return d.ocr() && ocr != null ? Math.max(OCR_MAX_SIDE, maxSide) : maxSide;
  }

  /** Queues a keyframe; waits while the queue is full. */
  void submit(Job job) throws IngestException {
    put(job);
  }

  /** Waits until every queued keyframe is handled; rethrows a failure of the worker. */
  void finish(long endMillis) throws IngestException {
    finishQueue();
    this.endMillis = endMillis;
  }

  List<Segment> ocrSegments() {
    return ocrSpans.finish(endMillis);
  }

  List<Segment> detectionSegments() {
    return detSpans.finish(endMillis);
  }

  int keyframes() {
    return keyframes;
  }

  int ocrRuns() {
    return ocrRuns;
  }

  long ocrMillis() {
    return ocrNanos / 1_000_000;
  }

  long detectMillis() {
    return detectNanos / 1_000_000;
  }

  long jpegMillis() {
    return jpegNanos / 1_000_000;
  }





  @Override
  void handle(Job job) throws IOException {
    FrameSampler.Decision d = job.decision();
    String name = RecordStore.keyframeName(d.millis());
    long t = System.nanoTime();
    BufferedImage stored = Images.fit(job.image(), maxSide);
    writeJpeg(stored, keyframesDir.resolve(name), jpegQuality);
    keyframes++;
    jpegNanos += System.nanoTime() - t;
    if (ocr != null) {
      if (d.ocr()) {
        t = System.nanoTime();
        ocrSpans.observe(d.millis(), name, OcrPreprocessor.read(ocr, job.image()));
        ocrNanos += System.nanoTime() - t;
        ocrRuns++;
      } else {
        ocrSpans.persist(d.millis());
      }
    }
    if (detector != null) {
      if (d.ocr()) {
        t = System.nanoTime();
        List<Detection> found;
        synchronized (detector) {
          found = detector.detect(stored);
        }
        detSpans.observe(d.millis(), name, found);
        detectNanos += System.nanoTime() - t;
      } else {
        detSpans.persist(d.millis());
      }
    }
  }

  static void writeJpeg(BufferedImage img, Path file, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
  }

  /**
   * Object detections as {@code DET} segments: the Video-RAG style text of a keyframe's detections, one span
   * while consecutive detection runs give the same text.
   */
  static final class DetectionSpans {
    private final List<Segment> done = new ArrayList<>();
    private String text;
    private long start;
    private long lastSeen;
    private List<BoundingBox> boxes;
    private String keyframe;
    private double confidence;

    void observe(long millis, String name, List<Detection> detections) {
      String t = DetectionText.describe(detections);
      if (text != null && text.equals(t)) {
        lastSeen = millis;
        return;
      }
      close(millis);
      if (!t.isEmpty()) {
        text = t;
        start = millis;
        lastSeen = millis;
        keyframe = name;
        boxes = detections.stream()
            .map(x -> new BoundingBox(x.box().x(), x.box().y(), x.box().width(), x.box().height(), x.label(), x.confidence()))
            .toList();
        confidence = detections.stream().mapToDouble(Detection::confidence).average().orElse(Double.NaN);
      }
    }

    void persist(long millis) {
      if (text != null) {
        lastSeen = Math.max(lastSeen, millis);
      }
    }

    List<Segment> finish(long endMillis) {
      if (text != null) {
        close(Math.max(endMillis, lastSeen));
      }
      return List.copyOf(done);
    }

    private void close(long end) {
      if (text == null) {
        return;
      }
      done.add(new Segment(Modality.DET, start, Math.max(start, end), text, boxes, keyframe, confidence, List.of()));
      text = null;
    }
  }
}
