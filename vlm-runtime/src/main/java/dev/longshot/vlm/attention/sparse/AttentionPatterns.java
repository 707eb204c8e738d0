package dev.longshot.vlm.attention.sparse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.vlm.attention.sparse.VerticalSlashPattern.Boundary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-head patterns of one model, as found by {@link PatternSearch} and stored in a JSON file (format
 * {@value #FORMAT}, version {@value #VERSION}); heads without an entry are dense. Fields:
 * <ul>
 *   <li>{@code format}, {@code version}: this file type;
 *   <li>{@code model}: the {@link dev.longshot.vlm.model.ModelFingerprint} of the model searched; loading the file
 *       for another model fails naming both;
 *   <li>{@code layers}, {@code heads}: the model's shape;
 *   <li>{@code patterns}: one object per head with {@code layer}, {@code head}, {@code recall} (attention recall on
 *       the calibration prompts) and {@code type}: {@code "a-shape"} ({@code sink}, {@code local}), {@code "grid"}
 *       ({@code stride}, {@code shift}, {@code lines}: {@code "v"} or {@code "h+v"}, {@code local}) or
 *       {@code "vertical-slash"} ({@code v}, {@code s}, {@code last-q}, {@code boundary}: {@code no-boundary},
 *       {@code q-boundary} or {@code 2d-boundary}; since version 2 {@code target-recall}: the recall the search
 *       sized {@code v} and {@code s} for, and to which the online step grows them, 0 for fixed budgets).
 * </ul>
 * Version history: 1 (session 1 of issue 17: fixed vertical-slash budgets), 2 (adds {@code target-recall}). Version
 * 1 files are still read (their vertical-slash heads keep fixed budgets).
 * Immutable.
 */
public final class AttentionPatterns {
  public static final String FORMAT = "longshot-attention-patterns";
  public static final int VERSION = 2;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The {@code type} of each pattern in the file, written and read only through these. */
  private static final String A_SHAPE = "a-shape";
  private static final String GRID = "grid";
  private static final String VERTICAL_SLASH = "vertical-slash";
  private static final String DENSE = "dense";
  private static final List<String> TYPES = List.of(A_SHAPE, GRID, VERTICAL_SLASH, DENSE);

  /** One head's pattern with the recall that chose it. */
  public record Entry(HeadPattern pattern, double recall) {}

  private final String model;
  private final int layers;
  private final int heads;
  private final Map<Long, Entry> entries;

  public AttentionPatterns(String model, int layers, int heads, Map<Long, Entry> entries) {
    this.model = model;
    this.layers = layers;
    this.heads = heads;
    this.entries = new TreeMap<>(entries);
  }

  /** No patterns: every head dense. */
  public static AttentionPatterns none(String model, int layers, int heads) {
    return new AttentionPatterns(model, layers, heads, Map.of());
  }

  public static long key(int layer, int head) {
    return ((long) layer << 32) | head;
  }

  public String model() {
    return model;
  }

  /** The head's pattern, or {@link DensePattern} if it has none. */
  public HeadPattern patternOf(int layer, int head) {
    Entry e = entries.get(key(layer, head));
    return e == null ? new DensePattern() : e.pattern();
  }

  public Map<Long, Entry> entries() {
    return java.util.Collections.unmodifiableMap(entries);
  }

  public void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT).put("version", VERSION).put("model", model).put("layers", layers).put("heads", heads);
    ArrayNode list = root.putArray("patterns");
    for (Map.Entry<Long, Entry> e : entries.entrySet()) {
      ObjectNode o = list.addObject();
      o.put("layer", (int) (e.getKey() >> 32)).put("head", (int) (long) e.getKey());
      switch (e.getValue().pattern()) {
        case AShapePattern a -> o.put("type", A_SHAPE).put("sink", a.sink()).put("local", a.local());
        case GridPattern g -> o.put("type", GRID).put("stride", g.stride()).put("shift", g.shift())
            .put("lines", g.hLines() ? "h+v" : "v").put("local", g.local());
        case VerticalSlashPattern v -> o.put("type", VERTICAL_SLASH).put("v", v.v()).put("s", v.s())
            .put("last-q", v.lastQ()).put("boundary", v.boundary().id()).put("target-recall", v.targetRecall());
        case DensePattern d -> o.put("type", DENSE);
      }
      o.put("recall", e.getValue().recall());
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Reads {@code file} for the model with fingerprint {@code model} and shape {@code layers x heads}; fails with
   * one clear line for another model, another format or version, or a bad entry.
   */
  public static AttentionPatterns read(Path file, String model, int layers, int heads) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not a JSON attention pattern file (" + e.getOriginalMessage()
          + ")", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(file + ": not an attention pattern file (format must be " + FORMAT + ")");
    }
    int version = root.path("version").asInt();
    if (version < 1 || version > VERSION) {
      throw new IllegalArgumentException(file + ": pattern file version " + root.path("version").asText()
          + " is not supported (this runtime reads versions 1 to " + VERSION + ")");
    }
    String fileModel = root.path("model").asText();
    if (!fileModel.equals(model)) {
      throw new IllegalArgumentException(file + ": the patterns were searched for model " + fileModel
          + " but the loaded model is " + model + "; run attention-search for this model");
    }
    if (root.path("layers").asInt() != layers || root.path("heads").asInt() != heads) {
      throw new IllegalArgumentException(file + ": patterns for " + root.path("layers").asInt() + " layers x "
          + root.path("heads").asInt() + " heads, the model has " + layers + " x " + heads);
    }
    Map<Long, Entry> entries = new TreeMap<>();
    for (JsonNode o : root.path("patterns")) {
      int layer = o.path("layer").asInt(-1);
      int head = o.path("head").asInt(-1);
      if (layer < 0 || layer >= layers || head < 0 || head >= heads) {
        throw new IllegalArgumentException(file + ": pattern for layer " + layer + " head " + head
            + " is outside the model (" + layers + " x " + heads + ")");
      }
      entries.put(key(layer, head), new Entry(parse(file, o), o.path("recall").asDouble()));
    }
    return new AttentionPatterns(model, layers, heads, entries);
  }

  private static HeadPattern parse(Path file, JsonNode o) {
    String type = o.path("type").asText();
    try {
      return switch (type) {
        case A_SHAPE -> new AShapePattern(o.path("sink").asInt(), o.path("local").asInt());
        case GRID -> new GridPattern(o.path("stride").asInt(), o.path("shift").asInt(),
            "h+v".equals(o.path("lines").asText()), o.path("local").asInt());
        case VERTICAL_SLASH -> new VerticalSlashPattern(o.path("v").asInt(), o.path("s").asInt(),
            o.path("last-q").asInt(), Boundary.of(o.path("boundary").asText()), o.path("target-recall").asDouble(0));
        case DENSE -> new DensePattern();
        default -> throw new IllegalArgumentException("unknown pattern type '" + type
            + "' (allowed: " + String.join(", ", TYPES) + ")");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": layer " + o.path("layer").asInt() + " head "
          + o.path("head").asInt() + ": " + e.getMessage(), e);
    }
  }
}
