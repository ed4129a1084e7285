package org.phasemap.worker.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GiniTests {

  @Test
  void equalValuesAreNotConcentrated() {
    assertThat(Gini.of(new double[] {1, 1, 1, 1})).isCloseTo(0, within(1e-15));
  }

  @Test
  void oneNonZeroValueGivesTheMaximum() {
    assertThat(Gini.of(new double[] {0, 0, 0, 1})).isCloseTo(0.75, within(1e-15));
  }

  @Test
  void matchesAHandComputedValue() {
    // 2·(1·1 + 2·2 + 3·3 + 4·4) / (4·10) − 5/4 = 60/40 − 1.25
    assertThat(Gini.of(new double[] {1, 2, 3, 4})).isCloseTo(0.25, within(1e-15));
  }

  @Test
  void ignoresOrder() {
    assertThat(Gini.of(new double[] {4, 1, 3, 2})).isCloseTo(0.25, within(1e-15));
  }

  @Test
  void equalsTheMeanAbsoluteDifferenceForm() {
    double[] x = new SplittableRandom(5).doubles(37, 0, 3).toArray();
    assertThat(Gini.of(x)).isCloseTo(pairwise(x), within(1e-12));
  }

  @Test
  void allZeroInputReturnsZero() {
    assertThat(Gini.of(new double[] {0, 0, 0})).isEqualTo(0.0);
  }

  @Test
  void leavesItsInputUnsorted() {
    double[] x = {3, 1, 2};
    Gini.of(x);
    assertThat(x).containsExactly(3, 1, 2);
  }

  @Test
  void rejectsNegativeValues() {
    assertThatThrownBy(() -> Gini.of(new double[] {1, 2, -0.5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute a Gini coefficient: values must be finite and non-negative (got -0.5 at index 2)");
  }

  @Test
  void rejectsNaN() {
    assertThatThrownBy(() -> Gini.of(new double[] {Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute a Gini coefficient: values must be finite and non-negative (got NaN at index 0)");
  }

  @Test
  void rejectsEmptyInput() {
    assertThatThrownBy(() -> Gini.of(new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute a Gini coefficient: no values (got length 0)");
  }

  /** Σ_i Σ_j |x_i − x_j| / (2 n Σ x): the second form of SCIENCE.md 1.4.5. */
  static double pairwise(double[] x) {
    double diff = 0;
    double sum = 0;
    for (double a : x) {
      sum += a;
      for (double b : x) {
        diff += Math.abs(a - b);
      }
    }
    return diff / (2 * x.length * sum);
  }
}
