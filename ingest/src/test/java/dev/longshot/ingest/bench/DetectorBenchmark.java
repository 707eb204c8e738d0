package dev.longshot.ingest.bench;

import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import dev.longshot.ingest.detect.Detection;
import dev.longshot.ingest.detect.DetectionText;
import dev.longshot.ingest.detect.OpenCvObjectDetector;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Time per keyframe of the default OpenCV detector (HOG people + Haar faces) on Debian's darknet photos, next to
 * the baseline measured in the same run: reading the same JPEG with ImageIO, which the pipeline pays for every
 * keyframe anyway. Prints what was found as the DET text. Run:
 * {@code bench/run ingest dev.longshot.ingest.bench.DetectorBenchmark [rounds]}.
 */
public final class DetectorBenchmark {
  private DetectorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    File dir = new File("/usr/share/darknet/data");
    List<File> photos = new ArrayList<>();
    for (String name : new String[] {"person.jpg", "dog.jpg", "horses.jpg", "kite.jpg", "giraffe.jpg", "eagle.jpg"}) {
      photos.add(new File(dir, name));
    }
    try (OpenCvObjectDetector detector = new OpenCvObjectDetector(new DetectorSettings(DetectorBackend.OPENCV, null, 0.4, 0.5))) {
      detector.detect(ImageIO.read(photos.getFirst())); // warm-up
      long readNanos = 0;
      long detectNanos = 0;
      for (int r = 0; r < rounds; r++) {
        for (File f : photos) {
          long t0 = System.nanoTime();
          BufferedImage img = ImageIO.read(f);
          long t1 = System.nanoTime();
          List<Detection> found = detector.detect(img);
          long t2 = System.nanoTime();
          readNanos += t1 - t0;
          detectNanos += t2 - t1;
          if (r == 0) {
            System.out.printf("  %-12s %4dx%-4d %s%n", f.getName(), img.getWidth(), img.getHeight(),
                found.isEmpty() ? "(nothing)" : DetectionText.describe(found));
          }
        }
      }
      int frames = rounds * photos.size();
      double readMs = readNanos / 1e6 / frames;
      double detectMs = detectNanos / 1e6 / frames;
      System.out.printf("baseline JPEG read (ImageIO): %.1f ms/frame%n", readMs);
      System.out.printf("opencv detect (HOG + Haar):   %.1f ms/frame (%.1fx the read time), %d frames%n",
          detectMs, detectMs / readMs, frames);
    }
  }
}
