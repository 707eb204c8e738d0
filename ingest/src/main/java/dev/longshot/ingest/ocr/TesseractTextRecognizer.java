package dev.longshot.ingest.ocr;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.longshot.config.OcrBackend;
import dev.longshot.config.OcrSettings;
import dev.longshot.timeline.BoundingBox;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageIterator;
import net.sourceforge.tess4j.ITessAPI.TessPageIteratorLevel;
import net.sourceforge.tess4j.ITessAPI.TessPageSegMode;
import net.sourceforge.tess4j.ITessAPI.TessResultIterator;
import net.sourceforge.tess4j.TessAPI;

/**
 * OCR with Tesseract 5 through tess4j's (lazily bound) JNA binding of the C API, against the system's {@code libtesseract.so.5}
 * and language data (Debian: {@code libtesseract5}, {@code tesseract-ocr-eng}). Each instance owns one Tesseract
 * engine; not thread-safe (one per worker thread).
 */
public final class TesseractTextRecognizer implements TextRecognizer {
  /** Where Debian and other distributions put the language data, tried in order when none is configured. */
  static final List<String> TESSDATA_DIRS = List.of(
      "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata",
      "/usr/local/share/tessdata");

  private final TessAPI api;
  private TessBaseAPI handle;

  /**
   * Starts an engine for {@code settings.language()}.
   *
   * @throws IllegalStateException when the library or the language data cannot be loaded (the message says which)
   */
  public TesseractTextRecognizer(OcrSettings settings) {
    Path data = tessdata(settings.tessdataDir(), settings.language());
    singleThreadedOpenMp();
    try {
      // The interface mapping binds functions lazily, so a libtesseract older than tess4j's headers loads fine.
      api = TessAPI.INSTANCE;
      handle = api.TessBaseAPICreate();
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new IllegalStateException("Cannot load libtesseract (install Debian's libtesseract5 and tesseract-ocr-eng): "
          + e.getMessage(), e);
    }
    api.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
    if (api.TessBaseAPIInit3(handle, data.toString(), settings.language()) != 0) {
      api.TessBaseAPIDelete(handle);
      handle = null;
      throw new IllegalStateException("Tesseract cannot load language \"" + settings.language() + "\" from " + data
          + " (set ocr.tessdata-dir, or install tesseract-ocr-" + settings.language() + ")");
    }
    api.TessBaseAPISetPageSegMode(handle, TessPageSegMode.PSM_AUTO);
  }

  @Override
  public String name() {
    return OcrBackend.TESSERACT.configName();
  }

  @Override
  public synchronized List<TextLine> recognize(BufferedImage image) {
    if (handle == null) {
      throw new IllegalStateException("TesseractTextRecognizer is closed");
    }
    BufferedImage gray = OcrPreprocessor.toGray(image);
    int w = gray.getWidth();
    int h = gray.getHeight();
    byte[] pixels = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    ByteBuffer buf = ByteBuffer.allocateDirect(pixels.length);
    buf.put(pixels).flip();
    api.TessBaseAPISetImage(handle, buf, w, h, 1, w);
    api.TessBaseAPISetSourceResolution(handle, 300);
    List<TextLine> lines = new ArrayList<>();
    try {
      if (api.TessBaseAPIRecognize(handle, null) != 0) {
        return lines;
      }
      TessResultIterator ri = api.TessBaseAPIGetIterator(handle);
      if (ri == null) {
        return lines;
      }
      try {
        TessPageIterator pi = api.TessResultIteratorGetPageIterator(ri);
        IntBuffer left = IntBuffer.allocate(1);
        IntBuffer top = IntBuffer.allocate(1);
        IntBuffer right = IntBuffer.allocate(1);
        IntBuffer bottom = IntBuffer.allocate(1);
        List<BoundingBox> words = new ArrayList<>();
        int level = TessPageIteratorLevel.RIL_WORD;
        do {
          if (api.TessPageIteratorIsAtBeginningOf(pi, TessPageIteratorLevel.RIL_TEXTLINE) != 0 && !words.isEmpty()) {
            lines.add(new TextLine(words));
            words = new ArrayList<>();
          }
          Pointer p = api.TessResultIteratorGetUTF8Text(ri, level);
          if (p == null) {
            continue;
          }
          String text;
          try {
            text = p.getString(0, StandardCharsets.UTF_8.name()).strip();
          } finally {
            api.TessDeleteText(p);
          }
          if (text.isEmpty()) {
            continue;
          }
          float conf = api.TessResultIteratorConfidence(ri, level);
          if (api.TessPageIteratorBoundingBox(pi, level, left, top, right, bottom) == 0) {
            continue;
          }
          double x = left.get(0) / (double) w;
          double y = top.get(0) / (double) h;
          double bw = Math.max(0, right.get(0) - left.get(0)) / (double) w;
          double bh = Math.max(0, bottom.get(0) - top.get(0)) / (double) h;
          words.add(new BoundingBox(x, y, bw, bh, text, Math.max(0, Math.min(1, conf / 100.0))));
        } while (api.TessResultIteratorNext(ri, level) != 0);
        if (!words.isEmpty()) {
          lines.add(new TextLine(words));
        }
      } finally {
        api.TessResultIteratorDelete(ri);
      }
    } finally {
      api.TessBaseAPIClear(handle);
    }
    return lines;
  }

  @Override
  public synchronized void close() {
    if (handle != null) {
      api.TessBaseAPIEnd(handle);
      api.TessBaseAPIDelete(handle);
      handle = null;
    }
  }

  /** The C library's {@code setenv}, to configure OpenMP before libtesseract (and with it libgomp) is loaded. */
  interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /**
   * Makes Tesseract's OpenMP run one thread that sleeps when idle (unless the user set {@code OMP_THREAD_LIMIT} /
   * {@code OMP_WAIT_POLICY}). The pipeline already keeps the cores busy with decoding, OCR and ASR in parallel;
   * OpenMP's spinning extra threads on top of that halved OCR throughput on 2 cores. Only effective when it runs
   * before libgomp is first loaded in the process, which creating the OCR backend first ensures.
   */
  static void singleThreadedOpenMp() {
    try {
      LibC c = Native.load("c", LibC.class);
      c.setenv("OMP_THREAD_LIMIT", "1", 0);
      c.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    } catch (UnsatisfiedLinkError e) {
      // not glibc: leave OpenMP's defaults
    }
  }

  /** The configured tessdata directory, else the first standard one holding {@code <language>.traineddata}. */
  static Path tessdata(Path configured, String language) {
    String first = language.split("\\+")[0];
    if (configured != null) {
      if (!Files.isRegularFile(configured.resolve(first + ".traineddata"))) {
        throw new IllegalStateException("ocr.tessdata-dir " + configured + " has no " + first + ".traineddata");
      }
      return configured;
    }
    String env = System.getenv("TESSDATA_PREFIX");
    List<String> candidates = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      candidates.add(env);
      candidates.add(env + "/tessdata");
    }
    candidates.addAll(TESSDATA_DIRS);
    for (String c : candidates) {
      if (Files.isRegularFile(Path.of(c, first + ".traineddata"))) {
        return Path.of(c);
      }
    }
    throw new IllegalStateException("No Tesseract data for \"" + first + "\" in " + candidates
        + " (install Debian's tesseract-ocr-" + first + " or set ocr.tessdata-dir)");
  }
}
