package dev.longshot.ingest.ocr;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.longshot.config.ModelsDir;
import dev.longshot.config.OcrBackend;
import dev.longshot.config.OcrSettings;
import dev.longshot.timeline.BoundingBox;
import dev.longshot.timeline.Closeables;
import java.awt.image.BufferedImage;
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
 *       of {@link CtcDecoder#decode}). The text probability map becomes line boxes in {@link TextRegions}
 *       (threshold, minimum-area {@link RotatedBox} per contour, score, DB's "unclip").
 *   <li><b>Recognition</b> (SVTR-LCNet, {@value #REC_MODEL}): each box is cut out of the frame with a perspective
 *       warp (so rotated lines come out straight; boxes at least 1.5 times taller than wide are turned upright),
 *       resized to height {@value #REC_HEIGHT}, width by aspect ratio, padded to at least {@value #REC_MIN_WIDTH}
 *       and read in batches of similar aspect ratio (after the angle classifier below). The output is CTC-decoded greedily ({@link CtcDecoder}) over the characters
 *       of {@value #KEYS}: class 0 is the blank, class {@code i} the {@code i}-th line of the file, and the last class
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
 * character mapped back through the warp ({@link WordBoxes}), its confidence is the mean of its characters'
 * probabilities; {@link ReadingOrder} sorts the lines. Frames
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
  static final int REC_HEIGHT = 48;
  static final int REC_MIN_WIDTH = 320;
  static final int REC_BATCH = 6;
  static final int CLS_HEIGHT = 48;
  static final int CLS_WIDTH = 192;
  /** 180° score above which a crop is turned before recognition (PaddleOCR's default {@code cls_thresh}). */
  static final float CLS_THRESHOLD = 0.9f;
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
  private final CtcDecoder ctc;
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
    String[] characters = new String[keys.size() + 2];
    characters[0] = "";
    for (int i = 0; i < keys.size(); i++) {
      characters[i + 1] = keys.get(i);
    }
    characters[keys.size() + 1] = " ";
    ctc = new CtcDecoder(characters);
  }

  /**
   * Where {@code setup/fetch-models.sh} puts the models: {@code ppocr-v4/} under {@code $LONGSHOT_MODELS_DIR},
   * else under {@code $HOME/.cache/longshot/models}.
   */
  public static Path defaultModelDir(Map<String, String> env) {
    return ModelsDir.of(env).resolve(MODEL_SUBDIR);
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
    try (Mat src = PaddleImages.workImage(image)) {
      List<float[][]> boxes = detect(src);
      List<Mat> crops = new ArrayList<>(boxes.size());
      try {
        for (float[][] quad : boxes) {
          crops.add(PaddleImages.crop(src, quad));
        }
        boolean[] flipped = upsideDown(crops);
        for (int i = 0; i < crops.size(); i++) {
          if (flipped[i]) {
            Mat turned = new Mat();
            rotate(crops.get(i), turned, ROTATE_180);
            crops.set(i, turned).close();
          }
        }
        List<List<CtcDecoder.Char>> reads = read(crops);
        List<ReadingOrder.Line> lines = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
          List<BoundingBox> words = WordBoxes.of(reads.get(i), boxes.get(i), Quads.isTurned(boxes.get(i)), flipped[i],
              src.cols(), src.rows());
          if (!words.isEmpty()) {
            lines.add(new ReadingOrder.Line(boxes.get(i), new TextLine(words), flipped[i]));
          }
        }
        return ReadingOrder.of(lines);
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
    return TextRegions.find(prob, rw, rh, w, h);
  }

  // --- recognition ------------------------------------------------------------------------------------------


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
        PaddleImages.putScaled(crops.get(start + k), CLS_HEIGHT, CLS_WIDTH, input, k * 3 * plane);
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


  /** Reads each crop; crops of similar aspect ratio share a batch, as PaddleOCR batches them. */
  private List<List<CtcDecoder.Char>> read(List<Mat> crops) throws OrtException {
    List<List<CtcDecoder.Char>> out = new ArrayList<>(crops.size());
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
        contentWidths[k] =
            PaddleImages.putScaled(crops.get(order[start + k]), REC_HEIGHT, width, input, k * 3 * plane);
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
          int line = order[start + k];
          out.set(line, ctc.decode(probs, k * steps * classes, steps, classes, stepWidth, contentWidths[k]));
        }
      }
    }
    return out;
  }

  // --- helpers ----------------------------------------------------------------------------------------------


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
