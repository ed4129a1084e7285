package org.phasemap.worker.classify;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method, in pure Java.
 *
 * <p>Why not LAPACK through ND4J: the result must be the same on every platform a sweep runs on
 * (provenance, STYLE.md), and the matrices here are small (at most min(vocab, d_model) on a side).
 * Jacobi is unconditionally convergent for symmetric matrices and accurate to a few ulps of the
 * largest eigenvalue, including for repeated eigenvalues (which exact circles produce).
 *
 * <p>Each rotation J(p, q, φ) with tan φ = t, the smaller root of t² + 2θt − 1 = 0, θ = (a_qq −
 * a_pp)/(2 a_pq), zeroes a_pq in A ← JᵀAJ; the product of rotations accumulates the eigenvectors.
 * Sweeps stop when the off-diagonal mass is below (1e-15 · ‖A‖_F)².
 *
 * <p>The cost is about ten sweeps of 2n³ flops, eigenvectors included: fine up to a hundred or so
 * rows, slow beyond (n = 512 took 3.2 s, which is why {@code org.phasemap.worker.llc.GramRank}
 * counts eigenvalues with LAPACK instead).
 */
public final class SymmetricEigen {
  private static final int MAX_SWEEPS = 100;

  /** Eigenvalues in descending order. */
  final double[] values;

  /** {@code vectors[j]} is the unit eigenvector of {@code values[j]}; its sign is arbitrary. */
  final double[][] vectors;

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes the symmetric matrix {@code a} (not modified); only its upper triangle is assumed.
   */
  public static SymmetricEigen of(double[][] a) {
    int n = a.length;
    Matrices.requireRectangular(a, n, "symmetric matrix");
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        m[i][j] = j >= i ? a[i][j] : a[j][i];
      }
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    double frob2 = 0;
    for (double[] row : m) {
      for (double x : row) {
        frob2 += x * x;
      }
    }
    double tolerance = 1e-30 * frob2;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          off += m[i][j] * m[i][j];
        }
      }
      if (off <= tolerance) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (m[p][q] != 0) {
            rotate(m, v, p, q);
          }
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // descending eigenvalue; ties keep index order so the result is deterministic
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -m[i][i]));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int j = 0; j < n; j++) {
      int col = order[j];
      values[j] = m[col][col];
      for (int i = 0; i < n; i++) {
        vectors[j][i] = v[i][col];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /** Eigenvalues in descending order (a copy). */
  public double[] values() {
    return values.clone();
  }

  /**
   * Unit eigenvectors, {@code vectors()[j]} belonging to {@code values()[j]}, signs arbitrary (a
   * copy).
   */
  public double[][] vectors() {
    double[][] copy = new double[vectors.length][];
    for (int j = 0; j < vectors.length; j++) {
      copy[j] = vectors[j].clone();
    }
    return copy;
  }

  private static void rotate(double[][] m, double[][] v, int p, int q) {
    int n = m.length;
    double apq = m[p][q];
    double theta = (m[q][q] - m[p][p]) / (2 * apq);
    double t =
        Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    for (int k = 0; k < n; k++) { // columns: A J
      double akp = m[k][p];
      double akq = m[k][q];
      m[k][p] = c * akp - s * akq;
      m[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) { // rows: Jᵀ (A J)
      double apk = m[p][k];
      double aqk = m[q][k];
      m[p][k] = c * apk - s * aqk;
      m[q][k] = s * apk + c * aqk;
    }
    m[p][q] = 0;
    m[q][p] = 0;
    for (int k = 0; k < n; k++) { // V J
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }
}
