package dev.longshot.vlm.vision;

import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link RandomSmolVlm}'s vision tower and connector as an ONNX model with the interface of the
 * {@code onnx/vision_encoder.onnx} SmolVLM repositories ship ({@code pixel_values [1, 1, 3, S, S]},
 * {@code pixel_attention_mask [1, 1, S, S]} bool, first output {@code [1, image_seq_len, text_hidden]}), built from
 * standard ONNX operators (opset 17) in HF's module order: Conv patch embedding + position table, per layer
 * LayerNormalization, q/k/v MatMul+Add, per-head softmax(q k^T / sqrt(hd)) v, out_proj, residual, LayerNormalization,
 * fc1, GELU (tanh form written out), fc2, residual; post LayerNormalization; HF's pixel-shuffle view/permute chain;
 * the projection. The protobuf wire format is written by hand (field numbers from onnx.proto); the graph is an
 * independent statement of the tower, run by ONNX Runtime, not by our kernels.
 */
final class TinyOnnxTower {
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private int counter;

  /** Writes the tower of {@code rm} to {@code file}. */
  static void write(RandomSmolVlm rm, Path file) throws IOException {
    Files.write(file, new TinyOnnxTower().model(rm));
  }

  private byte[] model(RandomSmolVlm rm) {
    RandomSmolVlm.VisionSpec v = rm.vision;
    int d = v.dim();
    int side = v.imageSize();
    int n = v.side();
    int t = n * n;
    int heads = v.heads();
    int hd = d / heads;
    int s = v.scale();
    int textDim = rm.text.spec.dim();
    String pre = "model.vision_model.";
    // the mask, all true, enters as a factor of 1 so the graph keeps both inputs of the real export
    String maskF = node("Cast", List.of("pixel_attention_mask"), attrInt("to", 1));
    String one = node("ReduceMin", List.of(maskF), attrInt("keepdims", 0));
    String px = node("Mul", List.of(node("Reshape", List.of("pixel_values", ints(1, 3, side, side))), one));
    String conv = node("Conv", List.of(px, tensor(pre + "embeddings.patch_embedding.weight", rm),
        tensor(pre + "embeddings.patch_embedding.bias", rm)), attrInts("kernel_shape", v.patchSize(), v.patchSize()),
        attrInts("strides", v.patchSize(), v.patchSize()));
    String emb = node("Transpose", List.of(node("Reshape", List.of(conv, ints(1, d, t)))), attrInts("perm", 0, 2, 1));
    String x = node("Add", List.of(emb, tensor(pre + "embeddings.position_embedding.weight", rm)));
    for (int l = 0; l < v.layers(); l++) {
      String p = pre + "encoder.layers." + l + ".";
      String h = layerNorm(x, p + "layer_norm1", rm);
      String q = linear(h, p + "self_attn.q_proj", rm);
      String k = linear(h, p + "self_attn.k_proj", rm);
      String val = linear(h, p + "self_attn.v_proj", rm);
      String qh = node("Transpose", List.of(node("Reshape", List.of(q, ints(1, t, heads, hd)))),
          attrInts("perm", 0, 2, 1, 3));
      String kt = node("Transpose", List.of(node("Reshape", List.of(k, ints(1, t, heads, hd)))),
          attrInts("perm", 0, 2, 3, 1));
      String vh = node("Transpose", List.of(node("Reshape", List.of(val, ints(1, t, heads, hd)))),
          attrInts("perm", 0, 2, 1, 3));
      String scores = node("Mul", List.of(node("MatMul", List.of(qh, kt)), scalar((float) (1 / Math.sqrt(hd)))));
      String probs = node("Softmax", List.of(scores), attrInt("axis", -1));
      String ctx = node("Reshape", List.of(node("Transpose", List.of(node("MatMul", List.of(probs, vh))),
          attrInts("perm", 0, 2, 1, 3)), ints(1, t, d)));
      x = node("Add", List.of(x, linear(ctx, p + "self_attn.out_proj", rm)));
      String f = linear(layerNorm(x, p + "layer_norm2", rm), p + "mlp.fc1", rm);
      x = node("Add", List.of(x, linear(gelu(f), p + "mlp.fc2", rm)));
    }
    String y = layerNorm(x, pre + "post_layernorm", rm);
    // HF's pixel_shuffle: view(b,h,w,D).view(b,h,w/s,D*s).permute(0,2,1,3).reshape(b,w/s,h/s,D*s*s)
    //   .permute(0,2,1,3).reshape(b,seq/s^2,D*s^2)
    String a = node("Transpose", List.of(node("Reshape", List.of(y, ints(1, n, n / s, d * s)))),
        attrInts("perm", 0, 2, 1, 3));
    String b = node("Transpose", List.of(node("Reshape", List.of(a, ints(1, n / s, n / s, d * s * s)))),
        attrInts("perm", 0, 2, 1, 3));
    String shuffled = node("Reshape", List.of(b, ints(1, t / (s * s), d * s * s)));
    String proj = "model.connector.modality_projection.proj.weight";
    String out = node("MatMul", List.of(shuffled, transposed(proj, rm)));
    nodes.add(nodeProto("Identity", List.of(out), "image_features"));

    Pb graph = new Pb();
    nodes.forEach(nd -> graph.bytes(1, nd));
    graph.string(2, "tiny_smolvlm_vision");
    initializers.forEach(in -> graph.bytes(5, in));
    graph.bytes(11, valueInfo("pixel_values", 1, 1, 1, 3, side, side));
    graph.bytes(11, valueInfo("pixel_attention_mask", 9, 1, 1, side, side));
    graph.bytes(12, valueInfo("image_features", 1, 1, t / (s * s), textDim));
    Pb opset = new Pb().string(1, "").varint(2, 17);
    return new Pb().varint(1, 8).string(2, "longshot-test").bytes(7, graph.toBytes()).bytes(8, opset.toBytes())
        .toBytes();
  }

