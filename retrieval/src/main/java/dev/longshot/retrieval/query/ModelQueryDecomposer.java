package dev.longshot.retrieval.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.capabilities.TextCompletion;
import dev.longshot.config.DecomposerKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the configured model for Video-RAG's retrieval request: a JSON object with {@code ASR} (speech to look
 * for, or null), {@code DET} (up to five physical objects, or null) and {@code TYPE} (any of location, number,
 * relation, or null). The prompt follows the paper's layout (question, field descriptions, worked examples, "do
 * not answer yet"), in our own words. Output that is not such an object (prose, broken JSON, wrong types), or a
 * backend error, falls back to {@link RuleBasedDecomposer} and is logged. Thread-safe if the generator is.
 */
public final class ModelQueryDecomposer implements QueryDecomposer {
  private static final Logger LOG = LoggerFactory.getLogger(ModelQueryDecomposer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_OBJECTS = 5;
  private final TextCompletion model;
  private final RuleBasedDecomposer fallback;

  public ModelQueryDecomposer(TextCompletion model, RuleBasedDecomposer fallback) {
    this.model = Objects.requireNonNull(model, "model");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  @Override
  public RetrievalPlan decompose(String question) {
    RetrievalPlan rules = fallback.decompose(question);
    String reply;
    try {
      reply = model.generate(prompt(question));
    } catch (RuntimeException e) {
      LOG.warn("Decomposition model failed ({}); using the rule-based plan", e.getMessage(), e);
      return rules;
    }
    try {
      return parse(reply, rules);
    } catch (IllegalArgumentException e) {
      LOG.warn("Decomposition model output unusable ({}); using the rule-based plan", e.getMessage());
      return rules;
    }
  }

  /** The decomposition prompt for {@code question}. */
  public static String prompt(String question) {
    return "Question: " + question + "\n"
        + "Before answering, say what should be looked up in the video to answer this question. Reply with one "
        + "JSON object and nothing else, with these fields:\n"
        + "{\n"
        + "  \"ASR\": string or null. What the speech in the video would need to mention to answer the question, "
        + "in at most two sentences; null if speech does not help.\n"
        + "  \"DET\": list of strings or null. Up to five physical objects (not abstract ideas) whose presence or "
        + "position matters for the question; null if none.\n"
        + "  \"TYPE\": list or null. Which facts about those objects are needed: any of \"location\" (where in the "
        + "frame), \"number\" (how many), \"relation\" (placement relative to each other); null if none.\n"
        + "}\n"
        + "Example: \"How many cups are on the desk left of the laptop?\" -> "
        + "{\"ASR\": \"cups on the desk\", \"DET\": [\"cup\", \"laptop\"], \"TYPE\": [\"number\", \"relation\"]}\n"
        + "Example: \"What did the speaker say about the exam date?\" -> "
        + "{\"ASR\": \"The date of the exam.\", \"DET\": null, \"TYPE\": null}\n"
        + "Do not answer the question now; only give the JSON retrieval request.";
  }

  /** Parses a model reply; throws IllegalArgumentException when it is not a usable retrieval request. */
  static RetrievalPlan parse(String reply, RetrievalPlan rules) {
    JsonNode root = readObject(reply);
    JsonNode asr = root.get("ASR");
    if (asr != null && !asr.isNull() && !asr.isTextual()) {
      throw new IllegalArgumentException("ASR is " + asr.getNodeType() + ", expected a string or null");
    }
    String asrText = asr == null || asr.isNull() || asr.asText().equalsIgnoreCase("null") ? null : asr.asText();
    List<String> objects = new ArrayList<>();
    for (String o : strings(root, "DET")) {
      if (objects.size() < MAX_OBJECTS && !o.isBlank()) {
        objects.add(o.strip().toLowerCase(Locale.ROOT));
      }
    }
    Set<ObjectInfo> info = EnumSet.noneOf(ObjectInfo.class);
    for (String t : strings(root, "TYPE")) {
      info.add(ObjectInfo.parse(t).orElseThrow(() -> new IllegalArgumentException("TYPE value \"" + t + "\" is not location, number or relation")));
    }
    return new RetrievalPlan(asrText, objects, info, rules.phrases(), DecomposerKind.MODEL.configName());
  }

  private static JsonNode readObject(String reply) {
    String text = reply == null ? "" : reply;
    int open = text.indexOf('{');
    int close = text.lastIndexOf('}');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("no JSON object in the reply");
    }
    try {
      JsonNode node = JSON.readTree(text.substring(open, close + 1));
      if (!node.isObject() || !(node.has("ASR") || node.has("DET") || node.has("TYPE"))) {
        throw new IllegalArgumentException("the JSON object has none of ASR, DET, TYPE");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("broken JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static List<String> strings(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().equalsIgnoreCase("null"))) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(field + " is " + n.getNodeType() + ", expected a list or null");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException(field + " holds " + e.getNodeType() + ", expected strings");
      }
      out.add(e.asText());
    }
    return out;
  }
}
