package dev.longshot.retrieval.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the parts of a detection text that a question's TYPE asks for, as Video-RAG does before prompting:
 * counts ({@code Objects: ...}) for number, {@code Locations: ...} for location, {@code Relations: ...} for
 * relation. The text format is the ingest module's {@code DetectionText}; text in another shape is returned
 * unchanged, and so is everything when TYPE is empty.
 */
public final class ObjectTextFilter {
  private static final Pattern PART = Pattern.compile("(Objects|Locations|Relations):\\s*(.*?)(?=\\s*(?:Objects|Locations|Relations):|$)", Pattern.DOTALL);

  private ObjectTextFilter() {}

  public static String apply(String detText, Set<ObjectInfo> wanted) {
    if (wanted.isEmpty() || detText == null) {
      return detText;
    }
    Matcher m = PART.matcher(detText.strip());
    List<String> kept = new ArrayList<>();
    boolean structured = false;
    while (m.find()) {
      structured = true;
      ObjectInfo kind = switch (m.group(1)) {
        case "Objects" -> ObjectInfo.NUMBER;
        case "Locations" -> ObjectInfo.LOCATION;
        default -> ObjectInfo.RELATION;
      };
      if (wanted.contains(kind)) {
        kept.add(m.group(1) + ": " + m.group(2).strip());
      }
    }
    return !structured || kept.isEmpty() ? detText : String.join(" ", kept);
  }
}
