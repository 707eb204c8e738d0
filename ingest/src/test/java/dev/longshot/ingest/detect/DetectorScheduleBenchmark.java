package dev.longshot.ingest.detect;

import com.sun.management.OperatingSystemMXBean;
import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Detector schedules side by side (issue 14): for each, the precision on {@code DetectorPrecisionTest}'s labelled
 * darknet keyframes (every detection listed) and the process CPU per keyframe, the schedules interleaved round by
 * round; the first schedule is the baseline of the ratios. In the detector's package because {@code
 * OpenCvObjectDetector.Schedule} is package-private. Run: {@code bench/run ingest
 * dev.longshot.ingest.detect.DetectorScheduleBenchmark ROUNDS WORKSIDE,HOGSCALE,HOGPADDING,FACESCALE ...}, e.g.
 * {@code 3 640,1.05,16,1.1 480,1.05,16,1.1}.
 */
public final class DetectorScheduleBenchmark {
  private DetectorScheduleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    List<OpenCvObjectDetector.Schedule> schedules = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String[] f = args[i].split(",");
      schedules.add(new OpenCvObjectDetector.Schedule(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
          Integer.parseInt(f[2]), Double.parseDouble(f[3])));
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<BufferedImage> frames = new ArrayList<>();
    for (String photo : DetectorPrecision.labels().stream().map(DetectorPrecision.Label::photo).distinct().toList()) {
      BufferedImage full = ImageIO.read(DetectorPrecision.PHOTOS.resolve(photo).toFile());
      for (double zoom : DetectorPrecision.ZOOMS) {
        Rectangle2D crop = DetectorPrecision.crop(full, zoom);
        frames.add(DetectorPrecision.keyframe(full, crop));
      }
    }
    List<OpenCvObjectDetector> detectors = new ArrayList<>();
    for (OpenCvObjectDetector.Schedule s : schedules) {
      OpenCvObjectDetector d = new OpenCvObjectDetector(new DetectorSettings(DetectorBackend.OPENCV, null, 0.4, 0.5), s);
      List<String> log = new ArrayList<>();
      Map<String, DetectorPrecision.Score> scores = DetectorPrecision.measure(d, log);
      System.out.println(s + " scores " + scores);
      log.forEach(l -> System.out.println("   " + l));
      detectors.add(d);
    }
    long[] cpu = new long[schedules.size()];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < detectors.size(); i++) {
        long t0 = os.getProcessCpuTime();
        for (BufferedImage f : frames) {
          detectors.get(i).detect(f);
        }
        cpu[i] += os.getProcessCpuTime() - t0;
      }
    }
    for (int i = 0; i < schedules.size(); i++) {
      double ms = cpu[i] / 1e6 / rounds / frames.size();
      System.out.printf("%s: %.1f ms CPU per keyframe (%.2fx the first)%n", schedules.get(i), ms, (double) cpu[i] / cpu[0]);
    }
  }
}
