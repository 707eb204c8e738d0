package dev.longshot.ingest.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Class names for YOLO models: the names an Ultralytics export stores in its ONNX metadata ({@code names}: a Python dict literal such as
 * {@code {0: 'person', 1: 'bicycle'}}); without them a model emits
 * {@link dev.longshot.timeline.ObjectClasses#COCO}.
 */
final class CocoClasses {
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
