package dev.longshot.vlm.tensor;

import java.lang.System.Logger.Level;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Chooses between the Vector API kernels and their scalar twins, once per JVM. The system property
 * {@code longshot.vlm.scalar=true} forces the scalar path (for debugging and for checking the vector path);
 * a JVM whose preferred float vector is narrower than 128 bits also gets the scalar path. The choice is logged.
 */
public final class Kernels {
  /** The float species every kernel uses. */
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  /** True when the Vector API kernels run. */
  public static final boolean VECTORIZED;

  static {
    boolean forced = Boolean.getBoolean("longshot.vlm.scalar");
    VECTORIZED = !forced && F.vectorBitSize() >= 128;
    String why = forced ? "scalar (forced by -Dlongshot.vlm.scalar=true)"
        : VECTORIZED ? "Vector API, " + F.vectorBitSize() + "-bit float vectors"
        : "scalar (preferred vector is only " + F.vectorBitSize() + " bits)";
    System.getLogger(Kernels.class.getName()).log(Level.INFO, "vlm-runtime kernels: " + why);
  }

  private Kernels() {}

  /** One line saying which kernels run, for CLI and benchmark output. */
  public static String describe() {
    return VECTORIZED ? "vector(" + F.vectorBitSize() + "-bit)" : "scalar";
  }
}
