package dev.longshot.vlm.tensor;

import java.lang.System.Logger.Level;

/**
 * Where a loaded model's weights live. {@link #HEAP}: each tensor is decoded from the file into heap arrays (the
 * only choice on Java 21, where the FFM API is a preview); the JVM needs {@code -Xmx} of about the model's size.
 * {@link #MAPPED} (Java 22+): the file is memory-mapped ({@code FileChannel.map(..., Arena)}) and the kernels read the
 * stored blocks in place ({@code fromMemorySegment}); the weights live in the OS page cache, shared and never copied,
 * and the heap holds only activations, the KV cache and the small vectors. {@link #preferred()} is MAPPED on Java
 * 22+ unless the system property {@value #FORCE_HEAP_PROPERTY}{@code =true} asks for the heap copy (for tests of the
 * Java 21 path, or for files on a file system that cannot be mapped); the choice is logged once.
 */
public enum WeightStorage {
  HEAP,
  MAPPED;

  /** {@code -Dlongshot.vlm.heap-weights=true}: copy weights into the heap even where they could be mapped. */
  public static final String FORCE_HEAP_PROPERTY = "longshot.vlm.heap-weights";
  /** The Java 22+ implementation (src/main/java22), loaded only on a 22+ runtime. */
  private static final String MAPPED_CLASS = "dev.longshot.vlm.tensor.MappedWeightMemory";
  private static final boolean MAPPED_AVAILABLE = mappedClassPresent();
  private static final WeightStorage PREFERRED = choose();

  /** MAPPED where this runtime and build have it and it is not forced off, else HEAP. */
  public static WeightStorage preferred() {
    return PREFERRED;
  }

  /** Whether {@link #MAPPED} can be opened here: Java 22+ and the classes compiled from src/main/java22 present. */
  public static boolean mappedAvailable() {
    return MAPPED_AVAILABLE;
  }

  /** A fresh {@link WeightMemory} of this kind; close it (with the model) to release the mapping. */
  public WeightMemory open() {
    if (this == HEAP) {
      return new HeapWeightMemory();
    }
    if (!MAPPED_AVAILABLE) {
      throw new IllegalStateException("memory-mapped weights need Java 22 or newer and a build by JDK 22+; this is "
          + "Java " + Runtime.version());
    }
    try {
      return (WeightMemory) Class.forName(MAPPED_CLASS).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + MAPPED_CLASS + ": " + e, e);
    }
  }

  private static boolean mappedClassPresent() {
    if (Runtime.version().feature() < 22) {
      return false;
    }
    try {
      Class.forName(MAPPED_CLASS, false, WeightStorage.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static WeightStorage choose() {
    boolean forced = Boolean.getBoolean(FORCE_HEAP_PROPERTY);
    WeightStorage s = !forced && MAPPED_AVAILABLE ? MAPPED : HEAP;
    String why = s == MAPPED ? "memory-mapped, read in place"
        : forced ? "heap copy (forced by -D" + FORCE_HEAP_PROPERTY + "=true)"
        : Runtime.version().feature() < 22 ? "heap copy (Java " + Runtime.version().feature() + " < 22)"
        : "heap copy (this build has no src/main/java22 classes: built by a JDK before 22)";
    System.getLogger(WeightStorage.class.getName()).log(Level.INFO, "vlm-runtime weights: " + why);
    return s;
  }
}
