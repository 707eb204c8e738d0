package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small media files made with the ffmpeg command line (Debian's ffmpeg) for tests. */
public final class MediaFixtures {
  public static final String FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

  private MediaFixtures() {}

  /** Runs ffmpeg with {@code args} (after {@code -v error -y}); fails the test on a non-zero exit. */
  public static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
    assertThat(p.exitValue()).as("ffmpeg " + String.join(" ", args) + "\n" + out).isZero();
  }

  /** drawtext filter showing {@code text} (no commas or colons) from {@code from} to {@code to} seconds. */
  static String text(String text, int size, String y, double from, double to) {
    return "drawtext=fontfile=" + FONT + ":text='" + text + "':fontsize=" + size + ":fontcolor=black:x=40:y=" + y
        + ":enable='between(t," + from + "," + to + ")'";
  }

  /**
   * Three 4-second "slides" (640x360, white, black text) with a 440 Hz tone: 0-4 s "Project Heron", 4-8 s "Budget
   * Overview" with "Total budget 4.2 million euros", 8-12 s the same title with a second line added.
   */
  public static Path slides(Path dir) throws IOException, InterruptedException {
    Path out = dir.resolve("slides.mp4");
    String vf = String.join(",",
        text("Project Heron", 40, "60", 0, 3.99),
        text("River monitoring lecture", 28, "140", 0, 3.99),
        text("Budget Overview", 40, "60", 4, 12),
        text("Total budget 4.2 million euros", 28, "140", 4, 12),
        text("Sensors 1.5 million euros", 28, "200", 8, 12));
    ffmpeg("-f", "lavfi", "-i", "color=c=white:s=640x360:r=10:d=12", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=12",
        "-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", out.toString());
    return out;
  }

  /** A {@code seconds}-long 320x240 test pattern with no audio. */
  public static Path silentVideo(Path dir, String name, double seconds, String extraVf) throws IOException, InterruptedException {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc=s=320x240:r=15:d=" + seconds));
    if (extraVf != null) {
      args.addAll(List.of("-vf", extraVf));
    }
    args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out.toString()));
    ffmpeg(args.toArray(String[]::new));
    return out;
  }

  /** A {@code seconds}-long mono tone as AAC in .m4a (no video). */
  public static Path audioOnly(Path dir, double seconds) throws IOException, InterruptedException {
    Path out = dir.resolve("tone.m4a");
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=" + seconds, "-c:a", "aac", out.toString());
    return out;
  }

  /** The first {@code bytes} bytes of {@code file} as a new file. */
  public static Path truncated(Path file, Path dir, String name, long bytes) throws IOException {
    Path out = dir.resolve(name);
    byte[] all = Files.readAllBytes(file);
    Files.write(out, java.util.Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
    return out;
  }
}
