package dev.longshot.ingest.ocr;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_LIST;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.minAreaRect;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.longshot.config.OcrBackend;
import dev.longshot.config.OcrSettings;
import dev.longshot.timeline.BoundingBox;
import dev.longshot.timeline.Closeables;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.RotatedRect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Scene-text OCR with PaddleOCR's PP-OCRv4 models (Apache-2.0) on the CPU ONNX Runtime, for text that Tesseract
 * reads badly: words on photos, coloured, rotated, low-contrast or upside-down text. Three models run per frame:
 *
 * <ol>
 *   <li><b>Detection</b> (DB, {@value #DET_MODEL}): the frame is resized so its longest side is at most {@value
 *       #DET_MAX_SIDE} and each side a multiple of 32, normalised with ImageNet's mean and standard deviation
 *       (PaddleOCR's {@code [0.485, 0.456, 0.406]} / {@code [0.229, 0.224, 0.225]}) over the channels in B, G, R
 *       order, as PaddleOCR feeds its OpenCV images to both models. Checked, not assumed: feeding R, G, B to both
 *       instead read 5 lecture slides about as well (0 against 1 edit in 496 characters) but 42 generated
 *       scene-text photos worse (character error rate 7.6 % against 6.2 %; measured before the wide-gap space rule
 *       of {@link #decode}). The text probability map is
 *       thresholded at {@value #BINARY_THRESHOLD}; each contour's minimum-area rectangle is scored by the mean
 *       probability inside it, dropped under {@value #BOX_THRESHOLD}, and grown by {@code area * }{@value
 *       #UNCLIP_RATIO}{@code / perimeter} on every side (DB's "unclip": the map marks shrunk text cores).
 *   <li><b>Recognition</b> (SVTR-LCNet, {@value #REC_MODEL}): each box is cut out of the frame with a perspective
 *       warp (so rotated lines come out straight; boxes at least 1.5 times taller than wide are turned upright),
 *       resized to height {@value #REC_HEIGHT}, width by aspect ratio, padded to at least {@value #REC_MIN_WIDTH}
 *       and read in batches of similar aspect ratio (after the angle classifier below). The output is CTC-decoded greedily over the characters of
 *       {@value #KEYS}: class 0 is the blank, class {@code i} the {@code i}-th line of the file, and the last class
 *       (one more than the file's lines) a space.
 *   <li><b>Angle classification</b> ({@value #CLS_MODEL}, PaddleOCR's text-line direction classifier): each crop,
 *       already turned upright if vertical, is resized to height {@value #CLS_HEIGHT} and width by aspect ratio up
 *       to {@value #CLS_WIDTH}, padded right, normalised like recognition input and classified in batches of
 *       {@value #REC_BATCH} as 0° or 180°; a crop whose 180° score is above {@value #CLS_THRESHOLD} (PaddleOCR's
 *       {@code cls_thresh}) is turned half a circle before recognition. This reads upside-down lines and vertical
 *       text reading upwards, which the quarter turn alone leaves upside down.
 * </ol>
 *
 * Lines are split into words at the spaces; a word's box comes from the CTC time steps of its first and last
 * character mapped back through the warp, its confidence is the mean of its characters' probabilities. Frames
 * larger than {@value #MAX_SIDE} pixels on a side are scaled down first. Sessions are created at construction and closed by {@link #close()}.
 */
public final class PaddleTextRecognizer implements TextRecognizer {
  static final String DET_MODEL = "ch_PP-OCRv4_det_infer.onnx";
  static final String REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx";
  static final String CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
  static final String KEYS = "ppocr_keys_v1.txt";
  /** Model directory under the models directory, as {@code setup/fetch-models.sh} names it. */
  static final String MODEL_SUBDIR = "ppocr-v4";
  /** Frames are scaled down to this longest side before anything else. */
  static final int MAX_SIDE = 2560;
  static final int DET_MAX_SIDE = 960;
  static final float BINARY_THRESHOLD = 0.3f;
  static final double BOX_THRESHOLD = 0.6;
  static final double UNCLIP_RATIO = 1.5;
  static final int MAX_CANDIDATES = 1000;
  static final int REC_HEIGHT = 48;
  static final int REC_MIN_WIDTH = 320;
  static final int REC_BATCH = 6;
  static final int CLS_HEIGHT = 48;
  static final int CLS_WIDTH = 192;
  /** 180° score above which a crop is turned before recognition (PaddleOCR's default {@code cls_thresh}). */
  static final float CLS_THRESHOLD = 0.9f;
  /** Space-class probability between two characters that makes a space (see {@link #decode}). */
  static final float SPACE_PROBABILITY = 0.03f;
  /** The same for characters at least {@link #WIDE_GAP_STEPS} time steps apart. */
  static final float WIDE_GAP_SPACE_PROBABILITY = 0.01f;
  static final int WIDE_GAP_STEPS = 6;
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Path dir;
  private final OrtSession det;
  private final OrtSession rec;
  private final OrtSession cls;
  private final String detInput;
  private final String recInput;
  private final String clsInput;
  private final String[] characters;
  private boolean closed;

  /**
   * Loads the models from {@code settings.paddleModelDir()}, or from {@link #defaultModelDir} when that is null.
   *
   * @throws IllegalStateException when a model file is missing or ONNX Runtime cannot load it (the message names
   *     the file and says how to fetch the models)
   */
  public PaddleTextRecognizer(OcrSettings settings) {
    this(settings.paddleModelDir() != null ? settings.paddleModelDir() : defaultModelDir(System.getenv()));
  }

  /** Loads the models from {@code dir}. */
  PaddleTextRecognizer(Path dir) {
    this.dir = dir;
    Path detPath = required(dir.resolve(DET_MODEL));
    Path recPath = required(dir.resolve(REC_MODEL));
    Path clsPath = required(dir.resolve(CLS_MODEL));
    Path keysPath = required(dir.resolve(KEYS));
    List<String> keys;
    try {
      keys = Files.readAllLines(keysPath, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read PP-OCR character list " + keysPath + ": " + e + fetchHint(), e);
    }
    det = open(detPath);
    try {
      rec = open(recPath);
    } catch (IllegalStateException e) {
      Closeables.closeQuietly(det);
      throw e;
    }
    try {
      cls = open(clsPath);
    } catch (IllegalStateException e) {
      Closeables.closeQuietly(det);
      Closeables.closeQuietly(rec);
      throw e;
    }
    try {
      detInput = det.getInputNames().iterator().next();
      recInput = rec.getInputNames().iterator().next();
      clsInput = cls.getInputNames().iterator().next();
      long[] clsOut = ((TensorInfo) cls.getOutputInfo().values().iterator().next().getInfo()).getShape();
      if (clsOut.length != 2 || clsOut[1] != 2) {
        throw new IllegalStateException("PP-OCR angle classifier " + clsPath + " has output shape "
            + Arrays.toString(clsOut) + ", expected [batch, 2] (scores for 0 and 180 degrees)" + fetchHint());
      }
      long[] out = ((TensorInfo) rec.getOutputInfo().values().iterator().next().getInfo()).getShape();
      long classes = out[out.length - 1];
      if (classes != keys.size() + 2) {
        throw new IllegalStateException("PP-OCR recognition model " + recPath + " has " + classes + " classes but "
            + keysPath + " lists " + keys.size() + " characters (expected blank + characters + space = "
            + (keys.size() + 2) + ")" + fetchHint());
      }
    } catch (OrtException | RuntimeException e) {
      Closeables.closeQuietly(det);
      Closeables.closeQuietly(rec);
      Closeables.closeQuietly(cls);
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException("Cannot read PP-OCR model metadata in " + dir + ": " + e + fetchHint(), e);
    }
    characters = new String[keys.size() + 2];
    characters[0] = "";
    for (int i = 0; i < keys.size(); i++) {
      characters[i + 1] = keys.get(i);
    }
    characters[keys.size() + 1] = " ";
  }

  /**
   * Where {@code setup/fetch-models.sh} puts the models: {@code ppocr-v4/} under {@code $LONGSHOT_MODELS_DIR},
   * else under {@code $HOME/.cache/longshot/models}.
   */
  public static Path defaultModelDir(Map<String, String> env) {
    String models = env.get("LONGSHOT_MODELS_DIR");
    if (models != null && !models.isBlank()) {
      return Path.of(models, MODEL_SUBDIR);
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".cache", "longshot", "models", MODEL_SUBDIR);
  }

  @Override
  public String name() {
    return OcrBackend.PADDLE.configName();
  }

  @Override
  public boolean readsFramesAsTheyAre() {
    return true;
  }

  @Override
  public synchronized List<TextLine> recognize(BufferedImage image) {
    if (closed) {
      throw new IllegalStateException("PaddleTextRecognizer for " + dir + " is closed");
    }
    try (Mat src = workImage(image)) {
      List<float[][]> boxes = detect(src);
      List<Mat> crops = new ArrayList<>(boxes.size());
      try {
        for (float[][] quad : boxes) {
          crops.add(crop(src, quad));
        }
        boolean[] flipped = upsideDown(crops);
        for (int i = 0; i < crops.size(); i++) {
          if (flipped[i]) {
            Mat turned = new Mat();
            rotate(crops.get(i), turned, ROTATE_180);
            crops.set(i, turned).close();
          }
        }
        List<List<Char>> reads = read(crops);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
          List<BoundingBox> words = words(reads.get(i), boxes.get(i), isTurned(boxes.get(i)), flipped[i], src.cols(),
              src.rows());
          if (!words.isEmpty()) {
            lines.add(new Line(boxes.get(i), new TextLine(words), flipped[i]));
          }
        }
        return order(lines);
      } finally {
        crops.forEach(Mat::close);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed running PP-OCR models from " + dir + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Closeables.closeQuietly(det);
      Closeables.closeQuietly(rec);
      Closeables.closeQuietly(cls);
    }
  }

  // --- detection --------------------------------------------------------------------------------------------

  /** Text line quadrilaterals (top-left, top-right, bottom-right, bottom-left) in {@code src} pixels. */
  private List<float[][]> detect(Mat src) throws OrtException {
    int w = src.cols();
    int h = src.rows();
    double ratio = Math.max(w, h) > DET_MAX_SIDE ? (double) DET_MAX_SIDE / Math.max(w, h) : 1.0;
    int rw = Math.max(32, (int) Math.round(w * ratio / 32) * 32);
    int rh = Math.max(32, (int) Math.round(h * ratio / 32) * 32);
    float[] input = new float[3 * rw * rh];
    try (Mat resized = new Mat(); Size size = new Size(rw, rh)) {
      resize(src, resized, size, 0, 0, INTER_LINEAR);
      byte[] px = new byte[rw * rh * 3];
      resized.data().get(px);
      int plane = rw * rh;
      for (int i = 0; i < plane; i++) {
        for (int c = 0; c < 3; c++) {
          input[c * plane + i] = ((px[i * 3 + c] & 0xff) / 255f - MEAN[c]) / STD[c];
        }
      }
    }
    float[] prob;
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, rh, rw});
        OrtSession.Result result = det.run(Map.of(detInput, tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      prob = new float[out.remaining()];
      out.get(prob);
    }
    if (prob.length != rw * rh) {
      throw new IllegalStateException("PP-OCR detection model in " + dir + " returned " + prob.length
          + " values for a " + rw + "x" + rh + " input");
    }
    List<float[][]> boxes = new ArrayList<>();
    byte[] bits = new byte[rw * rh];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = prob[i] > BINARY_THRESHOLD ? (byte) 255 : 0;
    }
    double sx = (double) w / rw;
    double sy = (double) h / rh;
    try (Mat bitmap = new Mat(rh, rw, CV_8UC1); MatVector contours = new MatVector(); Mat hierarchy = new Mat()) {
      bitmap.data().put(bits);
      findContours(bitmap, contours, hierarchy, RETR_LIST, CHAIN_APPROX_SIMPLE);
      long n = Math.min(contours.size(), MAX_CANDIDATES);
      for (long i = 0; i < n; i++) {
        double[] r;
        try (Mat contour = contours.get(i); RotatedRect rect = minAreaRect(contour)) {
          r = new double[] {rect.center().x(), rect.center().y(), rect.size().width(), rect.size().height(),
              Math.toRadians(rect.angle())};
        }
        if (Math.min(r[2], r[3]) < 3 || meanInside(prob, rw, rh, r) < BOX_THRESHOLD) {
          continue;
        }
        double grow = r[2] * r[3] * UNCLIP_RATIO / (2 * (r[2] + r[3]));
        r[2] += 2 * grow;
        r[3] += 2 * grow;
        if (Math.min(r[2], r[3]) < 5) {
          continue;
        }
        float[][] quad = corners(r);
        for (float[] p : quad) {
          p[0] = (float) Math.clamp(p[0] * sx, 0, w - 1);
          p[1] = (float) Math.clamp(p[1] * sy, 0, h - 1);
        }
        if (dist(quad[0], quad[1]) > 3 && dist(quad[0], quad[3]) > 3) {
          boxes.add(quad);
        }
      }
    }
    return boxes;
  }

  /** Mean of {@code prob} over the pixels inside rotated rectangle {@code r} (cx, cy, w, h, angle in radians). */
  static double meanInside(float[] prob, int width, int height, double[] r) {
    double cos = Math.cos(r[4]);
    double sin = Math.sin(r[4]);
    double hw = r[2] / 2;
    double hh = r[3] / 2;
    double ext = Math.abs(hw * cos) + Math.abs(hh * sin);
    double eyt = Math.abs(hw * sin) + Math.abs(hh * cos);
    int x0 = Math.max(0, (int) Math.floor(r[0] - ext));
    int x1 = Math.min(width - 1, (int) Math.ceil(r[0] + ext));
    int y0 = Math.max(0, (int) Math.floor(r[1] - eyt));
    int y1 = Math.min(height - 1, (int) Math.ceil(r[1] + eyt));
    double sum = 0;
    int n = 0;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double dx = x - r[0];
        double dy = y - r[1];
        if (Math.abs(dx * cos + dy * sin) <= hw + 0.5 && Math.abs(-dx * sin + dy * cos) <= hh + 0.5) {
          sum += prob[y * width + x];
          n++;
        }
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /** The rectangle's corners ordered top-left, top-right, bottom-right, bottom-left (as PaddleOCR orders them). */
  static float[][] corners(double[] r) {
    double cos = Math.cos(r[4]);
    double sin = Math.sin(r[4]);
    double[][] d = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
    float[][] p = new float[4][];
    for (int i = 0; i < 4; i++) {
      double ux = d[i][0] * r[2] / 2;
      double uy = d[i][1] * r[3] / 2;
      p[i] = new float[] {(float) (r[0] + ux * cos - uy * sin), (float) (r[1] + ux * sin + uy * cos)};
    }
    Arrays.sort(p, Comparator.comparingDouble(q -> q[0]));
    float[] tl = p[0][1] <= p[1][1] ? p[0] : p[1];
    float[] bl = p[0][1] <= p[1][1] ? p[1] : p[0];
    float[] tr = p[2][1] <= p[3][1] ? p[2] : p[3];
    float[] br = p[2][1] <= p[3][1] ? p[3] : p[2];
    return new float[][] {tl, tr, br, bl};
  }

  // --- recognition ------------------------------------------------------------------------------------------

  /** Boxes at least 1.5 times taller than wide hold vertical text: their crop is turned a quarter. */
  private static boolean isTurned(float[][] q) {
    double w = Math.max(dist(q[0], q[1]), dist(q[2], q[3]));
    double h = Math.max(dist(q[0], q[3]), dist(q[1], q[2]));
    return h / Math.max(1, (int) w) >= 1.5;
  }

  /** The quadrilateral {@code q} of {@code src} warped to an upright rectangle. */
  private static Mat crop(Mat src, float[][] q) {
    int w = Math.max(1, (int) Math.max(dist(q[0], q[1]), dist(q[2], q[3])));
    int h = Math.max(1, (int) Math.max(dist(q[0], q[3]), dist(q[1], q[2])));
    Mat out = new Mat();
    try (Mat from = points(q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1]);
        Mat to = points(0, 0, w, 0, w, h, 0, h);
        Mat m = getPerspectiveTransform(from, to);
        Size size = new Size(w, h);
        Scalar border = new Scalar()) {
      warpPerspective(src, out, m, size, INTER_CUBIC, BORDER_REPLICATE, border);
    }
    if (isTurned(q)) {
      Mat turned = new Mat();
      rotate(out, turned, ROTATE_90_COUNTERCLOCKWISE);
      out.close();
      return turned;
    }
    return out;
  }

  private static Mat points(float... xy) {
    Mat m = new Mat(4, 1, CV_32FC2);
    FloatBuffer b = m.createBuffer();
    b.put(xy);
    return m;
  }

  /**
   * Which crops the angle classifier scores as upside down (180° score above {@value #CLS_THRESHOLD}), in batches of
   * {@value #REC_BATCH}. Each crop is resized to height {@value #CLS_HEIGHT}, width by aspect ratio up to {@value
   * #CLS_WIDTH}, in the B, G, R order of the other models, normalised to [-1, 1] and padded right with zeros.
   */
  private boolean[] upsideDown(List<Mat> crops) throws OrtException {
    boolean[] out = new boolean[crops.size()];
    int plane = CLS_HEIGHT * CLS_WIDTH;
    for (int start = 0; start < crops.size(); start += REC_BATCH) {
      int n = Math.min(REC_BATCH, crops.size() - start);
      float[] input = new float[n * 3 * plane];
      for (int k = 0; k < n; k++) {
        putScaled(crops.get(start + k), CLS_HEIGHT, CLS_WIDTH, input, k * 3 * plane);
      }
      long[] shape = {n, 3, CLS_HEIGHT, CLS_WIDTH};
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
          OrtSession.Result result = cls.run(Map.of(clsInput, tensor))) {
        long[] outShape = ((TensorInfo) result.get(0).getInfo()).getShape();
        if (outShape.length != 2 || outShape[0] != n || outShape[1] != 2) {
          throw new IllegalStateException("PP-OCR angle classifier in " + dir + " returned shape "
              + Arrays.toString(outShape) + " for " + n + " crops, expected [" + n + ", 2]");
        }
        FloatBuffer scores = ((OnnxTensor) result.get(0)).getFloatBuffer();
        for (int k = 0; k < n; k++) {
          out[start + k] = scores.get(k * 2 + 1) > CLS_THRESHOLD;
        }
      }
    }
    return out;
  }

  /**
   * Scales {@code crop} to {@code height} rows, keeping its aspect ratio within {@code width} columns, and writes it
   * at {@code base} of {@code input} as planar channels of {@code height} x {@code width} floats in [-1, 1], in the
   * crop's channel order; columns past the scaled width stay as they are (zero: right padding). Returns the scaled
   * width.
   */
  private static int putScaled(Mat crop, int height, int width, float[] input, int base) {
    int rw = Math.clamp((long) Math.ceil(height * crop.cols() / (double) crop.rows()), 1, width);
    int plane = height * width;
    try (Mat resized = new Mat(); Size size = new Size(rw, height)) {
      resize(crop, resized, size, 0, 0, INTER_LINEAR);
      byte[] px = new byte[rw * height * 3];
      resized.data().get(px);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < rw; x++) {
          int p = (y * rw + x) * 3;
          for (int ch = 0; ch < 3; ch++) {
            input[base + ch * plane + y * width + x] = (px[p + ch] & 0xff) / 127.5f - 1f;
          }
        }
      }
    }
    return rw;
  }

  /** One decoded character: its class, CTC time step (in rec-input pixels / 8 units) and probability. */
  record Char(String text, int step, float prob, double stepWidth, double contentWidth) {}

  /** Reads each crop; crops of similar aspect ratio share a batch, as PaddleOCR batches them. */
  private List<List<Char>> read(List<Mat> crops) throws OrtException {
    List<List<Char>> out = new ArrayList<>(crops.size());
    for (int i = 0; i < crops.size(); i++) {
      out.add(List.of());
    }
    Integer[] order = new Integer[crops.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> crops.get(i).cols() / (double) crops.get(i).rows()));
    for (int start = 0; start < order.length; start += REC_BATCH) {
      int n = Math.min(REC_BATCH, order.length - start);
      double maxRatio = (double) REC_MIN_WIDTH / REC_HEIGHT;
      for (int k = 0; k < n; k++) {
        Mat c = crops.get(order[start + k]);
        maxRatio = Math.max(maxRatio, c.cols() / (double) c.rows());
      }
      int width = (int) Math.ceil(REC_HEIGHT * maxRatio);
      int plane = REC_HEIGHT * width;
      float[] input = new float[n * 3 * plane];
      int[] contentWidths = new int[n];
      for (int k = 0; k < n; k++) {
        contentWidths[k] = putScaled(crops.get(order[start + k]), REC_HEIGHT, width, input, k * 3 * plane);
      }
      long[] shape = {n, 3, REC_HEIGHT, width};
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
          OrtSession.Result result = rec.run(Map.of(recInput, tensor))) {
        long[] outShape = ((TensorInfo) result.get(0).getInfo()).getShape();
        int steps = (int) outShape[1];
        int classes = (int) outShape[2];
        FloatBuffer probs = ((OnnxTensor) result.get(0)).getFloatBuffer();
        double stepWidth = (double) width / steps;
        for (int k = 0; k < n; k++) {
          out.set(order[start + k], decode(probs, k * steps * classes, steps, classes, stepWidth, contentWidths[k]));
        }
      }
    }
    return out;
  }

  /**
   * Greedy CTC: the best class per time step, repeats collapsed, blanks dropped. The model is sparing with spaces
   * between Latin words (its training data is mostly Chinese), so a space is also put between two characters when,
   * at some step between them, the space class reaches {@value #SPACE_PROBABILITY} without winning the step, or
   * {@value #WIDE_GAP_SPACE_PROBABILITY} when the characters are at least {@value #WIDE_GAP_STEPS} steps (48
   * input pixels) apart. Chosen on the lecture slides, a white slide clip and three seeded scene-text sets: inside
   * cleanly read words the space class stayed under 0.01, at unspaced word gaps of clean text it reached 0.01 to
   * 0.5. Inside misread scene-text words it reached up to 0.07, so a few false spaces remain there.
   */
  private List<Char> decode(FloatBuffer probs, int offset, int steps, int classes, double stepWidth, int contentWidth) {
    int space = classes - 1;
    List<Char> chars = new ArrayList<>();
    int previous = 0;
    float gapSpace = 0;
    int gapSpaceStep = -1;
    for (int t = 0; t < steps; t++) {
      int best = 0;
      float bestP = -1;
      int row = offset + t * classes;
      for (int c = 0; c < classes; c++) {
        float p = probs.get(row + c);
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
      if (best != 0 && best != previous) {
        boolean afterLetter = !chars.isEmpty() && !chars.getLast().text().equals(" ");
        boolean wide = afterLetter && t - chars.getLast().step() >= WIDE_GAP_STEPS;
        if (best != space && afterLetter
            && (gapSpace >= SPACE_PROBABILITY || wide && gapSpace >= WIDE_GAP_SPACE_PROBABILITY)) {
          chars.add(new Char(" ", gapSpaceStep, gapSpace, stepWidth, contentWidth));
        }
        chars.add(new Char(characters[best], t, bestP, stepWidth, contentWidth));
        gapSpace = 0;
      } else if (best == 0 && probs.get(row + space) > gapSpace) {
        gapSpace = probs.get(row + space);
        gapSpaceStep = t;
      }
      previous = best;
    }
    return chars;
  }

  /**
   * Splits a line's characters into words at spaces. A word spans from one time step before its first character
   * to two after its last (CTC fires near a character's start), cut at the midpoint to its neighbours, and is
   * mapped back through the line's quadrilateral {@code q} into a box normalised to the {@code width} x {@code
   * height} frame. A {@code flipped} crop (turned 180° after the classifier) reads from the quadrilateral's far end.
   */
  static List<BoundingBox> words(List<Char> chars, float[][] q, boolean turned, boolean flipped, int width,
      int height) {
    List<List<Char>> groups = new ArrayList<>();
    List<Char> current = new ArrayList<>();
    for (Char c : chars) {
      if (c.text().isBlank()) {
        if (!current.isEmpty()) {
          groups.add(current);
          current = new ArrayList<>();
        }
      } else {
        current.add(c);
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    List<BoundingBox> words = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      List<Char> word = groups.get(g);
      Char first = word.getFirst();
      Char last = word.getLast();
      double left = first.step() - 1.0;
      double right = last.step() + 2.0;
      if (g > 0) {
        left = Math.max(left, (groups.get(g - 1).getLast().step() + 1 + first.step()) / 2.0);
      }
      if (g + 1 < groups.size()) {
        right = Math.min(right, (last.step() + 1 + groups.get(g + 1).getFirst().step()) / 2.0);
      }
      double f0 = Math.clamp(left * first.stepWidth() / first.contentWidth(), 0, 1);
      double f1 = Math.clamp(right * first.stepWidth() / first.contentWidth(), f0, 1);
      if (flipped) {
        double f = f0;
        f0 = 1 - f1;
        f1 = 1 - f;
      }
      float[][] edgeA = turned ? new float[][] {q[0], q[3]} : new float[][] {q[0], q[1]};
      float[][] edgeB = turned ? new float[][] {q[1], q[2]} : new float[][] {q[3], q[2]};
      double minX = Double.MAX_VALUE;
      double minY = Double.MAX_VALUE;
      double maxX = -Double.MAX_VALUE;
      double maxY = -Double.MAX_VALUE;
      for (float[][] edge : new float[][][] {edgeA, edgeB}) {
        for (double f : new double[] {f0, f1}) {
          double x = edge[0][0] + f * (edge[1][0] - edge[0][0]);
          double y = edge[0][1] + f * (edge[1][1] - edge[0][1]);
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
      StringBuilder text = new StringBuilder();
      double conf = 0;
      for (Char c : word) {
        text.append(c.text());
        conf += c.prob();
      }
      double x0 = Math.clamp(minX / width, 0, 1);
      double y0 = Math.clamp(minY / height, 0, 1);
      words.add(new BoundingBox(x0, y0, Math.clamp(maxX / width, 0, 1) - x0, Math.clamp(maxY / height, 0, 1) - y0,
          text.toString(), Math.clamp(conf / word.size(), 0, 1)));
    }
    return words;
  }

  private record Line(float[][] quad, TextLine text, boolean flipped) {
    double top() {
      return Math.min(quad[0][1], quad[1][1]);
    }

    double height() {
      return Math.max(dist(quad[0], quad[3]), dist(quad[1], quad[2]));
    }
  }

  /**
   * Top to bottom; lines whose tops are within half a line height of each other left to right. When most lines were
   * turned 180° (an upside-down sign or frame), the other way round: bottom to top, right to left, as they read.
   */
  private static List<TextLine> order(List<Line> lines) {
    List<Line> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparingDouble(Line::top));
    for (int i = 1; i < sorted.size(); i++) {
      for (int j = i; j > 0; j--) {
        Line a = sorted.get(j - 1);
        Line b = sorted.get(j);
        boolean sameRow = Math.abs(a.top() - b.top()) < 0.5 * Math.min(a.height(), b.height());
        if (!sameRow || a.quad()[0][0] <= b.quad()[0][0]) {
          break;
        }
        sorted.set(j - 1, b);
        sorted.set(j, a);
      }
    }
    if (2 * sorted.stream().filter(Line::flipped).count() > sorted.size()) {
      sorted = sorted.reversed();
    }
    return sorted.stream().map(Line::text).toList();
  }

  // --- helpers ----------------------------------------------------------------------------------------------

  /** {@code image} as an 8-bit BGR Mat, scaled down to {@value #MAX_SIDE} if larger. */
  static Mat workImage(BufferedImage image) {
    BufferedImage bgr = image;
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR
        || ((DataBufferByte) image.getRaster().getDataBuffer()).getData().length
            != image.getWidth() * image.getHeight() * 3) {
      bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.getGraphics().drawImage(image, 0, 0, null);
    }
    Mat mat = new Mat(bgr.getHeight(), bgr.getWidth(), CV_8UC3);
    mat.data().put(((DataBufferByte) bgr.getRaster().getDataBuffer()).getData());
    int side = Math.max(mat.cols(), mat.rows());
    if (side <= MAX_SIDE) {
      return mat;
    }
    double f = (double) MAX_SIDE / side;
    Mat small = new Mat();
    int w = Math.max(1, (int) Math.round(mat.cols() * f));
    int h = Math.max(1, (int) Math.round(mat.rows() * f));
    try (mat; Size size = new Size(w, h)) {
      resize(mat, small, size, 0, 0, INTER_AREA);
    }
    return small;
  }

  private static double dist(float[] a, float[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }

  private OrtSession open(Path model) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // Idle ONNX Runtime threads sleep instead of spinning: decoding and ASR share the cores during an ingest.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      return env.createSession(model.toString(), options);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load PP-OCR model " + model + " (corrupt or incomplete?): "
          + e.getMessage() + fetchHint(), e);
    }
  }

  private Path required(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("PP-OCR model file not found: " + file + fetchHint());
    }
    return file;
  }

  private String fetchHint() {
    return ". Fetch the PP-OCRv4 models with setup/fetch-models.sh (into " + defaultModelDir(System.getenv())
        + "; run it without --if-missing to replace damaged files), or point ocr.paddle-model-dir at a directory"
        + " holding " + DET_MODEL + ", " + REC_MODEL + ", " + CLS_MODEL + " and " + KEYS;
  }

}
