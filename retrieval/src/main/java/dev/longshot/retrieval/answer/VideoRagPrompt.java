package dev.longshot.retrieval.answer;

import dev.longshot.timeline.Timestamps;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer prompt in Video-RAG's layout (Luo et al., 2024, section 3.3): the selected frames as images, then
 * the auxiliary texts, each block in chronological order and introduced the way the paper does (detected objects
 * per frame; speech recognition; on-screen text), then the question. Every item carries its mm:ss time (and the
 * video id when the evidence spans several videos) so the model can cite moments.
 */
public final class VideoRagPrompt {
  /** System message sent ahead of the prompt. */
  public static final String SYSTEM = "You answer questions about videos. Use the video frames and the auxiliary "
      + "texts you are given, cite moments as mm:ss, and say so when they do not contain the answer.";

  private VideoRagPrompt() {}

  /** Keyframes to show, chronological and distinct, at most {@code max}: (video id, keyframe name) pairs. */
  public static List<Evidence> keyframes(List<Evidence> evidence, int max) {
    Map<String, Evidence> distinct = new LinkedHashMap<>();
    for (Evidence e : chronological(evidence)) {
      if (e.keyframe() != null) {
        distinct.putIfAbsent(e.videoId() + "/" + e.keyframe(), e);
      }
    }
    List<Evidence> all = new ArrayList<>(distinct.values());
    if (all.size() <= max) {
      return all;
    }
    List<Evidence> byScore = new ArrayList<>(all);
    byScore.sort(Comparator.comparingDouble(Evidence::score).reversed());
    List<Evidence> top = byScore.subList(0, max);
    return all.stream().filter(top::contains).toList();
  }

  /** The user prompt text; {@code frames} are the keyframes attached as images, in order. */
  public static String text(String question, List<Evidence> evidence, List<Evidence> frames) {
    boolean manyVideos = evidence.stream().map(Evidence::videoId).distinct().count() > 1;
    StringBuilder sb = new StringBuilder();
    if (!frames.isEmpty()) {
      sb.append("The video has ").append(frames.size()).append(" selected frames, attached in this order: ");
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < frames.size(); i++) {
        labels.add("Frame " + (i + 1) + " at " + at(frames.get(i), manyVideos));
      }
      sb.append(String.join(", ", labels)).append(".\n");
    }
    List<Evidence> ordered = chronological(evidence);
    List<String> det = lines(ordered, Modality.DET, manyVideos, "Frame at ");
    if (!det.isEmpty()) {
      sb.append("The detected objects' information in specific frames:\n").append(String.join("\n", det)).append('\n');
    }
    List<String> speech = new ArrayList<>(lines(ordered, Modality.SUBTITLE, manyVideos, ""));
    speech.addAll(lines(ordered, Modality.ASR, manyVideos, ""));
    if (!speech.isEmpty()) {
      sb.append("Video Automatic Speech Recognition information (given in chronological order of the video): ")
          .append(String.join(" ", speech)).append('\n');
    }
    List<String> ocr = lines(ordered, Modality.OCR, manyVideos, "");
    if (!ocr.isEmpty()) {
      sb.append("Video OCR information (given in chronological order of the video): ").append(String.join("; ", ocr)).append('\n');
    }
    if (evidence.isEmpty()) {
      sb.append("No auxiliary information was found for this question.\n");
    }
    sb.append("Answer the question using the video and the information above; cite times as mm:ss. ")
        .append("If they do not contain the answer, say so. Question: ").append(question);
    return sb.toString();
  }

  private static List<String> lines(List<Evidence> ordered, Modality m, boolean manyVideos, String prefix) {
    List<String> out = new ArrayList<>();
    for (Evidence e : ordered) {
      if (e.modality() == m) {
        out.add((prefix.isEmpty() ? "[" + at(e, manyVideos) + "] " : prefix + at(e, manyVideos) + ": ") + e.text().strip());
      }
    }
    return out;
  }

  private static String at(Evidence e, boolean manyVideos) {
    return (manyVideos ? "video " + e.videoId() + " " : "") + Timestamps.format(e.startMillis());
  }

  private static List<Evidence> chronological(List<Evidence> evidence) {
    List<Evidence> out = new ArrayList<>(evidence);
    out.removeIf(Objects::isNull);
    out.sort(Comparator.comparing(Evidence::videoId).thenComparingLong(Evidence::startMillis));
    return out;
  }
}
