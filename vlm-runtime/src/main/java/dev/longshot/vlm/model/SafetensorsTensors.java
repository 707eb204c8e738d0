package dev.longshot.vlm.model;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.safetensors.SafetensorsFile;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tensors of a Hugging Face checkpoint directory (every {@code *.safetensors} file in it, by name), read with
 * their shapes checked: a missing tensor or a shape other than the config implies is a {@link ModelFormatException}
 * naming the directory, the tensor and both shapes. The one shape-checked safetensors reader, used for the decoder
 * ({@link SafetensorsModelLoader}) and the vision tower ({@code vision.HfVisionLoader}). Closes its files.
 */
public final class SafetensorsTensors implements AutoCloseable {
  private final Path dir;
  private final List<SafetensorsFile> files;

  private SafetensorsTensors(Path dir, List<SafetensorsFile> files) {
    this.dir = dir;
    this.files = files;
  }

  /**
   * Opens every {@code *.safetensors} file in {@code dir}, sorted by name, tensors decoded into heap arrays; there
   * may be none ({@link #isEmpty}).
   */
  public static SafetensorsTensors open(Path dir) throws IOException {
    return open(dir, WeightStorage.HEAP.open());
  }

  /** {@link #open(Path)} with the tensors in {@code memory}, which the caller owns and closes with the model. */
  public static SafetensorsTensors open(Path dir, WeightMemory memory) throws IOException {
    List<SafetensorsFile> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".safetensors")).sorted().toList()) {
        files.add(SafetensorsFile.open(p, memory));
      }
    } catch (IOException | RuntimeException e) {
      for (SafetensorsFile f : files) {
        try {
          f.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new SafetensorsTensors(dir, files);
  }

  /** Whether the directory held no safetensors file. */
  public boolean isEmpty() {
    return files.isEmpty();
  }

  public boolean contains(String name) {
    return file(name) != null;
  }

  /** The tensor's shape as stored (PyTorch order: rows first). */
  public long[] shape(String name) {
    return existing(name).entries().get(name).shape();
  }

  /** The tensor as stored, its shape unchecked (the caller checks it against something the config does not give). */
  public FloatTensor tensor(String name) {
    return existing(name).tensor(name);
  }

  /** A {@code [rows, cols]} matrix. */
  public FloatTensor matrix(String name, int rows, int cols) {
    long[] s = shape(name);
    if (s.length != 2 || s[0] != rows || s[1] != cols) {
      throw new ModelFormatException(dir + ": tensor '" + name + "' has shape " + Arrays.toString(s) + ", expected ["
          + rows + ", " + cols + "]");
    }
    return tensor(name);
  }

  /** A {@code [n]} vector, copied out as floats. */
  public float[] vector(String name, int n) {
    long[] s = shape(name);
    if (s.length != 1 || s[0] != n) {
      throw new ModelFormatException(dir + ": tensor '" + name + "' has shape " + Arrays.toString(s) + ", expected ["
          + n + "]");
    }
    float[] v = new float[n];
    tensor(name).copyTo(0, v, 0, n);
    return v;
  }

  private SafetensorsFile file(String name) {
    for (SafetensorsFile f : files) {
      if (f.entries().containsKey(name)) {
        return f;
      }
    }
    return null;
  }

  private SafetensorsFile existing(String name) {
    SafetensorsFile f = file(name);
    if (f == null) {
      throw new ModelFormatException(dir + ": tensor '" + name + "' is missing");
    }
    return f;
  }

  @Override
  public void close() throws IOException {
    for (SafetensorsFile f : files) {
      f.close();
    }
  }
}
