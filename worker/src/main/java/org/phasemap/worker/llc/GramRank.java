package org.phasemap.worker.llc;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.classify.SymmetricEigen;

/**
 * Cheap indicators of degeneracy read from a layer's activations, the first source of degeneracy
 * named by Bushnaq et al. 2024 (SCIENCE.md 3.5): linearly dependent activations and neurons that
 * never fire. They cost one forward pass and one eigen-decomposition, against the thousands of
 * gradient steps of an LLC estimate.
 */
public final class GramRank {
  /**
   * Default relative eigenvalue threshold, 1e-6 of the largest eigenvalue of G = AᵀA / n.
   *
   * <p>Why 1e-6: eigenvalues of G are squared singular values of A/√n, so this keeps directions
   * whose singular value is at least 1e-3 of the largest. Activations of a float32 model carry
   * relative rounding of about √k · 6e-8 (k = length of the dot products behind them, at most a few
   * hundred), i.e. spurious singular values near 1e-6 and spurious eigenvalues near 1e-12 relative:
   * six orders of magnitude below the threshold. The double-precision Jacobi solver adds errors of
   * about 1e-16 relative. A direction ten times smaller than 1e-3 in singular value is, for the
   * purpose of "how many independent directions does this layer use", a dependent one. For float64
   * activations a smaller threshold (RIB uses 1e-15 absolute) can be passed explicitly.
   */
  public static final double DEFAULT_RELATIVE_THRESHOLD = 1e-6;

  private GramRank() {}

  /** {@link #numericalRank(INDArray, double)} with {@link #DEFAULT_RELATIVE_THRESHOLD}. */
  public static int numericalRank(INDArray activations) {
    return numericalRank(activations, DEFAULT_RELATIVE_THRESHOLD);
  }

  /**
   * Number of eigenvalues of the (uncentred) Gram matrix G = AᵀA / n, computed in double, that
   * exceed {@code relativeThreshold} × the largest eigenvalue. Zero for an all-zero matrix.
   *
   * @param activations A, shape [n examples, d features], any floating data type
   * @param relativeThreshold in (0, 1)
   */
  public static int numericalRank(INDArray activations, double relativeThreshold) {
    requireMatrix(activations, "activations");
    if (!(relativeThreshold > 0 && relativeThreshold < 1)) {
      throw new IllegalArgumentException(
          "Cannot compute numerical rank: relativeThreshold must be in (0, 1) (got "
              + relativeThreshold
              + ")");
    }
    long n = activations.rows();
    INDArray a = activations.castTo(DataType.DOUBLE);
    double[][] gram = a.transpose().mmul(a).divi(n).toDoubleMatrix();
    double[] values = SymmetricEigen.of(gram).values();
    if (values.length == 0 || !(values[0] > 0)) {
      return 0;
    }
    double cut = relativeThreshold * values[0];
    return (int) Arrays.stream(values).filter(v -> v > cut).count();
  }

  /**
   * Number of columns (neurons) of {@code postActivation} [n, d] that are exactly zero on every row:
   * ReLU neurons that never fire on the given inputs and so carry no gradient at all.
   */
  public static int deadNeurons(INDArray postActivation) {
    requireMatrix(postActivation, "postActivation");
    double[] maxAbs = postActivation.castTo(DataType.DOUBLE).amax(0).toDoubleVector();
    int dead = 0;
    for (double m : maxAbs) {
      if (m == 0) {
        dead++;
      }
    }
    return dead;
  }

  private static void requireMatrix(INDArray a, String what) {
    if (a == null || a.rank() != 2 || a.rows() == 0) {
      throw new IllegalArgumentException(
          "Cannot read "
              + what
              + ": expected a rank-2 array with at least one row (got "
              + (a == null ? "null" : "shape " + Arrays.toString(a.shape()))
              + ")");
    }
  }
}