  private String layerNorm(String x, String name, RandomSmolVlm rm) {
    return node("LayerNormalization", List.of(x, tensor(name + ".weight", rm), tensor(name + ".bias", rm)),
        attrInt("axis", -1), attrFloat("epsilon", 1e-6f));
  }

  /** {@code x W^T + b} for HF's {@code [out, in]} weight. */
  private String linear(String x, String name, RandomSmolVlm rm) {
    return node("Add", List.of(node("MatMul", List.of(x, transposed(name + ".weight", rm))), tensor(name + ".bias", rm)));
  }

  /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
  private String gelu(String x) {
    String cube = node("Mul", List.of(node("Mul", List.of(x, x)), x));
    String inner = node("Mul", List.of(node("Add", List.of(x, node("Mul", List.of(cube, scalar(0.044715f))))),
        scalar((float) Math.sqrt(2 / Math.PI))));
    String onePlus = node("Add", List.of(node("Tanh", List.of(inner)), scalar(1f)));
    return node("Mul", List.of(node("Mul", List.of(x, onePlus)), scalar(0.5f)));
  }

  private String node(String op, List<String> inputs, byte[]... attrs) {
    String out = op.toLowerCase() + "_" + counter++;
    nodes.add(nodeProto(op, inputs, out, attrs));
    return out;
  }

  private static byte[] nodeProto(String op, List<String> inputs, String out, byte[]... attrs) {
    Pb pb = new Pb();
    inputs.forEach(i -> pb.string(1, i));
    pb.string(2, out).string(3, out).string(4, op);
    for (byte[] a : attrs) {
      pb.bytes(5, a);
    }
    return pb.toBytes();
  }

  private static byte[] attrInt(String name, long v) {
    return new Pb().string(1, name).varint(3, v).varint(20, 2).toBytes();
  }

  private static byte[] attrFloat(String name, float v) {
    return new Pb().string(1, name).fixed32(2, Float.floatToIntBits(v)).varint(20, 1).toBytes();
  }

  private static byte[] attrInts(String name, long... v) {
    Pb pb = new Pb().string(1, name);
    for (long x : v) {
      pb.varint(8, x);
    }
    return pb.varint(20, 7).toBytes();
  }

  private String tensor(String hfName, RandomSmolVlm rm) {
    int[] shape = rm.visionShapes().get(hfName);
    long[] dims = java.util.Arrays.stream(shape).asLongStream().toArray();
    return floats(hfName, dims, rm.visionValues(hfName));
  }

  /** An HF {@code [out, in]} matrix stored as {@code [in, out]} for MatMul. */
  private String transposed(String hfName, RandomSmolVlm rm) {
    int[] shape = rm.visionShapes().get(hfName);
    float[] w = rm.visionValues(hfName);
    float[] wt = new float[w.length];
    for (int r = 0; r < shape[0]; r++) {
      for (int c = 0; c < shape[1]; c++) {
        wt[c * shape[0] + r] = w[r * shape[1] + c];
      }
    }
    return floats(hfName + ".T", new long[] {shape[1], shape[0]}, wt);
  }

  private String scalar(float v) {
    return floats("scalar_" + counter++, new long[0], new float[] {v});
  }

  private String floats(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : values) {
      raw.putFloat(f);
    }
    Pb pb = new Pb();
    for (long dim : dims) {
      pb.varint(1, dim);
    }
    initializers.add(pb.varint(2, 1).string(8, name).bytes(9, raw.array()).toBytes());
    return name;
  }

  private String ints(long... values) {
    String name = "shape_" + counter++;
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    initializers.add(new Pb().varint(1, values.length).varint(2, 7).string(8, name).bytes(9, raw.array()).toBytes());
    return name;
  }

  private static byte[] valueInfo(String name, int elemType, long... dims) {
    Pb shape = new Pb();
    for (long dim : dims) {
      shape.bytes(1, new Pb().varint(1, dim).toBytes());
    }
    Pb tensorType = new Pb().varint(1, elemType).bytes(2, shape.toBytes());
    return new Pb().string(1, name).bytes(2, new Pb().bytes(1, tensorType.toBytes()).toBytes()).toBytes();
  }

  /** A protobuf message being written: varint, fixed32 and length-delimited fields. */
  private static final class Pb {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pb varint(int field, long v) {
      raw((long) field << 3);
      raw(v);
      return this;
    }

    Pb fixed32(int field, int v) {
      raw(((long) field << 3) | 5);
      for (int i = 0; i < 4; i++) {
        out.write((v >>> (8 * i)) & 0xFF);
      }
      return this;
    }

    Pb bytes(int field, byte[] b) {
      raw(((long) field << 3) | 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    Pb string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }
}
