package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTests {

  @Test
  void twoByTwoHasTheKnownEigenpairsInDescendingOrder() {
    // [[2, 1], [1, 2]]: eigenvalues 3 (vector (1, 1)/√2) and 1 (vector (1, −1)/√2)
    SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});

    assertThat(e.values).containsExactly(new double[] {3, 1}, within(1e-14));
    assertThat(Math.abs(e.vectors[0][0] + e.vectors[0][1]) / Math.sqrt(2))
        .isCloseTo(1, within(1e-14));
    assertThat(Math.abs(e.vectors[1][0] - e.vectors[1][1]) / Math.sqrt(2))
        .isCloseTo(1, within(1e-14));
  }

  @Test
  void randomSymmetricMatrixIsReconstructedByOrthonormalEigenvectors() {
    int n = 40;
    SplittableRandom rng = new SplittableRandom(5);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = rng.nextGaussian();
        a[j][i] = a[i][j];
      }
    }

    SymmetricEigen e = SymmetricEigen.of(a);

    for (int j = 1; j < n; j++) {
      assertThat(e.values[j]).isLessThanOrEqualTo(e.values[j - 1]);
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double reconstructed = 0;
        double gram = 0;
        for (int j = 0; j < n; j++) {
          reconstructed += e.vectors[j][i] * e.values[j] * e.vectors[j][k];
          gram += e.vectors[i][j] * e.vectors[k][j];
        }
        worst = Math.max(worst, Math.abs(reconstructed - a[i][k]));
        worst = Math.max(worst, Math.abs(gram - (i == k ? 1 : 0)));
      }
    }
    assertThat(worst).isLessThan(1e-12);
  }

  @Test
  void repeatedEigenvaluesAndZerosAreResolved() {
    // diag(4, 4, 0) rotated: a repeated leading eigenvalue and a null direction
    double[][] a = {{4, 0, 0}, {0, 2, 2}, {0, 2, 2}};

    SymmetricEigen e = SymmetricEigen.of(a);

    assertThat(e.values).containsExactly(new double[] {4, 4, 0}, within(1e-14));
  }
}
