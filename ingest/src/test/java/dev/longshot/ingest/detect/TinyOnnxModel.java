package dev.longshot.ingest.detect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny ONNX model shaped like an exported YOLOv8 detector: input {@code images [1,3,640,640]} float,
 * output {@code output0 [1, 4 + C, N]} produced by a Constant node holding the given "recorded" model output. It is
 * a stand-in for real YOLO weights, which cannot be downloaded here; it lets ONNX Runtime load and run a real model
 * file so the letterbox, output decoding and NMS are tested end to end. The protobuf bytes are written by the small
 * encoder below (field numbers from onnx.proto; ONNX's Java classes are not on Maven Central).
 */
final class TinyOnnxModel {
  private TinyOnnxModel() {}

  /**
   * @param output {@code [4 + C][N]} values of batch 0
   * @param namesMetadata Ultralytics-style {@code names} metadata, or null for none (then COCO is assumed)
   */
  static Path write(Path file, float[][] output, String namesMetadata) throws IOException {
    int attrs = output.length;
    int n = output[0].length;
    ByteBuffer raw = ByteBuffer.allocate(attrs * n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : output) {
      for (float v : row) {
        raw.putFloat(v);
      }
    }
    byte[] tensor = new Pb().ints(1, 1, attrs, n).varint(2, 1).bytes(9, raw.array()).done();
    byte[] attribute = new Pb().string(1, "value").varint(20, 4).bytes(5, tensor).done();
    byte[] node = new Pb().string(2, "output0").string(3, "recorded_output").string(4, "Constant")
        .bytes(5, attribute).done();
    byte[] graph = new Pb().bytes(1, node).string(2, "tiny_yolo")
        .bytes(11, valueInfo("images", 1, 3, 640, 640))
        .bytes(12, valueInfo("output0", 1, attrs, n)).done();
    Pb model = new Pb().varint(1, 8).string(2, "longshot-test").bytes(7, graph)
        .bytes(8, new Pb().string(1, "").varint(2, 13).done());
    if (namesMetadata != null) {
      model.bytes(14, new Pb().string(1, "names").string(2, namesMetadata).done());
    }
    return Files.write(file, model.done());
  }

  /** An ONNX ValueInfoProto: float tensor {@code name} of shape {@code dims} (also {@link UltralyticsOnnxExport}). */
  static byte[] valueInfo(String name, long... dims) {
    Pb shape = new Pb();
    for (long d : dims) {
      shape.bytes(1, new Pb().varint(1, d).done());
    }
    byte[] tensorType = new Pb().varint(1, 1).bytes(2, shape.done()).done();
    return new Pb().string(1, name).bytes(2, new Pb().bytes(1, tensorType).done()).done();
  }

  /** Minimal protobuf writer: varint and length-delimited fields (also used by {@link UltralyticsOnnxExport}). */
  static final class Pb {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pb varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
      return this;
    }

    Pb ints(int field, long... values) {
      for (long v : values) {
        varint(field, v);
      }
      return this;
    }

    Pb bytes(int field, byte[] value) {
      raw(((long) field << 3) | 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    Pb string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    byte[] done() {
      return out.toByteArray();
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
