package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CircularityTests {

  /**
   * Rows t &lt; p: circle of frequency k1 and radius 3 in dimensions 0–1 plus a circle of frequency
   * k2 and radius 1 in dimensions 2–3; the radii differ so the two circles do not share an
   * eigenvalue (a shared one would let PCA mix the frequencies within the top 4).
   */
  static double[][] twoCircles(int p, int dModel, int k1, int k2) {
    double[][] e = new double[p][dModel];
    for (int t = 0; t < p; t++) {
      e[t][0] = 3 * Math.cos(2 * Math.PI * k1 * t / p);
      e[t][1] = 3 * Math.sin(2 * Math.PI * k1 * t / p);
      e[t][2] = Math.cos(2 * Math.PI * k2 * t / p);
      e[t][3] = Math.sin(2 * Math.PI * k2 * t / p);
    }
    return e;
  }

  static double[][] gaussian(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] e = new double[rows][cols];
    for (double[] row : e) {
      for (int k = 0; k < cols; k++) {
        row[k] = rng.nextGaussian();
      }
    }
    return e;
  }

  @Test
  void twoExactCirclesHaveCircularityOne() {
    double[][] e = twoCircles(23, 8, 3, 7);

    assertThat(Circularity.components(e, 23))
        .containsExactly(new double[] {1, 1, 1, 1}, within(1e-9));
    assertThat(Circularity.of(e, 23)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void bothPcaRoutesAgree() {
    // d_model 8 < vocab 23 decomposes XᵀX; d_model 40 ≥ vocab 23 decomposes XXᵀ
    double[][] narrow = gaussian(23, 8, 1);
    double[][] wide = new double[23][40];
    for (int i = 0; i < 23; i++) {
      System.arraycopy(narrow[i], 0, wide[i], 0, 8); // the 32 extra columns stay zero
    }

    assertThat(Circularity.components(wide, 23))
        .containsExactly(Circularity.components(narrow, 23), within(1e-9));
  }

  @Test
  void randomGaussianEmbeddingIsFarFromCircular() {
    assertThat(Circularity.of(gaussian(59, 128, 42), 59)).isLessThan(0.5);
    assertThat(Circularity.of(gaussian(114, 128, 43), 113)).isLessThan(0.5);
  }

  @Test
  void isInvariantToTranslationScaleAndOrthogonalMapsOfTheEmbedding() {
    double[][] e = gaussian(31, 16, 4);
    double[][] moved = new double[31][16];
    for (int i = 0; i < 31; i++) {
      for (int k = 0; k < 16; k++) {
        // permute columns (k ↦ 15 − k), flip the sign of even ones, scale by 7, shift by k
        moved[i][15 - k] = (k % 2 == 0 ? -7 : 7) * e[i][k] + k;
      }
    }

    assertThat(Circularity.of(moved, 31)).isCloseTo(Circularity.of(e, 31), within(1e-9));
  }

  /**
   * A circle (radius 1, dimensions 0–1) plus an '=' row at (0, 0, 5): the '=' direction has the
   * most variance (25p/(p+1) vs p/2), and its score vector is constant over the p number rows
   * (−5/(p+1) each), so it carries no frequency: c = 0. The circle's components, centred by a mean
   * that is 0 in its dimensions, give c = 1. Only 3 components exist (d_model 3), so circularity =
   * 2/3.
   */
  @Test
  void equalsRowTakesPartInThePca() {
    int p = 23;
    double[][] e = new double[p + 1][3];
    for (int t = 0; t < p; t++) {
      e[t][0] = Math.cos(2 * Math.PI * 5 * t / p);
      e[t][1] = Math.sin(2 * Math.PI * 5 * t / p);
    }
    e[p][2] = 5;

    double[] c = Circularity.components(e, p);

    assertThat(c).containsExactly(new double[] {0, 1, 1}, within(1e-9));
    assertThat(Circularity.of(e, p)).isCloseTo(2.0 / 3, within(1e-9));
  }

  /**
   * v = (cos(2πkt/p) for t &lt; p, x): Σ_t v_t e^{2πikt/p} = p/2 and ‖v‖² = p/2 + x², so c =
   * 2·(p/2)² / ((p/2 + x²)·p) = (p/2)/(p/2 + x²); with x² = p/2 that is 1/2. The entry past p
   * counts in the norm but not in the Fourier sum.
   */
  @Test
  void fourierShareNormalisesByTheWholeVector() {
    int p = 23;
    double[] v = new double[p + 1];
    for (int t = 0; t < p; t++) {
      v[t] = Math.cos(2 * Math.PI * 4 * t / p);
    }
    v[p] = Math.sqrt(p / 2.0);

    assertThat(Circularity.fourierConcentration(v, p)).isCloseTo(0.5, within(1e-12));
    assertThat(Circularity.fourierConcentration(new double[p], p)).isNaN();
  }

  @Test
  void usesOnlyTheNonDegenerateComponents() {
    int p = 17;
    double[][] circleIn2d = new double[p][2];
    for (int t = 0; t < p; t++) {
      circleIn2d[t][0] = Math.cos(2 * Math.PI * 2 * t / p);
      circleIn2d[t][1] = Math.sin(2 * Math.PI * 2 * t / p);
    }

    assertThat(Circularity.components(circleIn2d, p))
        .containsExactly(new double[] {1, 1}, within(1e-9));
    assertThat(Circularity.components(new double[p][6], p)).isEmpty();
    assertThat(Circularity.of(new double[p][6], p)).isNaN();
  }

  @Test
  void acceptsFloat32AndFloat64Arrays() {
    double[][] e = gaussian(23, 8, 8);
    double expected = Circularity.of(e, 23);

    assertThat(Circularity.of(Nd4j.create(e), 23)).isCloseTo(expected, within(1e-12));
    assertThat(Circularity.of(Nd4j.create(e).castTo(DataType.FLOAT), 23))
        .isCloseTo(expected, within(1e-5));
    assertThat(
            Circularity.components(Nd4j.create(twoCircles(23, 8, 3, 7)).castTo(DataType.FLOAT), 23))
        .containsExactly(new double[] {1, 1, 1, 1}, within(1e-6));
  }

  @Test
  void rejectsAnEmbeddingWithFewerRowsThanP() {
    assertThatThrownBy(() -> Circularity.of(new double[10][4], 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute circularity: the embedding must be [vocab, d_model] with vocab ≥ p = 11"
                + " and d_model ≥ 1 (got [10, 4])");
    assertThatThrownBy(() -> Circularity.of(Nd4j.zeros(3, 4, 5), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read embedding: expected a rank-2 array (got shape [3, 4, 5])");
  }
}
