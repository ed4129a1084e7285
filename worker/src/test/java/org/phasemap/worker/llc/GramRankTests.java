package org.phasemap.worker.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GramRankTests {

  /** [n, 10] activations whose columns are fixed random mixes of 4 independent Gaussian columns. */
  private static INDArray plantedRankFour(DataType dt) {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 200;
    double[][] base = new double[n][4];
    for (double[] row : base) {
      for (int k = 0; k < 4; k++) {
        row[k] = rng.nextGaussian();
      }
    }
    double[][] mix = new double[4][10];
    for (double[] row : mix) {
      for (int j = 0; j < 10; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    return Nd4j.create(base).mmul(Nd4j.create(mix)).castTo(dt);
  }

  @Test
  void tenColumnsBuiltFromFourIndependentOnesHaveRankFour() {
    assertThat(GramRank.numericalRank(plantedRankFour(DataType.DOUBLE))).isEqualTo(4);
    // float32 rounding stays far below the default threshold
    assertThat(GramRank.numericalRank(plantedRankFour(DataType.FLOAT))).isEqualTo(4);
  }

  @Test
  void plantedRankIsFoundAtMlpWidth() {
    // 512 neurons computed from 37 independent directions, float32, as an MLP layer would hold them
    SplittableRandom rng = new SplittableRandom(11);
    INDArray base = Nd4j.create(DataType.DOUBLE, 3000, 37);
    INDArray mix = Nd4j.create(DataType.DOUBLE, 37, 512);
    fill(base, rng);
    fill(mix, rng);
    INDArray a = base.mmul(mix).castTo(DataType.FLOAT);
    assertThat(GramRank.numericalRank(a)).isEqualTo(37);
    // ReLU of it mixes the directions non-linearly: full rank again, and nothing is dead
    INDArray relu = org.nd4j.linalg.ops.transforms.Transforms.relu(a, true);
    assertThat(GramRank.numericalRank(relu)).isEqualTo(512);
    assertThat(GramRank.deadNeurons(relu)).isZero();
  }

  @Test
  void eigenvaluesAgreeWithTheJacobiSolver() {
    SplittableRandom rng = new SplittableRandom(5);
    INDArray a = Nd4j.create(DataType.DOUBLE, 40, 9);
    fill(a, rng);
    double[] lapack = GramRank.gramEigenvalues(a);
    java.util.Arrays.sort(lapack);
    double[] jacobi =
        org.phasemap.worker.classify.SymmetricEigen.of(
                a.transpose().mmul(a).divi(40).toDoubleMatrix())
            .values();
    for (int i = 0; i < 9; i++) {
      assertThat(lapack[8 - i]).isCloseTo(jacobi[i], org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  private static void fill(INDArray a, SplittableRandom rng) {
    for (long i = 0; i < a.rows(); i++) {
      for (long j = 0; j < a.columns(); j++) {
        a.putScalar(i, j, rng.nextGaussian());
      }
    }
  }

  @Test
  void independentColumnsHaveFullRankAndZerosHaveNone() {
    INDArray a = Nd4j.create(new double[][] {{1, 0, 0}, {0, 2, 0}, {0, 0, 3}, {1, 1, 1}});
    assertThat(GramRank.numericalRank(a)).isEqualTo(3);
    assertThat(GramRank.numericalRank(Nd4j.zeros(DataType.FLOAT, 5, 3))).isZero();
  }

  @Test
  void deadNeuronsAreColumnsThatAreZeroOnEveryRow() {
    INDArray post =
        Nd4j.create(
            new double[][] {
              {0, 1, 0, 0, 2},
              {0, 0, 0, 3, 0},
              {0, 0, 0, 0, 1e-30},
            });
    assertThat(GramRank.deadNeurons(post)).isEqualTo(2);
    assertThat(GramRank.deadNeurons(post.castTo(DataType.FLOAT))).isEqualTo(2);
  }

  @Test
  void rejectsABadThresholdOrShape() {
    assertThatThrownBy(() -> GramRank.numericalRank(Nd4j.ones(3, 2), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute numerical rank: relativeThreshold must be in (0, 1) (got 0.0)");
    INDArray diverged = Nd4j.ones(DataType.FLOAT, 4, 3);
    diverged.putScalar(2, 1, Float.NaN);
    assertThatThrownBy(() -> GramRank.numericalRank(diverged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute numerical rank: activations must be finite (got a non-finite value in column 1)");
    assertThatThrownBy(() -> GramRank.deadNeurons(Nd4j.ones(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot read postActivation: expected a rank-2 array");
  }
}
