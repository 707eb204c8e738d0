package dev.longshot.embeddings.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A protobuf message kept at the wire level: an ordered list of fields, each a number, a wire type and its
 * payload. Fields we do not touch are written back byte for byte, so an ONNX model round-trips exactly; nested
 * messages are parsed on demand with {@link #parse(ByteString)} on a field's bytes. Not thread-safe.
 */
public final class WireMessage {
  /** One field occurrence; {@code bytes} for length-delimited and fixed-width fields, {@code varint} otherwise. */
  public record Field(int number, int wireType, long varint, ByteString bytes) {
    public static Field message(int number, WireMessage value) {
      return new Field(number, WireFormat.WIRETYPE_LENGTH_DELIMITED, 0, value.toByteString());
    }

    public static Field bytes(int number, ByteString value) {
      return new Field(number, WireFormat.WIRETYPE_LENGTH_DELIMITED, 0, value);
    }

    public static Field string(int number, String value) {
      return bytes(number, ByteString.copyFromUtf8(value));
    }

    public static Field varint(int number, long value) {
      return new Field(number, WireFormat.WIRETYPE_VARINT, value, ByteString.EMPTY);
    }

    public String asString() {
      return bytes.toStringUtf8();
    }

    public WireMessage asMessage() {
      return parse(bytes);
    }
  }

  private final List<Field> fields;

  public WireMessage(List<Field> fields) {
    this.fields = new ArrayList<>(fields);
  }

  /** The fields in wire order; the list is live and may be edited. */
  public List<Field> fields() {
    return fields;
  }

  public List<Field> all(int number) {
    return fields.stream().filter(f -> f.number() == number).toList();
  }

  /** The last occurrence of a singular field, or {@code null}. */
  public Field last(int number) {
    Field found = null;
    for (Field f : fields) {
      if (f.number() == number) {
        found = f;
      }
    }
    return found;
  }

  public String string(int number) {
    Field f = last(number);
    return f == null ? "" : f.asString();
  }

  /** Values of a repeated int64/int32 field, packed or not. */
  public List<Long> longs(int number) {
    List<Long> out = new ArrayList<>();
    try {
      for (Field f : all(number)) {
        if (f.wireType() == WireFormat.WIRETYPE_VARINT) {
          out.add(f.varint());
        } else {
          CodedInputStream in = f.bytes().newCodedInput();
          while (!in.isAtEnd()) {
            out.add(in.readInt64());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt packed field " + number, e);
    }
    return out;
  }

  /** Parses one message level; nested messages stay as bytes (aliased, not copied). */
  public static WireMessage parse(ByteString data) {
    List<Field> fields = new ArrayList<>();
    CodedInputStream in = data.newCodedInput();
    in.enableAliasing(true);
    in.setSizeLimit(Integer.MAX_VALUE);
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        int number = WireFormat.getTagFieldNumber(tag);
        int type = WireFormat.getTagWireType(tag);
        switch (type) {
          case WireFormat.WIRETYPE_VARINT -> fields.add(new Field(number, type, in.readInt64(), ByteString.EMPTY));
          case WireFormat.WIRETYPE_FIXED64 -> fields.add(new Field(number, type, 0, ByteString.copyFrom(in.readRawBytes(8))));
          case WireFormat.WIRETYPE_FIXED32 -> fields.add(new Field(number, type, 0, ByteString.copyFrom(in.readRawBytes(4))));
          case WireFormat.WIRETYPE_LENGTH_DELIMITED -> fields.add(new Field(number, type, 0, in.readBytes()));
          default -> throw new IOException("unsupported wire type " + type + " for field " + number);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not a valid protobuf message: " + e.getMessage(), e);
    }
    return new WireMessage(fields);
  }

  public ByteString toByteString() {
    ByteString.Output out = ByteString.newOutput(estimateSize());
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out, 1 << 16);
      for (Field f : fields) {
        switch (f.wireType()) {
          case WireFormat.WIRETYPE_VARINT -> cos.writeInt64(f.number(), f.varint());
          case WireFormat.WIRETYPE_LENGTH_DELIMITED -> cos.writeBytes(f.number(), f.bytes());
          case WireFormat.WIRETYPE_FIXED32 -> {
            cos.writeTag(f.number(), WireFormat.WIRETYPE_FIXED32);
            cos.writeRawBytes(f.bytes());
          }
          default -> {
            cos.writeTag(f.number(), WireFormat.WIRETYPE_FIXED64);
            cos.writeRawBytes(f.bytes());
          }
        }
      }
      cos.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteString();
  }

  private int estimateSize() {
    long size = 16;
    for (Field f : fields) {
      size += f.bytes().size() + 16;
    }
    return (int) Math.min(size, Integer.MAX_VALUE - 8);
  }
}
