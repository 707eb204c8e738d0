package dev.longshot.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Edits the real bundled BGE-small graph (512 positions) and checks the tables, buffers and that ORT loads it. */
public class PositionTableEditorTest {
  private static ByteString bge;
  private final PositionTableEditor editor = new PositionTableEditor(PositionTableEditor.DEFAULT_TABLE);

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PositionTableEditorTest.class.getResourceAsStream("/bge-small-en-v1.5.onnx")) {
      bge = UnsafeByteOperations.unsafeWrap(in.readAllBytes());
    }
  }

  @Test
  void untouchedModelRoundTripsByteForByte() {
    assertThat(WireMessage.parse(bge).toByteString()).isEqualTo(bge);
  }

  @Test
  void interpolationStretchesTheTableAndTheBuffer() throws Exception {
    float[][] original = editor.positionTable(bge);
    ByteString edited = editor.extend(bge, PositionTableEditor.Mode.INTERPOLATE, 2048);
    float[][] table = editor.positionTable(edited);
    assertThat(original).hasNumberOfRows(512);
    assertThat(table).hasNumberOfRows(2048);
    for (int k : new int[] {0, 1, 100, 511}) {
      assertThat(table[4 * k]).as("row %d = original row %d", 4 * k, k).containsExactly(original[k]);
    }
    for (int c = 0; c < 384; c++) {
      // Row 4k+2 sits halfway between original rows k and k+1; row 4k+1 a quarter of the way.
      assertThat(table[4 * 7 + 2][c]).isCloseTo((original[7][c] + original[8][c]) / 2, within(1e-6f));
      assertThat(table[4 * 7 + 1][c]).isCloseTo(0.75f * original[7][c] + 0.25f * original[8][c], within(1e-6f));
      assertThat(table[2047][c]).isEqualTo(original[511][c]);
    }
    long[] ids = editor.positionIds(edited);
    assertThat(ids).hasSize(2048);
    assertThat(ids[0]).isZero();
    assertThat(ids[2047]).isEqualTo(2047);
    assertLoads(edited);
  }

  @Test
  void groupingKeepsTheTableAndSharesPositions() throws Exception {
    ByteString edited = editor.extend(bge, PositionTableEditor.Mode.GROUP, 2048);
    assertThat(editor.positionTable(edited)).isDeepEqualTo(editor.positionTable(bge));
    long[] ids = editor.positionIds(edited);
    assertThat(ids).hasSize(2048);
    assertThat(new long[] {ids[0], ids[3], ids[4], ids[2047]}).containsExactly(0, 0, 1, 511);
    assertLoads(edited);
  }

  @Test
  void rejectsLengthsThatAreNotAMultipleOfTheWindow() {
    assertThatThrownBy(() -> editor.extend(bge, PositionTableEditor.Mode.INTERPOLATE, 1000))
        .hasMessageContaining("1000").hasMessageContaining("512");
  }

  @Test
  void namesAMissingTable() {
    assertThatThrownBy(() -> new PositionTableEditor("no.such.table").trainedPositions(bge))
        .hasMessageContaining("no.such.table");
  }

  /**
   * A minimal ONNX ModelProto whose graph holds only a float32 position table that claims {@code dims} and stores
   * {@code storedFloats} zeros: enough for the editor, which reads the table before anything else.
   */
  public static ByteString modelWithTable(int storedFloats, long... dims) {
    List<WireMessage.Field> tensor = new ArrayList<>();
    for (long d : dims) {
      tensor.add(WireMessage.Field.varint(1, d));
    }
    tensor.add(WireMessage.Field.varint(2, 1));
    tensor.add(WireMessage.Field.string(8, PositionTableEditor.DEFAULT_TABLE));
    tensor.add(WireMessage.Field.bytes(9, ByteString.copyFrom(new byte[storedFloats * Float.BYTES])));
    WireMessage graph = new WireMessage(List.of(WireMessage.Field.message(5, new WireMessage(tensor))));
    return new WireMessage(List.of(WireMessage.Field.message(7, graph))).toByteString();
  }

  @Test
  void aWellFormedTableInTheMinimalModelIsRead() {
    assertThat(editor.trainedPositions(modelWithTable(32, 8, 4))).isEqualTo(8);
  }

  @Test
  void hostileTableDimensionsAreRefusedBeforeAnythingIsSizedFromThem() {
    // 2^40 rows read as an int were 0: a zero-token window, then a division by zero when extending
    assertThatThrownBy(() -> editor.trainedPositions(modelWithTable(16, 1L << 40, 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PositionTableEditor.DEFAULT_TABLE)
        .hasMessageContaining("1099511627776");
    // rows that disagree with the stored values sized the interpolated table from the claim
    assertThatThrownBy(() -> editor.extend(modelWithTable(16, 4096, 4), PositionTableEditor.Mode.INTERPOLATE, 8192))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096").hasMessageContaining("16 values");
    assertThatThrownBy(() -> editor.positionTable(modelWithTable(16, -1, 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> editor.positionTable(modelWithTable(16, 16)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[16]");
  }

  private static void assertLoads(ByteString model) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model.toByteArray())) {
      assertThat(s.getInputNames()).contains("input_ids");
    }
  }
}
