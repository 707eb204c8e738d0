package dev.longshot.retrieval.query;

import dev.longshot.config.DecomposerKind;
import dev.longshot.timeline.ObjectClasses;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decomposes a question with rules, no model: quoted phrases; object nouns matched against the detector's class
 * names (singular or plural, plus a few everyday synonyms such as "people" for person); cue words for TYPE
 * ("how many" is number, "where" is location, "left of" is relation); and the remaining content words as the
 * speech request. Thread-safe.
 */
public final class RuleBasedDecomposer implements QueryDecomposer {
  private static final Pattern QUOTED = Pattern.compile("[\"“”]([^\"“”]{1,200})[\"“”]");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'-]*");
  private static final Pattern NUMBER_CUE = Pattern.compile("\\b(how many|how much|number of|count|counting|total of)\\b");
  private static final Pattern LOCATION_CUE = Pattern.compile(
      "\\b(where|which side|what side|position|located|location|corner|top|bottom|center|centre|middle)\\b");
  private static final Pattern RELATION_CUE = Pattern.compile("\\b(left of|right of|next to|beside|above|below|under"
      + "|underneath|behind|in front of|on top of|between|near|closer|farther|relative to|on the left|on the right)\\b");
  private static final Map<String, String> SYNONYMS = Map.ofEntries(
      Map.entry("people", "person"), Map.entry("man", "person"), Map.entry("men", "person"),
      Map.entry("woman", "person"), Map.entry("women", "person"), Map.entry("speaker", "person"),
      Map.entry("presenter", "person"), Map.entry("lecturer", "person"), Map.entry("phone", "cell phone"),
      Map.entry("television", "tv"), Map.entry("monitor", "tv"), Map.entry("sofa", "couch"),
      Map.entry("table", "dining table"), Map.entry("plant", "potted plant"), Map.entry("bike", "bicycle"),
      Map.entry("motorbike", "motorcycle"), Map.entry("plane", "airplane"), Map.entry("ball", "sports ball"));
  private static final Set<String> STOP = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been", "do",
      "does", "did", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "many", "much", "of",
      "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "not", "it", "its", "this", "that", "these",
      "those", "there", "here", "video", "clip", "say", "says", "said", "tell", "me", "about", "can", "could",
      "you", "i", "we", "they", "he", "she", "his", "her", "their", "our", "your", "my", "any", "some", "left",
      "right", "than", "as", "into", "onto", "over", "shown", "show", "shows", "appear", "appears", "s");

  private final List<String> classes;
  private final List<Pattern> classPatterns;

  /** @param detectorClasses the object detector's class names (lower case), e.g. the 80 COCO classes */
  public RuleBasedDecomposer(List<String> detectorClasses) {
    if (detectorClasses == null || detectorClasses.isEmpty()) {
      throw new IllegalArgumentException("detectorClasses must not be empty");
    }
    this.classes = detectorClasses.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty())
        .sorted((a, b) -> b.length() - a.length()).toList();
    this.classPatterns = classes.stream().map(c -> Pattern.compile("\\b" + Pattern.quote(c) + "(s|es)?\\b")).toList();
  }

  /** A decomposer that knows the 80 COCO classes (what the bundled detectors report). */
  public static RuleBasedDecomposer withCocoClasses() {
    return new RuleBasedDecomposer(ObjectClasses.COCO);
  }

  @Override
  public RetrievalPlan decompose(String question) {
    String q = question == null ? "" : question.toLowerCase(Locale.ROOT);
    List<String> phrases = new ArrayList<>();
    Matcher m = QUOTED.matcher(question == null ? "" : question);
    while (m.find()) {
      phrases.add(m.group(1).strip());
    }
    Set<String> objects = objects(q);
    Set<ObjectInfo> info = EnumSet.noneOf(ObjectInfo.class);
    if (NUMBER_CUE.matcher(q).find()) {
      info.add(ObjectInfo.NUMBER);
    }
    if (LOCATION_CUE.matcher(q).find()) {
      info.add(ObjectInfo.LOCATION);
    }
    if (RELATION_CUE.matcher(q).find()) {
      info.add(ObjectInfo.RELATION);
    }
    if (objects.isEmpty()) {
      info.clear();
    }
    return new RetrievalPlan(speechRequest(q), List.copyOf(objects), info, phrases, DecomposerKind.RULES.configName());
  }

  /** Class names mentioned in {@code q} (lower case), longest names first so "cell phone" beats "phone". */
  Set<String> objects(String q) {
    Set<String> out = new LinkedHashSet<>();
    String rest = q;
    for (int i = 0; i < classes.size(); i++) {
      Matcher m = classPatterns.get(i).matcher(rest);
      if (m.find()) {
        out.add(classes.get(i));
        rest = m.replaceAll(" ");
      }
    }
    Matcher w = WORD.matcher(rest);
    while (w.find()) {
      String mapped = SYNONYMS.get(w.group());
      if (mapped != null && classes.contains(mapped)) {
        out.add(mapped);
      }
    }
    return out;
  }

  private static String speechRequest(String q) {
    List<String> words = new ArrayList<>();
    Matcher w = WORD.matcher(q);
    while (w.find() && words.size() < 64) {
      if (!STOP.contains(w.group())) {
        words.add(w.group());
      }
    }
    return words.isEmpty() ? null : String.join(" ", words);
  }
}
