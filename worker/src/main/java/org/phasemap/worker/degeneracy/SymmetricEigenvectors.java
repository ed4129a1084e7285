package org.phasemap.worker.degeneracy;

import java.util.Arrays;
import java.util.Comparator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.model.Rows;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix, largest first, from LAPACK {@code dsyev}
 * through ND4J: no solver of its own. {@code classify.SymmetricEigen} (pure-Java Jacobi) gives the
 * same decomposition but took 3.2 s at 512 × 512 (docs/LLC.md), and the MLP node layer here is
 * d_model + d_mlp = 640 wide; LAPACK does it in a fraction of a second.
 *
 * <p>Eigenvectors of a repeated eigenvalue are any orthonormal basis of its eigenspace, and each
 * vector's sign is arbitrary; {@link #of} fixes the sign so that the entry of largest magnitude is
 * positive (ties to the lowest index), so that a run repeats bit for bit on one machine and reads
 * the same across machines up to rounding.
 *
 * @param values eigenvalues, descending
 * @param vectors column j is the unit eigenvector of {@code values[j]}
 */
record SymmetricEigenvectors(double[] values, DoubleMatrix vectors) {

  /** Decomposes the symmetric matrix {@code a} (symmetrised first against rounding). */
  static SymmetricEigenvectors of(DoubleMatrix a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException("Cannot decompose a non-square matrix " + a.shape());
    }
    if (!a.isFinite()) {
      throw new IllegalArgumentException(
          "Cannot decompose a matrix with non-finite entries " + a.shape());
    }
    int n = a.rows();
    if (n == 0) {
      return new SymmetricEigenvectors(new double[0], DoubleMatrix.zeros(0, 0));
    }
    DoubleMatrix s = a.symmetrised();
    // column-major, as LAPACK reads it: the eigenvectors come back as the columns of this array
    INDArray m = Nd4j.create(s.data(), new long[] {n, n}, DataType.DOUBLE).dup('f');
    INDArray w = Nd4j.create(DataType.DOUBLE, n);
    int info = Nd4j.getBlasWrapper().lapack().syev('V', 'U', m, w);
    if (info != 0) {
      throw new IllegalStateException(
          "Cannot decompose: LAPACK dsyev did not converge (got info = " + info + ")");
    }
    double[] ascending = w.toDoubleVector();
    double[] v = new double[n * n];
    Rows.read(m.dup('c'), v);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -ascending[i]));
    double[] values = new double[n];
    double[] vectors = new double[n * n];
    for (int j = 0; j < n; j++) {
      int col = order[j];
      values[j] = ascending[col];
      int big = 0;
      for (int i = 1; i < n; i++) {
        if (Math.abs(v[i * n + col]) > Math.abs(v[big * n + col])) {
          big = i;
        }
      }
      double sign = v[big * n + col] < 0 ? -1 : 1;
      for (int i = 0; i < n; i++) {
        vectors[i * n + j] = sign * v[i * n + col];
      }
    }
    return new SymmetricEigenvectors(values, DoubleMatrix.wrap(n, n, vectors));
  }

  /**
   * Number of eigenvalues above {@code relative} × the largest (0 when the largest is not
   * positive).
   */
  static int countAbove(double[] descending, double relative) {
    if (descending.length == 0 || !(descending[0] > 0)) {
      return 0;
    }
    double cut = relative * descending[0];
    int k = 0;
    while (k < descending.length && descending[k] > cut) {
      k++;
    }
    return k;
  }
}
