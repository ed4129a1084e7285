package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The float64 matrix products and the LAPACK eigen-decomposition the analysis is built on. */
class LinearAlgebraTests {

  static DoubleMatrix gaussian(SplittableRandom rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    return DoubleMatrix.of(a);
  }

  static double naiveEntry(DoubleMatrix a, DoubleMatrix b, int i, int j) {
    double s = 0;
    for (int k = 0; k < a.cols(); k++) {
      s += a.get(i, k) * b.get(k, j);
    }
    return s;
  }

  @Test
  void productsAgreeWithTheDefinition() {
    SplittableRandom rng = new SplittableRandom(1);
    DoubleMatrix a = gaussian(rng, 7, 5);
    DoubleMatrix b = gaussian(rng, 5, 3);
    DoubleMatrix ab = a.times(b);
    DoubleMatrix atb = a.transpose().transposeTimes(b);
    DoubleMatrix abt = a.timesTranspose(b.transpose());
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 3; j++) {
        double e = naiveEntry(a, b, i, j);
        assertThat(ab.get(i, j)).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(atb.get(i, j)).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(abt.get(i, j)).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12));
      }
    }
    assertThatThrownBy(() -> a.times(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot multiply: inner sizes differ (7 × 5 · 7 × 5)");
  }

  @Test
  void eigenvectorsSatisfyTheirEquationAndAreSortedDescending() {
    SplittableRandom rng = new SplittableRandom(2);
    DoubleMatrix x = gaussian(rng, 40, 9);
    DoubleMatrix g = x.transposeTimes(x);
    SymmetricEigenvectors e = SymmetricEigenvectors.of(g);
    DoubleMatrix v = e.vectors();
    DoubleMatrix gv = g.times(v);
    for (int j = 0; j < 9; j++) {
      if (j > 0) {
        assertThat(e.values()[j]).isLessThanOrEqualTo(e.values()[j - 1]);
      }
      for (int i = 0; i < 9; i++) {
        assertThat(gv.get(i, j))
            .isCloseTo(e.values()[j] * v.get(i, j), org.assertj.core.data.Offset.offset(1e-10));
      }
    }
    DoubleMatrix vtv = v.transposeTimes(v);
    for (int i = 0; i < 9; i++) {
      for (int j = 0; j < 9; j++) {
        assertThat(vtv.get(i, j))
            .isCloseTo(i == j ? 1 : 0, org.assertj.core.data.Offset.offset(1e-12));
      }
    }
  }

  @Test
  void countsEigenvaluesAboveARelativeCut() {
    assertThat(SymmetricEigenvectors.countAbove(new double[] {4, 1, 1e-9, 0}, 1e-6)).isEqualTo(2);
    assertThat(SymmetricEigenvectors.countAbove(new double[] {0, 0}, 1e-6)).isZero();
    assertThat(SymmetricEigenvectors.countAbove(new double[] {}, 1e-6)).isZero();
  }
}
