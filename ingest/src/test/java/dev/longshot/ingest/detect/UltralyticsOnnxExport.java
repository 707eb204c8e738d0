package dev.longshot.ingest.detect;

import dev.longshot.ingest.detect.TinyOnnxModel.Pb;
import dev.longshot.timeline.ObjectClasses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an ONNX file with the structure of an Ultralytics YOLOv8/v11 detection export ({@code yolo export
 * format=onnx}, NMS outside the graph): input {@code images [1, 3, 640, 640]}, output {@code output0 [1, 84, 8400]}
 * computed by the exported Detect head's own operators, and the export's metadata ({@code names}, {@code stride},
 * {@code imgsz}, {@code task}, ...).
 *
 * <p>The head, as the export traces it: three feature levels (strides 8, 16, 32: 80x80 + 40x40 + 20x20 = 8400
 * anchors), each {@code [1, 64 + 80, h, w]} (box distribution logits, then class logits), reshaped to {@code [1, 144,
 * -1]} and concatenated; split into the 64 box and 80 class channels; DFL (reshape {@code [1, 4, 16, 8400]},
 * transpose, softmax over the 16 bins, a 1x1 convolution with weights 0..15: the expected distance in grid cells
 * left, top, right, bottom of each anchor); dist2bbox (anchor points minus/plus the distances, to centre x, centre y,
 * width, height) times the stride; the sigmoid of the class logits; both concatenated.
 *
 * <p>No trained weights can be downloaded here, so the network body is a stand-in: each level's features are the
 * image average-pooled to the level's grid, a 1x1 convolution with zero weights (so the output depends on the graph,
 * not on the picture), plus a constant tensor of "raw head outputs" the test chooses. Box logits are 0 (uniform over
 * the bins) and class logits -30 (score ~1e-13) except at the anchors a test {@linkplain #anchor sets}.
 */
final class UltralyticsOnnxExport {
  static final int SIDE = 640;
  static final int REG_MAX = 16;
  static final int[] STRIDES = {8, 16, 32};
  static final int CLASSES = 80;
  static final int CHANNELS = 4 * REG_MAX + CLASSES;
  static final int ANCHORS = anchors();
  private static final float NO_CLASS = -30f;

  /** The chosen raw head outputs per level, [channel][y][x]. */
  private final float[][][][] raw = new float[STRIDES.length][][][];

  UltralyticsOnnxExport() {
    for (int l = 0; l < STRIDES.length; l++) {
      int g = SIDE / STRIDES[l];
      raw[l] = new float[CHANNELS][g][g];
      for (int c = 4 * REG_MAX; c < CHANNELS; c++) {
        for (float[] row : raw[l][c]) {
          Arrays.fill(row, NO_CLASS);
        }
      }
    }
  }

  private static int anchors() {
    int n = 0;
    for (int s : STRIDES) {
      n += (SIDE / s) * (SIDE / s);
    }
    return n;
  }

  /**
   * Makes the anchor at grid cell ({@code gx}, {@code gy}) of the level with {@code stride} predict {@code cls} with
   * probability {@code score} and a box whose edges lie {@code ltrb} grid cells left of, above, right of and below
   * the anchor point (cell centre). A distance d is encoded as DFL logits: a whole d puts logit 30 on bin d (softmax
   * ~1 there); d + 0.5 puts 30 on bins d and d+1 (half each), as a trained head's peaked distribution would.
   */
  UltralyticsOnnxExport anchor(int stride, int gx, int gy, int cls, double score, double... ltrb) {
    float[][][] level = raw[levelOf(stride)];
    for (int side = 0; side < 4; side++) {
      double d = ltrb[side];
      int lo = (int) Math.floor(d);
      if (d < 0 || d > REG_MAX - 1 || (d != lo && d != lo + 0.5)) {
        throw new IllegalArgumentException("distance " + d + " is not k or k + 0.5 within 0.." + (REG_MAX - 1));
      }
      level[side * REG_MAX + lo][gy][gx] = 30f;
      if (d != lo) {
        level[side * REG_MAX + lo + 1][gy][gx] = 30f;
      }
    }
    level[4 * REG_MAX + cls][gy][gx] = (float) Math.log(score / (1 - score));
    return this;
  }

  private static int levelOf(int stride) {
    for (int l = 0; l < STRIDES.length; l++) {
      if (STRIDES[l] == stride) {
        return l;
      }
    }
    throw new IllegalArgumentException("no level with stride " + stride);
  }

  Path write(Path file) throws IOException {
    List<byte[]> nodes = new ArrayList<>();
    List<byte[]> inits = new ArrayList<>();
    List<String> levels = new ArrayList<>();
    for (int l = 0; l < STRIDES.length; l++) {
      int s = STRIDES[l];
      int g = SIDE / s;
      String p = "/model.22/l" + l;
      nodes.add(node("AveragePool", p + "/AveragePool", List.of("images"), p + "/pool",
          intsAttr("kernel_shape", s, s), intsAttr("strides", s, s)));
      inits.add(floats(p + "/conv.weight", new float[CHANNELS * 3], CHANNELS, 3, 1, 1));
      nodes.add(node("Conv", p + "/Conv", List.of(p + "/pool", p + "/conv.weight"), p + "/conv"));
      float[] body = new float[CHANNELS * g * g];
      for (int c = 0; c < CHANNELS; c++) {
        for (int y = 0; y < g; y++) {
          System.arraycopy(raw[l][c][y], 0, body, (c * g + y) * g, g);
        }
      }
      inits.add(floats(p + "/raw", body, 1, CHANNELS, g, g));
      nodes.add(node("Add", p + "/Add", List.of(p + "/conv", p + "/raw"), p + "/x"));
      nodes.add(node("Reshape", "/model.22/Reshape_" + l, List.of(p + "/x", "/model.22/Constant_flat"), "/model.22/Reshape_" + l + "_output_0"));
      levels.add("/model.22/Reshape_" + l + "_output_0");
    }
    inits.add(longs("/model.22/Constant_flat", new long[] {1, CHANNELS, -1}));
    nodes.add(node("Concat", "/model.22/Concat", levels, "/model.22/Concat_output_0", intAttr("axis", 2)));
    inits.add(longs("/model.22/split_box_cls", new long[] {4 * REG_MAX, CLASSES}));
    nodes.add(node("Split", "/model.22/Split", List.of("/model.22/Concat_output_0", "/model.22/split_box_cls"),
        List.of("/model.22/box", "/model.22/cls"), intAttr("axis", 1)));
    // DFL
    inits.add(longs("/model.22/dfl/shape_in", new long[] {1, 4, REG_MAX, ANCHORS}));
    nodes.add(node("Reshape", "/model.22/dfl/Reshape", List.of("/model.22/box", "/model.22/dfl/shape_in"), "/model.22/dfl/Reshape_output_0"));
    nodes.add(node("Transpose", "/model.22/dfl/Transpose", List.of("/model.22/dfl/Reshape_output_0"), "/model.22/dfl/Transpose_output_0",
        intsAttr("perm", 0, 2, 1, 3)));
    nodes.add(node("Softmax", "/model.22/dfl/Softmax", List.of("/model.22/dfl/Transpose_output_0"), "/model.22/dfl/Softmax_output_0",
        intAttr("axis", 1)));
    float[] bins = new float[REG_MAX];
    for (int i = 0; i < REG_MAX; i++) {
      bins[i] = i;
    }
    inits.add(floats("model.22.dfl.conv.weight", bins, 1, REG_MAX, 1, 1));
    nodes.add(node("Conv", "/model.22/dfl/conv/Conv", List.of("/model.22/dfl/Softmax_output_0", "model.22.dfl.conv.weight"),
        "/model.22/dfl/conv/Conv_output_0"));
    inits.add(longs("/model.22/dfl/shape_out", new long[] {1, 4, ANCHORS}));
    nodes.add(node("Reshape", "/model.22/dfl/Reshape_1", List.of("/model.22/dfl/conv/Conv_output_0", "/model.22/dfl/shape_out"),
        "/model.22/dfl/Reshape_1_output_0"));
    // dist2bbox(xywh=True) times the strides
    inits.add(longs("/model.22/split_lt_rb", new long[] {2, 2}));
    nodes.add(node("Split", "/model.22/Split_1", List.of("/model.22/dfl/Reshape_1_output_0", "/model.22/split_lt_rb"),
        List.of("/model.22/lt", "/model.22/rb"), intAttr("axis", 1)));
    float[] anchorPoints = new float[2 * ANCHORS];
    float[] strides = new float[ANCHORS];
    int a = 0;
    for (int s : STRIDES) {
      int g = SIDE / s;
      for (int y = 0; y < g; y++) {
        for (int x = 0; x < g; x++, a++) {
          anchorPoints[a] = x + 0.5f;
          anchorPoints[ANCHORS + a] = y + 0.5f;
          strides[a] = s;
        }
      }
    }
    inits.add(floats("/model.22/anchors", anchorPoints, 1, 2, ANCHORS));
    inits.add(floats("/model.22/strides", strides, 1, ANCHORS));
    inits.add(floats("/model.22/two", new float[] {2f}));
    nodes.add(node("Sub", "/model.22/Sub", List.of("/model.22/anchors", "/model.22/lt"), "/model.22/x1y1"));
    nodes.add(node("Add", "/model.22/Add", List.of("/model.22/anchors", "/model.22/rb"), "/model.22/x2y2"));
    nodes.add(node("Add", "/model.22/Add_1", List.of("/model.22/x1y1", "/model.22/x2y2"), "/model.22/Add_1_output_0"));
    nodes.add(node("Div", "/model.22/Div", List.of("/model.22/Add_1_output_0", "/model.22/two"), "/model.22/c_xy"));
    nodes.add(node("Sub", "/model.22/Sub_1", List.of("/model.22/x2y2", "/model.22/x1y1"), "/model.22/wh"));
    nodes.add(node("Concat", "/model.22/Concat_1", List.of("/model.22/c_xy", "/model.22/wh"), "/model.22/Concat_1_output_0",
        intAttr("axis", 1)));
    nodes.add(node("Mul", "/model.22/Mul", List.of("/model.22/Concat_1_output_0", "/model.22/strides"), "/model.22/dbox"));
    nodes.add(node("Sigmoid", "/model.22/Sigmoid", List.of("/model.22/cls"), "/model.22/Sigmoid_output_0"));
    nodes.add(node("Concat", "/model.22/Concat_2", List.of("/model.22/dbox", "/model.22/Sigmoid_output_0"), "output0",
        intAttr("axis", 1)));

    Pb graph = new Pb();
    nodes.forEach(n -> graph.bytes(1, n));
    graph.string(2, "main_graph");
    inits.forEach(t -> graph.bytes(5, t));
    graph.bytes(11, TinyOnnxModel.valueInfo("images", 1, 3, SIDE, SIDE));
    graph.bytes(12, TinyOnnxModel.valueInfo("output0", 1, 4 + CLASSES, ANCHORS));
    StringBuilder names = new StringBuilder("{");
    for (int i = 0; i < ObjectClasses.COCO.size(); i++) {
      names.append(i == 0 ? "" : ", ").append(i).append(": '").append(ObjectClasses.COCO.get(i)).append('\'');
    }
    names.append('}');
    Pb model = new Pb().varint(1, 8).string(2, "pytorch").string(3, "2.3.0").bytes(7, graph.done())
        .bytes(8, new Pb().string(1, "").varint(2, 17).done());
    String[][] metadata = {{"description", "YOLOv8n-structured test model (no trained weights)"}, {"stride", "32"},
        {"task", "detect"}, {"batch", "1"}, {"imgsz", "[" + SIDE + ", " + SIDE + "]"}, {"names", names.toString()}};
    for (String[] kv : metadata) {
      model.bytes(14, new Pb().string(1, kv[0]).string(2, kv[1]).done());
    }
    return Files.write(file, model.done());
  }

  private static byte[] node(String op, String name, List<String> inputs, String output, byte[]... attrs) {
    return node(op, name, inputs, List.of(output), attrs);
  }

  private static byte[] node(String op, String name, List<String> inputs, List<String> outputs, byte[]... attrs) {
    Pb n = new Pb();
    inputs.forEach(i -> n.string(1, i));
    outputs.forEach(o -> n.string(2, o));
    n.string(3, name).string(4, op);
    for (byte[] a : attrs) {
      n.bytes(5, a);
    }
    return n.done();
  }

  private static byte[] intAttr(String name, long value) {
    return new Pb().string(1, name).varint(3, value).varint(20, 2).done();
  }

  private static byte[] intsAttr(String name, long... values) {
    return new Pb().string(1, name).ints(8, values).varint(20, 7).done();
  }

  /** A float initializer (TensorProto: dims 1, data_type 2 = FLOAT 1, name 8, raw_data 9 little-endian). */
  private static byte[] floats(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return new Pb().ints(1, dims.length == 0 ? new long[] {values.length} : dims).varint(2, 1).string(8, name)
        .bytes(9, b.array()).done();
  }

  /** An int64 initializer (data_type 7) of one dimension. */
  private static byte[] longs(String name, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return new Pb().ints(1, values.length).varint(2, 7).string(8, name).bytes(9, b.array()).done();
  }
}
