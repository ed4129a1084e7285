package org.phasemap.worker.llc;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cheap indicators of degeneracy read from a layer's activations, the first source of degeneracy
 * named by Bushnaq et al. 2024 (SCIENCE.md 3.5): linearly dependent activations and neurons that
 * never fire. They cost one forward pass, one Gram matrix and one eigenvalue computation, against
 * the thousands of gradient steps of an LLC estimate.
 *
 * <p>The eigenvalues come from LAPACK's {@code dsyev} through ND4J, eigenvalues only, not from the
 * pure-Java Jacobi solver {@link org.phasemap.worker.classify.SymmetricEigen} the classifier uses:
 * for the 512 × 512 Gram matrix of the nanda2023 MLP, Jacobi (which also accumulates eigenvectors)
 * took 3.2 s and {@code dsyev} 13 ms (docs/LLC.md, Cost). Jacobi's reason to exist is results
 * identical on every platform; here the result is an integer count against a cut six orders of
 * magnitude above rounding, which two correct LAPACK builds (eigenvalue errors of order 1e-16 × d ×
 * the largest) can only disagree on when an eigenvalue sits within about 1e-13 relative of the cut.
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
   * @param activations A, shape [n examples, d features], any floating data type, finite
   * @param relativeThreshold in (0, 1)
   * @throws IllegalArgumentException for non-finite activations (a diverged model has no rank)
   */
  public static int numericalRank(INDArray activations, double relativeThreshold) {
    requireMatrix(activations, "activations");
    if (!(relativeThreshold > 0 && relativeThreshold < 1)) {
      throw new IllegalArgumentException(
          "Cannot compute numerical rank: relativeThreshold must be in (0, 1) (got "
              + relativeThreshold
              + ")");
    }
    double[] values = gramEigenvalues(activations);
    double largest = Arrays.stream(values).max().orElse(0);
    if (!(largest > 0)) {
      return 0;
    }
    double cut = relativeThreshold * largest;
    return (int) Arrays.stream(values).filter(v -> v > cut).count();
  }

  /**
   * Eigenvalues of G = AᵀA / n in double (any order), by LAPACK {@code dsyev} without eigenvectors.
   * The Gram matrix is formed in double: in float32 its rounding (about 1e-7 × √n relative, 1e-5
   * for the p² = 12 769 inputs of p = 113) would sit above the rank threshold.
   */
  static double[] gramEigenvalues(INDArray activations) {
    long n = activations.rows();
    long d = activations.columns();
    INDArray a = activations.castTo(DataType.DOUBLE);
    INDArray gram = Nd4j.create(DataType.DOUBLE, d, d);
    Nd4j.gemm(a, a, gram, true, false, 1.0 / n, 0.0);
    for (long j = 0; j < d; j++) {
      // a non-finite activation makes its column's diagonal entry (a sum of squares) non-finite
      if (!Double.isFinite(gram.getDouble(j, j))) {
        throw new IllegalArgumentException(
            "Cannot compute numerical rank: activations must be finite (got a non-finite value in"
                + " column "
                + j
                + ")");
      }
    }
    INDArray values = Nd4j.create(DataType.DOUBLE, d);
    int info = Nd4j.getBlasWrapper().lapack().syev('N', 'U', gram, values);
    if (info != 0) {
      throw new IllegalStateException(
          "Cannot compute numerical rank: LAPACK dsyev did not converge (got info = " + info + ")");
    }
    return values.toDoubleVector();
  }

  /**
   * Number of columns (neurons) of {@code postActivation} [n, d] that are exactly zero on every
   * row: ReLU neurons that never fire on the given inputs and so carry no gradient at all.
   */
  public static int deadNeurons(INDArray postActivation) {
    requireMatrix(postActivation, "postActivation");
    // |x| and max are exact in any floating type: no cast needed to compare with zero
    double[] maxAbs = postActivation.amax(0).toDoubleVector();
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
