package dev.longshot.ingest.detect;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import dev.longshot.timeline.BoundingBox;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * The default detector: OpenCV's classical models from the bytedeco opencv jar, no download needed. Classes:
 * {@code person} (HOG + linear SVM people detector, Dalal and Triggs 2005, upright full bodies at least ~64x128
 * pixels) and {@code face} (Haar cascade {@code haarcascade_frontalface_alt}, frontal faces). Frames are scaled so
 * the longer side is at most {@value #WORK_SIDE} pixels first, which bounds the time per frame. Confidences: for
 * people, the logistic of the SVM margin; for faces, how many of the cascade's overlapping hits agree, {@code
 * n / (n + 3)}. People must reach {@link #PERSON_MIN_CONFIDENCE} and faces must show an eye ({@code
 * haarcascade_eye}), which cut the false hits measured on non-human photos (issue 14). Both then pass {@code
 * detector.min-confidence}, a flat-graphics filter ({@link #MAX_FLAT_SHARE}) and per-class NMS. Native handles are freed by
 * {@link #close()}; {@link #detect} is synchronised (OpenCV's detectors keep scratch state).
 */
public final class OpenCvObjectDetector implements ObjectDetector {
  /**
   * Frames are detected at this longest side. 480 rather than 640 (issue 14): 0.52x the CPU per keyframe on the
   * labelled darknet keyframes of {@code DetectorPrecisionTest}, where it finds the woman in person.jpg at two zooms
   * instead of one (confidence 0.82 and 0.71 against 0.70) and drops dog.jpg's false "person" (0.65 at 640) even
   * below {@link #PERSON_MIN_CONFIDENCE}: no person under 0.68 remains at all. The cost: HOG's people window
   * (64x128) now needs a person at least 47 % of a 16:9 frame's height (36 % at 640).
   */
  static final int WORK_SIDE = 480;
  /**
   * Detections whose box is mostly perfectly flat colour are dropped: HOG's people model was trained on photos, and on
   * slides, screen recordings and other flat graphics its hits are text strokes (see {@link #flatShare}).
   */
  static final double MAX_FLAT_SHARE = 0.75;
  /** The default people detector's window, in pixels. */
  private static final int HOG_WINDOW_WIDTH = 64;
  private static final int HOG_WINDOW_HEIGHT = 128;
  private static final String CASCADES = "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/";
  private static final String FACE_CASCADE = CASCADES + "haarcascade_frontalface_alt.xml";
  private static final String EYE_CASCADE = CASCADES + "haarcascade_eye.xml";
  /**
   * People under this confidence (the logistic of the HOG SVM margin) are dropped whatever {@code
   * detector.min-confidence} says. Measured on the darknet photos as the pipeline sees them (DetectorPrecisionTest,
   * issue 14) at the former 640 px work side: the real person scored 0.70-0.73, the false "person" on dog.jpg 0.65 and
   * on horses.jpg 0.53; at 480 px the real person scores 0.71-0.82 and nothing else reaches even 0.5.
   */
  static final double PERSON_MIN_CONFIDENCE = 0.68;
  /** Haar hits that must overlap before a face counts (OpenCV's minNeighbors). */
  private static final int FACE_MIN_NEIGHBORS = 4;

  /**
   * How hard the detectors look: the longest side frames are scaled to, the HOG pyramid's scale step and the padding
   * around the frame (pixels), the face cascade's scale step.
   */
  record Schedule(int workSide, double hogScale, int hogPadding, double faceScale) {
    static final Schedule DEFAULT = new Schedule(WORK_SIDE, 1.05, 16, 1.1);
  }

  private final Schedule schedule;
  private final HOGDescriptor hog;
  private final CascadeClassifier faces;
  private final CascadeClassifier eyes;
  private final double minConfidence;
  private final double nmsIou;
  private boolean closed;

  /** Loads the HOG people model and the face cascade. */
  public OpenCvObjectDetector(DetectorSettings settings) {
    this(settings, Schedule.DEFAULT);
  }

  OpenCvObjectDetector(DetectorSettings settings, Schedule schedule) {
    this.schedule = schedule;
    minConfidence = settings.minConfidence();
    nmsIou = settings.nmsIou();
    faces = cascade(FACE_CASCADE);
    try {
      eyes = cascade(EYE_CASCADE);
    } catch (RuntimeException e) {
      faces.close();
      throw e;
    }
    hog = new HOGDescriptor();
    try (FloatPointer weights = HOGDescriptor.getDefaultPeopleDetector(); Mat svm = new Mat(weights)) {
      hog.setSVMDetector(svm);
    }
  }

  private static CascadeClassifier cascade(String resource) {
    File file;
    try {
      file = Loader.cacheResource(resource);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot extract OpenCV cascade " + resource + " from the opencv jar", e);
    }
    CascadeClassifier c = new CascadeClassifier(file.getAbsolutePath());
    if (c.empty()) {
      c.close();
      throw new IllegalStateException("OpenCV could not load cascade " + file);
    }
    return c;
  }

  @Override
  public String name() {
    return DetectorBackend.OPENCV.configName();
  }

  @Override
  public Set<String> classNames() {
    return Set.of("person", "face");
  }

  @Override
  public synchronized List<Detection> detect(BufferedImage frame) {
    if (closed) {
      throw new IllegalStateException("OpenCV detector is closed");
    }
    try (Mat full = toBgrMat(frame); Mat work = scaled(full, schedule.workSide()); Mat gray = new Mat(); Mat equalized = new Mat()) {
      List<Detection> found = new ArrayList<>(people(work));
      cvtColor(work, gray, COLOR_BGR2GRAY);
      equalizeHist(gray, equalized);
      found.addAll(faces(equalized));
      try (UByteIndexer pixels = gray.createIndexer()) {
        return NonMaxSuppression.apply(found.stream()
            .filter(d -> d.confidence() >= minConfidence)
            .filter(d -> flatShare(pixels, gray.cols(), gray.rows(), d.box()) <= MAX_FLAT_SHARE)
            .toList(), nmsIou, 100);
      }
    }
  }

  /**
   * Share of pixels in {@code box} whose right and lower neighbours differ by at most 2 grey levels. Camera images
   * have texture and noise almost everywhere (measured 0.2-0.5 on Debian's darknet photos, 0.21 on the person in
   * person.jpg); slides and other flat graphics do not (0.85 on the HOG false positive over a slide's text lines).
   */
  static double flatShare(UByteIndexer gray, int width, int height, BoundingBox box) {
    int x0 = (int) (box.x() * width);
    int y0 = (int) (box.y() * height);
    int x1 = Math.min(width - 1, (int) ((box.x() + box.width()) * width));
    int y1 = Math.min(height - 1, (int) ((box.y() + box.height()) * height));
    long flat = 0;
    long n = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int v = gray.get(y, x);
        n++;
        if (Math.abs(v - gray.get(y, x + 1)) <= 2 && Math.abs(v - gray.get(y + 1, x)) <= 2) {
          flat++;
        }
      }
    }
    return n == 0 ? 1.0 : (double) flat / n;
  }

  private List<Detection> people(Mat bgr) {
    List<Detection> out = new ArrayList<>();
    if (bgr.cols() < HOG_WINDOW_WIDTH || bgr.rows() < HOG_WINDOW_HEIGHT) {
      return out; // OpenCV's HOG crashes (SIGSEGV) on frames smaller than its detection window
    }
    try (RectVector rects = new RectVector(); DoublePointer weights = new DoublePointer();
        Size stride = new Size(8, 8); Size padding = new Size(schedule.hogPadding(), schedule.hogPadding())) {
      hog.detectMultiScale(bgr, rects, weights, 0, stride, padding, schedule.hogScale(), 2, false);
      for (int i = 0; i < rects.size(); i++) {
        double margin = weights.limit() > i ? weights.get(i) : 0;
        double confidence = 1 / (1 + Math.exp(-margin));
        Rect r = rects.get(i);
        if (confidence >= PERSON_MIN_CONFIDENCE) {
          out.add(detection("person", confidence, r, bgr));
        } else {
          r.close();
        }
      }
    }
    return out;
  }

  private List<Detection> faces(Mat gray) {
    List<Detection> out = new ArrayList<>();
    int minSide = Math.max(24, Math.min(gray.cols(), gray.rows()) / 20);
    if (gray.cols() < minSide || gray.rows() < minSide) {
      return out;
    }
    try (RectVector rects = new RectVector(); IntPointer hits = new IntPointer();
        Size min = new Size(minSide, minSide); Size max = new Size()) {
      faces.detectMultiScale2(gray, rects, hits, schedule.faceScale(), FACE_MIN_NEIGHBORS, 0, min, max);
      for (int i = 0; i < rects.size(); i++) {
        int n = hits.limit() > i ? hits.get(i) : FACE_MIN_NEIGHBORS;
        Rect r = rects.get(i);
        if (hasAnEye(gray, r)) {
          out.add(detection("face", n / (n + 3.0), r, gray));
        } else {
          r.close();
        }
      }
    }
    return out;
  }

  /**
   * Whether the eye cascade finds an eye in the upper 60 % of a face box: the classic verification of a Haar face
   * hit. The face cascade alone fires on animal heads and textures (a "face" on giraffe.jpg, issue 14); those have
   * no eye pattern where a human face has two.
   */
  private boolean hasAnEye(Mat gray, Rect face) {
    int h = (int) (face.height() * 0.6);
    int minEye = Math.max(6, face.width() / 8);
    try (Rect upper = new Rect(face.x(), face.y(), face.width(), h); Mat roi = new Mat(gray, upper);
        RectVector found = new RectVector(); Size min = new Size(minEye, minEye); Size max = new Size(face.width() / 2, h)) {
      eyes.detectMultiScale(roi, found, 1.1, 3, 0, min, max);
      return found.size() > 0;
    }
  }

  private static Detection detection(String label, double confidence, Rect r, Mat frame) {
    double w = frame.cols();
    double h = frame.rows();
    double x0 = Math.max(0, r.x()) / w;
    double y0 = Math.max(0, r.y()) / h;
    double x1 = Math.min(w, r.x() + r.width()) / w;
    double y1 = Math.min(h, r.y() + r.height()) / h;
    r.close();
    return new Detection(label, confidence, new BoundingBox(x0, y0, x1 - x0, y1 - y0, label, confidence));
  }

  /** Copies any BufferedImage into a new 8-bit BGR Mat. */
  static Mat toBgrMat(BufferedImage frame) {
    BufferedImage bgr = frame;
    if (frame.getType() != BufferedImage.TYPE_3BYTE_BGR
        || ((DataBufferByte) frame.getRaster().getDataBuffer()).getData().length != frame.getWidth() * frame.getHeight() * 3) {
      bgr = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.getGraphics().drawImage(frame, 0, 0, null);
    }
    byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    Mat mat = new Mat(bgr.getHeight(), bgr.getWidth(), opencv_core.CV_8UC3);
    mat.data().put(pixels);
    return mat;
  }

  private static Mat scaled(Mat full, int workSide) {
    double f = Math.min(1.0, (double) workSide / Math.max(full.cols(), full.rows()));
    Mat out = new Mat();
    if (f >= 1.0) {
      full.copyTo(out);
    } else {
      try (Size size = new Size((int) Math.round(full.cols() * f), (int) Math.round(full.rows() * f))) {
        resize(full, out, size, 0, 0, INTER_AREA);
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      hog.close();
      faces.close();
      eyes.close();
    }
  }
}
