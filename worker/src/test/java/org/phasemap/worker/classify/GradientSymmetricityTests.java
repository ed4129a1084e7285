package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class GradientSymmetricityTests {

  @Test
  void identicalGradientsHaveCosineOne() {
    double[][] g = {{1, 2, 3}, {-0.5, 0.25, 4}};
    double[][] scaled = {{3, 6, 9}, {-1, 0.5, 8}};

    assertThat(GradientSymmetricity.meanCosine(g, g)).isCloseTo(1.0, within(1e-15));
    assertThat(GradientSymmetricity.meanCosine(g, scaled)).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void oppositeGradientsHaveCosineMinusOne() {
    double[][] g = {{1, 2, 3}, {-0.5, 0.25, 4}};
    double[][] minus = {{-1, -2, -3}, {0.5, -0.25, -4}};

    assertThat(GradientSymmetricity.meanCosine(g, minus)).isCloseTo(-1.0, within(1e-15));
  }

  @Test
  void orthogonalGradientsHaveCosineZero() {
    double[][] u = {{1, 0, 0}, {1, 1, 0}};
    double[][] v = {{0, 5, 0}, {1, -1, 7}};

    assertThat(GradientSymmetricity.meanCosine(u, v)).isCloseTo(0.0, within(1e-15));
  }

  @Test
  void averagesTheCosinesOfAllTriples() {
    // cosines 1, −1 and cos 45° = 1/√2
    double[][] u = {{1, 0}, {1, 0}, {1, 0}};
    double[][] v = {{2, 0}, {-3, 0}, {1, 1}};

    assertThat(GradientSymmetricity.meanCosine(u, v))
        .isCloseTo((1 - 1 + 1 / Math.sqrt(2)) / 3, within(1e-15));
  }

  @Test
  void skipsAndCountsTriplesWithAZeroGradient() {
    double[][] u = {{1, 0}, {0, 0}, {1, 0}, {3, 4}};
    double[][] v = {{1, 0}, {1, 0}, {0, 0}, {-3, -4}};

    GradientSymmetricity.Summary s = GradientSymmetricity.summarise(u, v);

    assertThat(s.counted()).isEqualTo(2);
    assertThat(s.skipped()).isEqualTo(2);
    assertThat(s.mean()).isCloseTo(0.0, within(1e-15)); // (1 + (−1)) / 2
    assertThat(GradientSymmetricity.meanCosine(u, v)).isEqualTo(s.mean());
  }

  @Test
  void allZeroGradientsGiveNaN() {
    GradientSymmetricity.Summary s =
        GradientSymmetricity.summarise(new double[3][4], new double[3][4]);

    assertThat(s.mean()).isNaN();
    assertThat(s.counted()).isZero();
    assertThat(s.skipped()).isEqualTo(3);
  }

  @Test
  void nonFiniteGradientMakesTheMeanNaNInsteadOfBeingSkipped() {
    double[][] u = {{1, 0}, {Double.NaN, 0}};
    double[][] v = {{1, 0}, {1, 0}};

    GradientSymmetricity.Summary s = GradientSymmetricity.summarise(u, v);

    assertThat(s.mean()).isNaN();
    assertThat(s.skipped()).isZero();
  }

  @Test
  void tinyGradientsDoNotUnderflow() {
    double[][] u = {{1e-200, 2e-200}};
    double[][] v = {{2e-200, 4e-200}};

    assertThat(GradientSymmetricity.meanCosine(u, v)).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void acceptsFloat32Arrays() {
    double[][] u = {{1, 2, 3}, {4, 5, 6}};
    double[][] v = {{1, -2, 3}, {6, 5, 4}};

    assertThat(
            GradientSymmetricity.meanCosine(
                Nd4j.create(u).castTo(DataType.FLOAT), Nd4j.create(v).castTo(DataType.FLOAT)))
        .isCloseTo(GradientSymmetricity.meanCosine(u, v), within(1e-7));
  }

  @Test
  void rejectsGradientsOfDifferentTripleCounts() {
    assertThatThrownBy(() -> GradientSymmetricity.meanCosine(new double[3][2], new double[2][2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compare gradients: gradA has 3 rows and gradB has 2; row i of each must belong"
                + " to triple i");
    assertThatThrownBy(() -> GradientSymmetricity.cosine(new double[3], new double[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot take the cosine of vectors of lengths 3 and 2");
  }
}
