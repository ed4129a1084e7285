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
    assertThatThrownBy(() -> GramRank.deadNeurons(Nd4j.ones(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot read postActivation: expected a rank-2 array");
  }
}
