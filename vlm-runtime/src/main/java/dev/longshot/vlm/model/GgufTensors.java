package dev.longshot.vlm.model;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.tensor.FloatTensor;
import java.util.Arrays;

/**
 * The tensors of a GGUF file read with their shapes checked: a missing tensor, a shape other than the config implies,
 * or matrix rows that do not fill whole quantisation blocks are a {@link ModelFormatException} naming the file, the
 * tensor and both shapes. ggml lists dimensions innermost first, so a {@code rows x cols} matrix is stored as
 * {@code [cols, rows]}. The one shape-checked GGUF reader, used for the decoder ({@link GgufModelLoader}) and the
 * vision tower ({@code vision.MmprojVisionLoader}). Does not own the file.
 */
public final class GgufTensors {
  private final GgufFile file;

  public GgufTensors(GgufFile file) {
    this.file = file;
  }

  public boolean contains(String name) {
    return file.tensors().containsKey(name);
  }

  /** The tensor's dimensions as stored (innermost first). */
  public long[] dims(String name) {
    GgufFile.TensorInfo t = file.tensors().get(name);
    if (t == null) {
      throw new ModelFormatException(file.path() + ": tensor '" + name + "' is missing");
    }
    return t.dims();
  }

  /** The tensor as stored, its shape unchecked (the caller checks it against something the config does not give). */
  public FloatTensor tensor(String name) {
    dims(name);
    return file.tensor(name);
  }

  /** A {@code rows x cols} matrix, stored {@code [cols, rows]}, whose rows fill whole blocks of its type. */
  public FloatTensor matrix(String name, int rows, int cols) {
    long[] d = dims(name);
    if (d.length != 2 || d[0] != cols || d[1] != rows) {
      throw new ModelFormatException(file.path() + ": tensor '" + name + "' has shape " + Arrays.toString(d)
          + ", expected [" + cols + ", " + rows + "]");
    }
    FloatTensor t = file.tensor(name);
    if (cols % t.type().blockSize() != 0) {
      throw new ModelFormatException(file.path() + ": tensor '" + name + "' rows of " + cols
          + " values do not fill whole " + t.type() + " blocks");
    }
    return t;
  }

  /** A {@code [n]} vector, copied out as floats. */
  public float[] vector(String name, int n) {
    long[] d = dims(name);
    if (d.length != 1 || d[0] != n) {
      throw new ModelFormatException(file.path() + ": tensor '" + name + "' has shape " + Arrays.toString(d)
          + ", expected [" + n + "]");
    }
    float[] v = new float[n];
    file.tensor(name).copyTo(0, v, 0, n);
    return v;
  }
}
