package dev.longshot.ingest.detect;

import dev.longshot.timeline.BoundingBox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes one keyframe's detections as the object text that retrieval indexes ({@code DET} segments), in the spirit
 * of Video-RAG (Luo et al. 2024, arXiv:2411.13093, section 3.2: detections become "object counting", "relative
 * location" and "relative positional relationship" text). Example:
 *
 * <pre>
 * Objects: person (2), dog (1). Locations: person 1 top-left, person 2 center, dog bottom-right (small).
 * Relations: person 1 is left of and above person 2; person 1 is above and left of dog; person 2 is above and
 * left of dog.
 * </pre>
 *
 * Locations are the cell of a 3x3 grid holding the box centre. Relations compare box centres: the dominant axis
 * decides left/right or above/below, the other axis is added when its offset is at least {@value #SECOND_AXIS_MIN}
 * of the frame and half the dominant one, and "near" means the boxes touch or their gap is under
 * {@value #NEAR_GAP} of the frame. Only the {@value #MAX_OBJECTS} most confident objects get locations and relations, so the text stays
 * short; counts cover all. Deterministic and thread-safe.
 */
public final class DetectionText {
  static final int MAX_OBJECTS = 6;
  static final double NEAR_GAP = 0.05;
  /** A second direction is named ("above and left of") when its offset is this large and half the main one. */
  static final double SECOND_AXIS_MIN = 0.1;
  private static final double LARGE_AREA = 0.25;
  private static final double SMALL_AREA = 0.01;

  private DetectionText() {}

  /** The object text for one keyframe, or the empty string when {@code detections} is empty. */
  public static String describe(List<Detection> detections) {
    if (detections.isEmpty()) {
      return "";
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    detections.stream()
        .sorted(Comparator.comparing(Detection::label))
        .forEach(d -> counts.merge(d.label(), 1, Integer::sum));
    List<Named> objects = name(detections, counts);
    StringBuilder out = new StringBuilder("Objects: ");
    StringJoiner countText = new StringJoiner(", ");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> countText.add(e.getKey() + " (" + e.getValue() + ")"));
    out.append(countText).append(". Locations: ");
    StringJoiner where = new StringJoiner(", ");
    for (Named o : objects) {
      where.add(o.name + " " + location(o.box) + size(o.box));
    }
    out.append(where).append('.');
    String relations = relations(objects);
    if (!relations.isEmpty()) {
      out.append(" Relations: ").append(relations).append('.');
    }
    return out.toString();
  }

  /** The 3x3 grid cell of the box centre: top-left, top, top-right, left, center, right, bottom-left, ... */
  static String location(BoundingBox b) {
    String row = b.centerY() < 1.0 / 3 ? "top" : b.centerY() < 2.0 / 3 ? "" : "bottom";
    String col = b.centerX() < 1.0 / 3 ? "left" : b.centerX() < 2.0 / 3 ? "" : "right";
    if (row.isEmpty() && col.isEmpty()) {
      return "center";
    }
    return row.isEmpty() ? col : col.isEmpty() ? row : row + "-" + col;
  }

  private static String size(BoundingBox b) {
    return b.area() >= LARGE_AREA ? " (large)" : b.area() < SMALL_AREA ? " (small)" : "";
  }

  private record Named(String name, BoundingBox box) {}

  /** The most confident objects, numbered within their class left to right when a class occurs more than once. */
  private static List<Named> name(List<Detection> detections, Map<String, Integer> counts) {
    List<Detection> top = detections.stream()
        .sorted(Comparator.comparingDouble(Detection::confidence).reversed())
        .limit(MAX_OBJECTS)
        .sorted(Comparator.comparing(Detection::label).thenComparingDouble(d -> d.box().centerX()))
        .toList();
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<Named> out = new ArrayList<>();
    for (Detection d : top) {
      int n = seen.merge(d.label(), 1, Integer::sum);
      out.add(new Named(counts.get(d.label()) > 1 ? d.label() + " " + n : d.label(), d.box()));
    }
    out.sort(Comparator.comparingDouble((Named o) -> o.box.centerX()).thenComparing(Named::name));
    return out;
  }

  private static String relations(List<Named> objects) {
    StringJoiner all = new StringJoiner("; ");
    for (int i = 0; i < objects.size(); i++) {
      for (int j = i + 1; j < objects.size(); j++) {
        all.add(relation(objects.get(i), objects.get(j)));
      }
    }
    return all.toString();
  }

  /** "a is left of b", "a is above b and near it", ... for one pair. */
  private static String relation(Named a, Named b) {
    double dx = b.box.centerX() - a.box.centerX();
    double dy = b.box.centerY() - a.box.centerY();
    String horizontal = dx >= 0 ? "left of" : "right of";
    String vertical = dy >= 0 ? "above" : "below";
    boolean horizontalFirst = Math.abs(dx) >= Math.abs(dy);
    double major = Math.max(Math.abs(dx), Math.abs(dy));
    double minor = Math.min(Math.abs(dx), Math.abs(dy));
    String side = horizontalFirst ? horizontal : vertical;
    if (minor >= SECOND_AXIS_MIN && minor >= major / 2) {
      side += " and " + (horizontalFirst ? vertical : horizontal);
    }
    return a.name + " is " + side + " " + b.name + (near(a.box, b.box) ? ", near it" : "");
  }

  static boolean near(BoundingBox a, BoundingBox b) {
    double gapX = Math.max(0, Math.max(a.x(), b.x()) - Math.min(a.x() + a.width(), b.x() + b.width()));
    double gapY = Math.max(0, Math.max(a.y(), b.y()) - Math.min(a.y() + a.height(), b.y() + b.height()));
    return Math.hypot(gapX, gapY) < NEAR_GAP;
  }
}
