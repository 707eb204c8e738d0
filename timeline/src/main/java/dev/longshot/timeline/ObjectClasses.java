package dev.longshot.timeline;

import java.util.List;

/**
 * The vocabulary of object labels in {@link Modality#OBJECT} segments: the 80 COCO classes, in the order YOLO
 * models trained on COCO emit them. Ingest's detectors report these names (OpenCV's people detector reports
 * {@code person}, plus {@code face}); retrieval recognises them in questions. The one list both sides read.
 */
public final class ObjectClasses {
  /** The 80 COCO class names in index order. */
  public static final List<String> COCO = List.of(
      "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
      "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
      "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
      "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
      "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
      "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
      "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
      "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear",
      "hair drier", "toothbrush");

  private ObjectClasses() {}
}
