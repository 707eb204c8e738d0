package dev.longshot.embeddings.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

/**
 * Rewrites a BERT-family ONNX model so it accepts up to {@code newLength} tokens without training (LongEmbed,
 * Zhu et al. 2024, section 3). The absolute position table {@code embeddings.position_embeddings.weight}
 * ({@code L x d}) and the position-id buffer the graph slices ({@code [1, L]} int64, a Constant node or an
 * initializer) are replaced:
 *
 * <ul>
 *   <li>{@link Mode#INTERPOLATE} (position interpolation, Chen et al. 2023): the table grows to {@code N} rows,
 *       row {@code j} = linear interpolation of the original table at {@code j * L / N}, so row {@code k * s}
 *       ({@code s = N / L}) equals original row {@code k}; the buffer becomes {@code 0..N-1}.
 *   <li>{@link Mode#GROUP} (grouped positions): the table is untouched; the buffer becomes {@code floor(p / s)}, so
 *       {@code s} neighbouring tokens share one trained position.
 * </ul>
 *
 * Everything else in the file is copied byte for byte. The table's dimensions are read from the file, so they are
 * checked against its data (two dimensions, each within {@link #MAX_ROWS} / {@link #MAX_WIDTH}, their product equal
 * to the stored values) before anything is sized from them (issue 12, point 7). Stateless and thread-safe.
 */
public final class PositionTableEditor {
  /** How positions beyond the trained window are mapped. */
  public enum Mode { INTERPOLATE, GROUP }

  /** ONNX ModelProto.graph, GraphProto.node/initializer, NodeProto.input/output/op_type/attribute. */
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTR_NAME = 1;
  private static final int ATTR_TENSOR = 5;
  /** TensorProto fields and element types. */
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_INT64_DATA = 7;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  public static final String DEFAULT_TABLE = "embeddings.position_embeddings.weight";
  /** Trained positions and embedding width a position table may claim (BERT-family models: 512-8192, 384-1024). */
  static final long MAX_ROWS = 1 << 20;
  static final long MAX_WIDTH = 1 << 16;

  /** A checked position table: {@code rows x width} float32 values. */
  private record Table(WireMessage tensor, int rows, int width) {}

  private final String tableName;

  public PositionTableEditor(String tableName) {
    this.tableName = tableName;
  }

  /** The trained window {@code L} of a model, read from its position table. */
  public int trainedPositions(ByteString model) {
    return table(graph(WireMessage.parse(model))).rows();
  }

  /** Finds the table and checks its claimed dimensions against the values it stores. */
  private Table table(WireMessage graph) {
    WireMessage t = findInitializer(graph, tableName);
    List<Long> dims = t.longs(TENSOR_DIMS);
    if (dims.size() != 2 || dims.get(0) < 1 || dims.get(0) > MAX_ROWS || dims.get(1) < 1
        || dims.get(1) > MAX_WIDTH) {
      throw new IllegalArgumentException("position table '" + tableName + "' has dims " + dims + "; expected [rows"
          + " 1.." + MAX_ROWS + ", width 1.." + MAX_WIDTH + "]");
    }
    int rows = (int) (long) dims.get(0);
    int width = (int) (long) dims.get(1);
    long stored = storedFloats(t);
    if (stored != (long) rows * width) {
      throw new IllegalArgumentException("position table '" + tableName + "' has dims " + dims + " ("
          + (long) rows * width + " values) but stores " + stored + " values");
    }
    return new Table(t, rows, width);
  }

