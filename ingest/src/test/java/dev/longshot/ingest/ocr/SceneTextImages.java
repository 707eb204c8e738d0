package dev.longshot.ingest.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Scene-text test images: words drawn with Java2D over real photos (Debian's darknet package, {@code
 * /usr/share/darknet/data}) in three styles that are hard for a document OCR: saturated colour, rotated, and low
 * contrast against what lies under them. The same seed gives the same images.
 */
public final class SceneTextImages {
  /** Debian package {@code darknet}. */
  public static final Path PHOTOS = Path.of("/usr/share/darknet/data");
  static final List<String> PHOTO_NAMES = List.of("dog.jpg", "person.jpg", "horses.jpg", "kite.jpg", "giraffe.jpg",
      "eagle.jpg");
  static final List<String> WORDS = List.of("COFFEE", "Harbour", "EXIT", "Station", "Market", "PIZZA", "Museum",
      "Garden", "BAKERY", "Street", "Hotel", "Parking", "River", "Bridge", "OPEN", "Library", "Pharmacy", "Tickets");
  private static final String FONT_DIR = "/usr/share/fonts/truetype/dejavu/";

  /** How the text is drawn. */
  public enum Style { COLOUR, ROTATED, LOW_CONTRAST }

  /**
   * One image.
   *
   * @param text the words drawn, one line
   * @param region where the text was drawn (its rotated bounds), normalised to the image
   */
  public record Sample(String name, Style style, BufferedImage image, String text, Rectangle2D region) {}

  private SceneTextImages() {}

  /** {@code count} images cycling through the styles and photos, words and placement drawn from {@code seed}. */
  public static List<Sample> generate(long seed, int count) {
    return generate(seed, count, false);
  }

  /**
   * As {@link #generate(long, int)}; with {@code upsideDown} the same words in the same places, colours and fonts
   * are drawn turned a further 180° about their centre (for the angle classifier).
   */
  public static List<Sample> generate(long seed, int count, boolean upsideDown) {
    Random rnd = new Random(seed);
    List<Sample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Style style = Style.values()[i % Style.values().length];
      String photo = PHOTO_NAMES.get(i % PHOTO_NAMES.size());
      String text = WORDS.get(rnd.nextInt(WORDS.size())) + " " + WORDS.get(rnd.nextInt(WORDS.size()));
      BufferedImage base = photo(photo);
      Rectangle2D[] region = new Rectangle2D[1];
      BufferedImage img = draw(base, text, style, rnd, region, upsideDown);
      out.add(new Sample(photo.replace(".jpg", "") + "-" + style.name().toLowerCase(Locale.ROOT)
          + (upsideDown ? "-flipped-" : "-") + i, style, img, text, region[0]));
    }
    return out;
  }

  static BufferedImage photo(String name) {
    File f = PHOTOS.resolve(name).toFile();
    try {
      BufferedImage img = ImageIO.read(f);
      if (img == null) {
        throw new IOException("not an image");
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read test photo " + f + " (Debian package darknet)", e);
    }
  }

  static BufferedImage draw(BufferedImage photo, String text, Style style, Random rnd, Rectangle2D[] region,
      boolean upsideDown) {
    BufferedImage img = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    try {
      g.drawImage(photo, 0, 0, null);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      float size = photo.getHeight() / (9f + rnd.nextInt(5));
      Font font = font(rnd.nextBoolean() ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf").deriveFont(size);
      FontRenderContext frc = g.getFontRenderContext();
      Rectangle2D bounds = font.getStringBounds(text, frc);
      double angle = style == Style.ROTATED ? Math.toRadians((rnd.nextBoolean() ? 1 : -1) * (12 + rnd.nextInt(14))) : 0;
      double spanX = Math.abs(bounds.getWidth() * Math.cos(angle)) + Math.abs(bounds.getHeight() * Math.sin(angle));
      double spanY = Math.abs(bounds.getWidth() * Math.sin(angle)) + Math.abs(bounds.getHeight() * Math.cos(angle));
      double cx = spanX / 2 + rnd.nextDouble() * Math.max(1, photo.getWidth() - spanX);
      double cy = spanY / 2 + rnd.nextDouble() * Math.max(1, photo.getHeight() - spanY);
      region[0] = new Rectangle2D.Double((cx - spanX / 2) / photo.getWidth(), (cy - spanY / 2) / photo.getHeight(),
          spanX / photo.getWidth(), spanY / photo.getHeight());
      g.setColor(switch (style) {
        case COLOUR, ROTATED -> Color.getHSBColor(rnd.nextFloat(), 0.85f, 0.95f);
        case LOW_CONTRAST -> lowContrast(photo, cx, cy, bounds.getWidth(), bounds.getHeight());
      });
      g.setFont(font);
      AffineTransform at = AffineTransform.getTranslateInstance(cx, cy);
      at.rotate(upsideDown ? angle + Math.PI : angle);
      g.transform(at);
      g.drawString(text, (float) (-bounds.getWidth() / 2), (float) (-bounds.getCenterY()));
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The mean colour under the text, lighter or darker by 45 levels: readable, but faint. */
  private static Color lowContrast(BufferedImage photo, double cx, double cy, double w, double h) {
    long r = 0;
    long gr = 0;
    long b = 0;
    long n = 0;
    for (int y = (int) Math.max(0, cy - h / 2); y < Math.min(photo.getHeight(), cy + h / 2); y++) {
      for (int x = (int) Math.max(0, cx - w / 2); x < Math.min(photo.getWidth(), cx + w / 2); x++) {
        int rgb = photo.getRGB(x, y);
        r += (rgb >> 16) & 0xff;
        gr += (rgb >> 8) & 0xff;
        b += rgb & 0xff;
        n++;
      }
    }
    n = Math.max(1, n);
    int mr = (int) (r / n);
    int mg = (int) (gr / n);
    int mb = (int) (b / n);
    int shift = (mr + mg + mb) / 3 > 128 ? -45 : 45;
    return new Color(clamp(mr + shift), clamp(mg + shift), clamp(mb + shift));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static Font font(String file) {
    try {
      return Font.createFont(Font.TRUETYPE_FONT, new File(FONT_DIR + file));
    } catch (IOException | FontFormatException e) {
      throw new IllegalStateException("Cannot load font " + FONT_DIR + file + " (Debian package fonts-dejavu-core)", e);
    }
  }

  /** Writes the images of {@code generate(seed, count)} as PNGs into {@code dir} (for looking at them). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (Sample s : generate(Long.parseLong(args[1]), Integer.parseInt(args[2]))) {
      ImageIO.write(s.image(), "png", dir.resolve(s.name() + ".png").toFile());
      System.out.println(s.name() + "\t" + s.text());
    }
  }
}
