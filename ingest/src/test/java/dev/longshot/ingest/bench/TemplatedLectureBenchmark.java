package dev.longshot.ingest.bench;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestPipeline;
import dev.longshot.ingest.SubtitleSource;
import dev.longshot.ingest.ocr.TextRecognizers;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Issue 14's templated lecture at length: a generated lecture whose slides share one layout (title, three lines) and
 * differ from the previous slide by one or two words (a region, a number, a name), {@code SECONDS} per slide, at
 * 1280x720 10 fps; ingested with Tesseract OCR (no ASR, no detector: the question is OCR spans). Prints the fraction
 * of slides that got an OCR span of their own: a span starting within -0.1..+1.5 s of the slide that holds all three
 * of its changing words; and the ingest's wall time, process CPU and real-time factors. Deterministic (seeded).
 * Run: {@code bench/run ingest dev.longshot.ingest.bench.TemplatedLectureBenchmark [minutes=60] [seconds-per-slide=20]}.
 * The video is cached under {@code ingest/target/bench-media}.
 */
public final class TemplatedLectureBenchmark {
  private static final Path REPO = Path.of(System.getProperty("longshot.repo.root", ".")).toAbsolutePath().normalize();
  private static final Path WORK = REPO.resolve("ingest/target/bench-media");
  private static final String[] REGIONS = {"North", "South", "East", "West", "Central", "Coastal"};
  private static final String[] OWNERS = {"Maria", "Jonas", "Aisha", "Pedro", "Lena", "Tomas", "Yuki", "Omar"};

  private TemplatedLectureBenchmark() {}

  /** One slide: its start and its three changing words (region, percent, owner). */
  record Slide(int index, long startMillis, String region, int percent, String owner) {
    List<String> lines() {
      return List.of("Region " + region, "Revenue grew " + percent + " percent", "Owner " + owner);
    }
  }

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int perSlide = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<Slide> deck = deck(minutes * 60 / perSlide, perSlide);
    Files.createDirectories(WORK);
    Path video = WORK.resolve("templated-" + minutes + "min-" + perSlide + "s.mp4");
    if (!Files.isRegularFile(video)) {
      long t = System.nanoTime();
      render(deck, perSlide, minutes * 60, video);
      System.out.printf(Locale.ROOT, "generated %s (%d slides) in %.0f s%n", video.getFileName(), deck.size(),
          (System.nanoTime() - t) / 1e9);
    }
    Path data = Files.createTempDirectory(WORK, "templated-data-");
    Map<String, String> env = new HashMap<>();
    env.put("HOME", System.getProperty("user.home"));
    env.put("LONGSHOT_DATA_DIR", data.toString());
    LongshotConfig config = ConfigLoader.load(null, env);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (IngestPipeline p = new IngestPipeline(config, TextRecognizers.create(config.ocr()).orElseThrow(), null, null,
        SubtitleSource.NONE)) {
      double cpu0 = os.getProcessCpuTime() / 1e9;
      long t0 = System.nanoTime();
      VideoManifest m = p.ingest(video, ProgressListener.NONE).manifest();
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = os.getProcessCpuTime() / 1e9 - cpu0;
      List<Segment> ocr = p.store().segments(m.videoId()).stream().filter(s -> s.modality() == Modality.OCR).toList();
      int own = 0;
      List<String> missed = new ArrayList<>();
      for (Slide s : deck) {
        boolean found = ocr.stream().anyMatch(span -> span.startMillis() >= s.startMillis() - 100
            && span.startMillis() <= s.startMillis() + 1500 && s.lines().stream().allMatch(l -> span.text().contains(l)));
        if (found) {
          own++;
        } else if (missed.size() < 10) {
          missed.add(String.format(Locale.ROOT, "slide %d at %.0f s %s", s.index(), s.startMillis() / 1000.0, s.lines()));
        }
      }
      double seconds = m.durationMillis() / 1000.0;
      System.out.printf(Locale.ROOT, "%d min templated lecture, %d slides of %d s: %d of %d slides (%.1f %%) have their own"
          + " OCR span; %d OCR spans in the record, %d keyframes%n", minutes, deck.size(), perSlide, own, deck.size(),
          100.0 * own / deck.size(), ocr.size(), m.keyframeCount());
      System.out.printf(Locale.ROOT, "ingest (OCR only): wall %.1f s (%.1fx real time), process CPU %.1f s (%.1fx real time"
          + " per CPU s), load average %.1f; stages %s%n", wall, seconds / wall, cpu, seconds / cpu,
          os.getSystemLoadAverage(), m.stageMillis());
      missed.forEach(x -> System.out.println("  missed: " + x));
    }
  }

  /** Each slide changes one or two of the three words of the previous one (never none). */
  static List<Slide> deck(int count, int perSlide) {
    Random rnd = new Random(14);
    List<Slide> out = new ArrayList<>();
    String region = REGIONS[0];
    int percent = 4;
    String owner = OWNERS[0];
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        int changes = 1 + rnd.nextInt(2);
        int first = rnd.nextInt(3);
        for (int c = 0; c < changes; c++) {
          switch ((first + c) % 3) {
            case 0 -> region = other(REGIONS, region, rnd);
            case 1 -> {
              int next = percent + 1 + rnd.nextInt(8);
              percent = next > 40 ? 2 + rnd.nextInt(5) : next;
            }
            default -> owner = other(OWNERS, owner, rnd);
          }
        }
      }
      out.add(new Slide(i, (long) i * perSlide * 1000, region, percent, owner));
    }
    return out;
  }

  private static String other(String[] words, String current, Random rnd) {
    String w;
    do {
      w = words[rnd.nextInt(words.length)];
    } while (w.equals(current));
    return w;
  }

  /** One PNG per slide (Java2D, DejaVu Sans), then FFmpeg's concat demuxer: H.264 1280x720 10 fps. */
  private static void render(List<Slide> deck, int perSlide, int totalSeconds, Path video) throws Exception {
    Path dir = Files.createTempDirectory(WORK, "slides-");
    StringBuilder list = new StringBuilder();
    Font title = new Font("DejaVu Sans", Font.BOLD, 44);
    Font body = new Font("DejaVu Sans", Font.PLAIN, 30);
    for (Slide s : deck) {
      BufferedImage img = new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 1280, 720);
      g.setColor(new Color(20, 40, 90));
      g.fillRect(0, 0, 1280, 90);
      g.setColor(Color.WHITE);
      g.setFont(title);
      g.drawString("Weekly Sales Report", 60, 62);
      g.setColor(Color.BLACK);
      g.setFont(body);
      List<String> lines = s.lines();
      for (int l = 0; l < lines.size(); l++) {
        g.drawString(lines.get(l), 80, 200 + 70 * l);
      }
      g.setFont(body.deriveFont(20f));
      g.setColor(Color.GRAY);
      g.drawString("Longshot Inc. internal", 60, 690);
      g.dispose();
      Path png = dir.resolve(String.format(Locale.ROOT, "slide%04d.png", s.index()));
      ImageIO.write(img, "png", png.toFile());
      list.append("file '").append(png).append("'\nduration ").append(perSlide).append('\n');
    }
    list.append("file '").append(dir.resolve(String.format(Locale.ROOT, "slide%04d.png", deck.size() - 1))).append("'\n");
    Path listFile = dir.resolve("list.txt");
    Files.writeString(listFile, list);
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i",
        listFile.toString(), "-vf", "fps=10,format=yuv420p", "-t", String.valueOf(totalSeconds), "-c:v", "libx264",
        "-preset", "veryfast", "-tune", "stillimage", video.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + out);
    }
  }
}