  /** The position table of {@code model} as {@code [rows][width]}. */
  public float[][] positionTable(ByteString model) {
    Table table = table(graph(WireMessage.parse(model)));
    int rows = table.rows();
    float[] flat = floats(table.tensor());
    int width = table.width();
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width);
    }
    return out;
  }

  /** The position-id buffer the graph slices its positions from (Constant node or initializer). */
  public long[] positionIds(ByteString model) {
    WireMessage graph = graph(WireMessage.parse(model));
    String name = positionBufferName(graph);
    for (WireMessage.Field f : graph.all(GRAPH_INITIALIZER)) {
      if (f.asMessage().string(TENSOR_NAME).equals(name)) {
        return longs(f.asMessage());
      }
    }
    for (WireMessage.Field f : graph.all(GRAPH_NODE)) {
      WireMessage node = f.asMessage();
      if (node.string(NODE_OP_TYPE).equals("Constant") && outputs(node).contains(name)) {
        for (WireMessage.Field a : node.all(NODE_ATTRIBUTE)) {
          if (a.asMessage().string(ATTR_NAME).equals("value")) {
            return longs(a.asMessage().last(ATTR_TENSOR).asMessage());
          }
        }
      }
    }
    throw new IllegalArgumentException("position-id buffer '" + name + "' not found");
  }

  private static long[] longs(WireMessage tensor) {
    WireMessage.Field raw = tensor.last(TENSOR_RAW_DATA);
    if (raw == null) {
      return tensor.longs(TENSOR_INT64_DATA).stream().mapToLong(Long::longValue).toArray();
    }
    ByteBuffer bytes = raw.bytes().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[bytes.remaining() / Long.BYTES];
    bytes.asLongBuffer().get(out);
    return out;
  }

  private static WireMessage graph(WireMessage model) {
    WireMessage.Field g = model.last(MODEL_GRAPH);
    if (g == null) {
      throw new IllegalArgumentException("not an ONNX model: no graph");
    }
    return g.asMessage();
  }

  /** Returns a copy of {@code model} extended to {@code newLength} positions with {@code mode}. */
  public ByteString extend(ByteString model, Mode mode, int newLength) {
    WireMessage root = WireMessage.parse(model);
    WireMessage.Field graphField = root.last(MODEL_GRAPH);
    WireMessage graph = graph(root);
    Table table = table(graph);
    int trained = table.rows();
    int width = table.width();
    if (newLength % trained != 0 || newLength < trained) {
      throw new IllegalArgumentException("new length " + newLength + " must be a multiple of the trained " + trained);
    }
    if ((long) newLength * width > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("new length " + newLength + " x width " + width + " is too large a table");
    }
    int scale = newLength / trained;
    String bufferName = positionBufferName(graph);
    long[] positions = new long[newLength];
    for (int p = 0; p < newLength; p++) {
      positions[p] = mode == Mode.INTERPOLATE ? p : p / scale;
    }
    ListIterator<WireMessage.Field> it = graph.fields().listIterator();
    boolean bufferReplaced = false;
    while (it.hasNext()) {
      WireMessage.Field f = it.next();
      if (f.number() == GRAPH_INITIALIZER) {
        WireMessage t = f.asMessage();
        String name = t.string(TENSOR_NAME);
        if (name.equals(tableName) && mode == Mode.INTERPOLATE) {
          float[] rows = interpolate(floats(t), trained, width, newLength);
          it.set(WireMessage.Field.message(GRAPH_INITIALIZER, floatTensor(name, rows, newLength, width)));
        } else if (name.equals(bufferName)) {
          it.set(WireMessage.Field.message(GRAPH_INITIALIZER, longTensor(name, t.longs(TENSOR_DIMS).size(), positions)));
          bufferReplaced = true;
        }
      } else if (f.number() == GRAPH_NODE) {
        WireMessage node = f.asMessage();
        if (node.string(NODE_OP_TYPE).equals("Constant") && outputs(node).contains(bufferName)) {
          it.set(WireMessage.Field.message(GRAPH_NODE, withTensor(node, positions)));
          bufferReplaced = true;
        }
      }
    }
    if (!bufferReplaced) {
      throw new IllegalArgumentException("position-id buffer '" + bufferName + "' is neither a Constant nor an initializer");
    }
    root.fields().set(root.fields().indexOf(graphField), WireMessage.Field.message(MODEL_GRAPH, graph));
    return root.toByteString();
  }

  /** Row {@code j} of the result is the original table at fractional position {@code j * trained / newLength}. */
  static float[] interpolate(float[] table, int trained, int width, int newLength) {
    float[] out = new float[newLength * width];
    for (int j = 0; j < newLength; j++) {
      double x = (double) j * trained / newLength;
      int i = (int) Math.floor(x);
      int i1 = Math.min(i + 1, trained - 1);
      float frac = (float) (x - i);
      for (int c = 0; c < width; c++) {
        out[j * width + c] = (1 - frac) * table[i * width + c] + frac * table[i1 * width + c];
      }
    }
    return out;
  }

  /** Follows the position Gather's index input back through a Slice to the buffer it slices. */
  private String positionBufferName(WireMessage graph) {
    String indices = null;
    for (WireMessage.Field f : graph.all(GRAPH_NODE)) {
      WireMessage node = f.asMessage();
      List<String> in = inputs(node);
      if (node.string(NODE_OP_TYPE).equals("Gather") && !in.isEmpty() && in.get(0).equals(tableName)) {
        indices = in.get(1);
      }
    }
    if (indices == null) {
      throw new IllegalArgumentException("no Gather node reads the position table '" + tableName + "'");
    }
    for (WireMessage.Field f : graph.all(GRAPH_NODE)) {
      WireMessage node = f.asMessage();
      if (node.string(NODE_OP_TYPE).equals("Slice") && outputs(node).contains(indices)) {
        return inputs(node).get(0);
      }
    }
    throw new IllegalArgumentException("position ids '" + indices + "' do not come from a Slice of a buffer;"
        + " models that take position_ids as an input are not supported");
  }

  private static WireMessage findInitializer(WireMessage graph, String name) {
    for (WireMessage.Field f : graph.all(GRAPH_INITIALIZER)) {
      WireMessage t = f.asMessage();
      if (t.string(TENSOR_NAME).equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("the model has no initializer named '" + name + "'");
  }

  private static WireMessage withTensor(WireMessage node, long[] positions) {
    ListIterator<WireMessage.Field> it = node.fields().listIterator();
    while (it.hasNext()) {
      WireMessage.Field f = it.next();
      if (f.number() == NODE_ATTRIBUTE) {
        WireMessage attr = f.asMessage();
        if (attr.string(ATTR_NAME).equals("value")) {
          int rank = attr.last(ATTR_TENSOR).asMessage().longs(TENSOR_DIMS).size();
          attr.fields().removeIf(a -> a.number() == ATTR_TENSOR);
          attr.fields().add(WireMessage.Field.message(ATTR_TENSOR, longTensor("", rank, positions)));
          it.set(WireMessage.Field.message(NODE_ATTRIBUTE, attr));
          return node;
        }
      }
    }
    throw new IllegalArgumentException("Constant node " + outputs(node) + " has no 'value' tensor");
  }

  private static List<String> inputs(WireMessage node) {
    return node.all(NODE_INPUT).stream().map(WireMessage.Field::asString).toList();
  }

  private static List<String> outputs(WireMessage node) {
    return node.all(NODE_OUTPUT).stream().map(WireMessage.Field::asString).toList();
  }

  /** How many float32 values the tensor stores (raw_data or packed float_data), without copying them. */
  private long storedFloats(WireMessage tensor) {
    WireMessage.Field type = tensor.last(TENSOR_DATA_TYPE);
    if (type == null || type.varint() != FLOAT) {
      throw new IllegalArgumentException("position table '" + tableName + "' is not float32");
    }
    WireMessage.Field raw = tensor.last(TENSOR_RAW_DATA);
    WireMessage.Field data = raw != null ? raw : tensor.last(TENSOR_FLOAT_DATA);
    return data == null ? 0 : data.bytes().size() / Float.BYTES;
  }

  static float[] floats(WireMessage tensor) {
    if (tensor.last(TENSOR_DATA_TYPE).varint() != FLOAT) {
      throw new IllegalArgumentException("position table '" + tensor.string(TENSOR_NAME) + "' is not float32");
    }
    WireMessage.Field raw = tensor.last(TENSOR_RAW_DATA);
    ByteBuffer bytes = (raw != null ? raw.bytes() : tensor.last(TENSOR_FLOAT_DATA).bytes())
        .asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  private static WireMessage floatTensor(String name, float[] values, int rows, int width) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return new WireMessage(List.of(
        WireMessage.Field.varint(TENSOR_DIMS, rows), WireMessage.Field.varint(TENSOR_DIMS, width),
        WireMessage.Field.varint(TENSOR_DATA_TYPE, FLOAT), WireMessage.Field.string(TENSOR_NAME, name),
        WireMessage.Field.bytes(TENSOR_RAW_DATA, ByteString.copyFrom(raw.array()))));
  }

  /** An int64 tensor of shape {@code [1, ..., 1, n]} with {@code rank} dimensions. */
  private static WireMessage longTensor(String name, int rank, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    List<WireMessage.Field> fields = new ArrayList<>();
    for (int i = 0; i < rank - 1; i++) {
      fields.add(WireMessage.Field.varint(TENSOR_DIMS, 1));
    }
    fields.add(WireMessage.Field.varint(TENSOR_DIMS, values.length));
    fields.add(WireMessage.Field.varint(TENSOR_DATA_TYPE, INT64));
    if (!name.isEmpty()) {
      fields.add(WireMessage.Field.string(TENSOR_NAME, name));
    }
    fields.add(WireMessage.Field.bytes(TENSOR_RAW_DATA, ByteString.copyFrom(raw.array())));
    return new WireMessage(fields);
  }
}
