package dev.longshot.ingest.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Class names for YOLO models: the 80 COCO classes in the order YOLO models trained on COCO emit them, or the
 * names an Ultralytics export stores in its ONNX metadata ({@code names}: a Python dict literal such as
 * {@code {0: 'person', 1: 'bicycle'}}).
 */
final class CocoClasses {
  static final List<String> NAMES = List.of(
      "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
      "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
      "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
      "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
      "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
      "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
      "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
      "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear",
      "hair drier", "toothbrush");

  private static final Pattern ENTRY = Pattern.compile("(\\d+)\\s*:\\s*['\"]([^'\"]*)['\"]");

  private CocoClasses() {}

  /** Names parsed from an Ultralytics {@code names} metadata value; empty when it holds none. */
  static List<String> parseNames(String dictLiteral) {
    Map<Integer, String> byIndex = new TreeMap<>();
    Matcher m = ENTRY.matcher(dictLiteral == null ? "" : dictLiteral);
    while (m.find()) {
      byIndex.put(Integer.parseInt(m.group(1)), m.group(2));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < byIndex.size(); i++) {
      String name = byIndex.get(i);
      if (name == null) {
        return List.of();
      }
      out.add(name);
    }
    return out;
  }
}
