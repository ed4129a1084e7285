package org.phasemap.worker.measure;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The real orthonormal Fourier basis over ℤ_p of SCIENCE.md 1.3 (PM-code {@code
 * make_fourier_basis}).
 *
 * <p>B is p × p; its rows are functions of x ∈ {0, …, p−1}: row 0 is the constant 1/√p ("Const"),
 * and for k = 1 … (p−1)/2 row 2k−1 is cos(2πkx/p) and row 2k is sin(2πkx/p), each divided by its
 * Euclidean norm √(p/2). A vector v has coefficients B v; a p × p table F (rows a, columns b) has
 * 2-D coefficients B F Bᵀ. Only odd p is supported, so no alternating (Nyquist) row is needed.
 */
public final class FourierBasis {

  private FourierBasis() {}

  /**
   * The basis as a p × p array, {@code of(p)[row][x]}.
   *
   * @throws IllegalArgumentException if p is even or smaller than 3
   */
  public static double[][] of(int p) {
    checkModulus(p);
    double[][] b = new double[p][p];
    double constant = 1.0 / Math.sqrt(p);
    for (int x = 0; x < p; x++) {
      b[0][x] = constant;
    }
    for (int k = 1; k <= frequencies(p); k++) {
      for (int x = 0; x < p; x++) {
        // Reduce k·x mod p first so the angle stays in [0, 2π) and keeps full precision.
        double angle = 2 * Math.PI * ((long) k * x % p) / p;
        b[cosRow(k)][x] = Math.cos(angle);
        b[sinRow(k)][x] = Math.sin(angle);
      }
      normalise(b[cosRow(k)]);
      normalise(b[sinRow(k)]);
    }
    return b;
  }

  /** The basis of {@link #of(int)} as a p × p DOUBLE INDArray. */
  public static INDArray matrix(int p) {
    return Nd4j.create(of(p));
  }

  /**
   * Name of a basis row: "Const" for row 0, "cos k" for row 2k−1, "sin k" for row 2k.
   *
   * @throws IllegalArgumentException if row is negative
   */
  public static String name(int row) {
    if (row < 0) {
      throw new IllegalArgumentException(
          "Cannot name Fourier basis row: row must be >= 0 (got " + row + ")");
    }
    if (row == 0) {
      return "Const";
    }
    int k = (row + 1) / 2;
    return (row % 2 == 1 ? "cos " : "sin ") + k;
  }

  /** Number of non-constant frequencies, (p−1)/2, of an odd modulus p. */
  public static int frequencies(int p) {
    checkModulus(p);
    return (p - 1) / 2;
  }

  /** Row of cos(2πkx/p): 2k−1. */
  public static int cosRow(int k) {
    return 2 * k - 1;
  }

  /** Row of sin(2πkx/p): 2k. */
  public static int sinRow(int k) {
    return 2 * k;
  }

  /**
   * Checks that p is a modulus the basis supports (odd, at least 3) and returns it.
   *
   * @throws IllegalArgumentException otherwise
   */
  static int checkModulus(int p) {
    if (p < 3 || p % 2 == 0) {
      throw new IllegalArgumentException(
          "Cannot build the Fourier basis: p must be odd and at least 3 (got " + p + ")");
    }
    return p;
  }

  private static void normalise(double[] row) {
    double s = 0;
    for (double v : row) {
      s += v * v;
    }
    double norm = Math.sqrt(s);
    for (int i = 0; i < row.length; i++) {
      row[i] /= norm;
    }
  }
}
