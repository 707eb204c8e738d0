package dev.longshot.ingest.detect;

import dev.longshot.timeline.BoundingBox;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Precision of a detector on Debian's darknet photos against the hand-written labels in {@code
 * detect/darknet-labels.tsv} (issue 14: "evidence from the detector must be right more often than wrong"). Each
 * photo is seen as {@code IngestBenchmark}'s camera-like clip shows it (the centred 16:9 part, zoomed in slowly)
 * and as the pipeline hands it to the detector (a 640x360 keyframe), at the zooms in {@link #ZOOMS}. A detection is
 * right when its box centre lies in a labelled box of its class.
 */
final class DetectorPrecision {
  static final Path PHOTOS = Path.of("/usr/share/darknet/data");
  static final double[] ZOOMS = {1.0, 0.88, 0.75};
  static final int KEYFRAME_SIDE = 640;

  /** One labelled object. */
  record Label(String photo, String label, BoundingBox box) {}

  /** Right and wrong detections of one class. */
  record Score(int right, int wrong) {
    double precision() {
      return right + wrong == 0 ? Double.NaN : right / (double) (right + wrong);
    }
  }

  private DetectorPrecision() {}

  static List<Label> labels() throws IOException {
    List<Label> out = new ArrayList<>();
    try (InputStream in = DetectorPrecision.class.getResourceAsStream("/detect/darknet-labels.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Label(f[0], f[1], new BoundingBox(Double.parseDouble(f[2]), Double.parseDouble(f[3]),
            Double.parseDouble(f[4]), Double.parseDouble(f[5]), f[1], 1)));
      }
    }
    return out;
  }

  /** Per class found, the right and wrong detections over all photos and zooms; each detection is logged. */
  static Map<String, Score> measure(ObjectDetector detector, List<String> log) throws IOException {
    List<Label> labels = labels();
    Map<String, int[]> counts = new TreeMap<>();
    List<String> photos = labels.stream().map(Label::photo).distinct().toList();
    for (String photo : photos) {
      BufferedImage full = ImageIO.read(PHOTOS.resolve(photo).toFile());
      for (double zoom : ZOOMS) {
        Rectangle2D crop = crop(full, zoom);
        for (Detection d : detector.detect(keyframe(full, crop))) {
          double cx = (crop.getX() + d.box().centerX() * crop.getWidth()) / full.getWidth();
          double cy = (crop.getY() + d.box().centerY() * crop.getHeight()) / full.getHeight();
          boolean right = labels.stream().anyMatch(l -> l.photo().equals(photo) && l.label().equals(d.label())
              && cx >= l.box().x() && cx <= l.box().x() + l.box().width()
              && cy >= l.box().y() && cy <= l.box().y() + l.box().height());
          counts.computeIfAbsent(d.label(), k -> new int[2])[right ? 0 : 1]++;
          log.add(String.format("%s zoom %.2f: %s %.2f at (%.2f, %.2f) %s", photo, zoom, d.label(), d.confidence(), cx, cy,
              right ? "right" : "WRONG"));
        }
      }
    }
    Map<String, Score> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k, new Score(v[0], v[1])));
    return out;
  }

  /**
   * What the benchmark's camera-like clip shows of {@code photo} at {@code zoom}: the centred 16:9 part that covers
   * the frame, zoomed in about its centre (1 = all of it).
   */
  static Rectangle2D crop(BufferedImage photo, double zoom) {
    double w = photo.getWidth();
    double h = photo.getHeight();
    if (w / h > 16.0 / 9) {
      w = h * 16 / 9;
    } else {
      h = w * 9 / 16;
    }
    w *= zoom;
    h *= zoom;
    return new Rectangle2D.Double((photo.getWidth() - w) / 2, (photo.getHeight() - h) / 2, w, h);
  }

  /** {@code crop} of {@code photo} as a stored keyframe: 16:9, longest side {@link #KEYFRAME_SIDE}. */
  static BufferedImage keyframe(BufferedImage photo, Rectangle2D crop) {
    BufferedImage out = new BufferedImage(KEYFRAME_SIDE, KEYFRAME_SIDE * 9 / 16, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(photo, 0, 0, out.getWidth(), out.getHeight(), (int) crop.getX(), (int) crop.getY(),
        (int) (crop.getX() + crop.getWidth()), (int) (crop.getY() + crop.getHeight()), null);
    g.dispose();
    return out;
  }
}
