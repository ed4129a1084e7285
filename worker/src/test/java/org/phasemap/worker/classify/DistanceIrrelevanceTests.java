package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class DistanceIrrelevanceTests {

  /** Logits [p², p] with row a·p + b and column c from a function of (a, b, c). */
  interface Logit {
    double of(int a, int b, int c);
  }

  static double[][] table(int p, Logit f) {
    double[][] z = new double[p * p][p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        for (int c = 0; c < p; c++) {
          z[a * p + b][c] = f.of(a, b, c);
        }
      }
    }
    return z;
  }

  /**
   * Ideal pizza Q = |cos(w(a−b)/2)|·cos(w(a+b−c)), w = 2πk/p. For the correct class c ≡ a+b, a+b−c
   * is a multiple m·p and cos(w·m·p) = cos(2πkm) = 1, so the correct logit is |cos(w(a−b)/2)|. With
   * d = (a−b) mod p, a−b is d or d−p, and |cos(w(d−p)/2)| = |cos(wd/2 − πk)| = |cos(wd/2)|: a
   * function of d alone, so every column of M is constant and di_correct = 0. The largest wrong
   * logit is |cos(wd/2)|·max_{j≠0} cos(2πkj/p) = |cos(wd/2)|·cos(2π/p) (k is invertible mod p),
   * also a function of d alone, so di_maxwrong = 0 as well. The overall std is not zero because
   * |cos(wd/2)| varies with d.
   */
  @Test
  void idealPizzaHasZeroDistanceIrrelevance() {
    int p = 23;
    double w = 2 * Math.PI * 3 / p;
    double[][] z =
        table(p, (a, b, c) -> Math.abs(Math.cos(w * (a - b) / 2)) * Math.cos(w * (a + b - c)));

    assertThat(DistanceIrrelevance.correct(z, p)).isCloseTo(0.0, within(1e-9));
    assertThat(DistanceIrrelevance.maxWrong(z, p)).isCloseTo(0.0, within(1e-9));
  }

  /**
   * Ideal clock cos(w(a+b−c)) has correct logit 1 everywhere (degenerate), so seeded i.i.d. noise
   * is added: then no logit depends on d, each column's spread equals the overall spread up to
   * sampling error, and DI ≈ 1 for both variants.
   */
  @Test
  void noisyClockHasDistanceIrrelevanceNearOne() {
    int p = 59;
    double w = 2 * Math.PI * 5 / p;
    SplittableRandom rng = new SplittableRandom(7);
    double[][] z = table(p, (a, b, c) -> Math.cos(w * (a + b - c)) + 0.01 * rng.nextGaussian());

    assertThat(DistanceIrrelevance.correct(z, p)).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
    assertThat(DistanceIrrelevance.maxWrong(z, p)).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
  }

  /**
   * Correct logit = 1 + noise (no d-dependence, DI ≈ 1); among the wrong logits only class s+1 is
   * large, with value cos(2πd/p), a function of d alone: the max-wrong variant sees a pure
   * pizza-like pattern (DI = 0) while the correct-logit variant does not.
   */
  @Test
  void maxWrongFollowsTheLargestIncorrectLogitNotTheCorrectOne() {
    int p = 23;
    SplittableRandom rng = new SplittableRandom(11);
    double[][] z =
        table(
            p,
            (a, b, c) -> {
              int s = (a + b) % p;
              int d = Math.floorMod(a - b, p);
              if (c == s) {
                return 1 + 0.1 * rng.nextGaussian();
              }
              return c == (s + 1) % p ? Math.cos(2 * Math.PI * d / p) : -10;
            });

    assertThat(DistanceIrrelevance.correct(z, p)).isGreaterThan(0.9);
    assertThat(DistanceIrrelevance.maxWrong(z, p)).isCloseTo(0.0, within(1e-12));
  }

  /**
   * p = 3, correct logit M[s, d] = s + 3d: each column is {3d, 3d+1, 3d+2} with std √(2/3); all
   * entries are 0…8 with std √(20/3); DI = √(2/3)/√(20/3) = 1/√10. The wrong logits are all −100, a
   * constant table, so di_maxwrong is undefined (NaN).
   */
  @Test
  void matchesAHandComputedTableAndIsNaNForAConstantOne() {
    int p = 3;
    double[][] z =
        table(
            p,
            (a, b, c) -> {
              int s = (a + b) % p;
              return c == s ? s + 3 * Math.floorMod(a - b, p) : -100;
            });

    assertThat(DistanceIrrelevance.correct(z, p)).isCloseTo(1 / Math.sqrt(10), within(1e-12));
    assertThat(DistanceIrrelevance.maxWrong(z, p)).isNaN();
  }

  @Test
  void tableIsIndexedBySumAndDifference() {
    int p = 5;
    double[][] z = table(p, (a, b, c) -> 100 * a + 10 * b + c);

    double[][] m = DistanceIrrelevance.correctLogitTable(z, p);

    // s = 1, d = 3 comes from (a, b) = (2, 4): 2 + 4 ≡ 1 and 2 − 4 ≡ 3 (mod 5); correct class 1
    assertThat(m[1][3]).isEqualTo(241);
    // largest wrong logit of (2, 4) is class 4 (class 1 is the correct one)
    assertThat(DistanceIrrelevance.maxWrongLogitTable(z, p)[1][3]).isEqualTo(244);
  }

  @Test
  void tableThatDependsOnlyOnTheSumHasDistanceIrrelevanceOne() {
    double[][] m = new double[5][5];
    for (int s = 0; s < 5; s++) {
      for (int d = 0; d < 5; d++) {
        m[s][d] = s * s;
      }
    }
    assertThat(DistanceIrrelevance.ofTable(m)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void constantTableIsUndefined() {
    int p = 7;
    double[][] z = table(p, (a, b, c) -> 0.1);

    assertThat(DistanceIrrelevance.correct(z, p)).isNaN();
    assertThat(DistanceIrrelevance.maxWrong(z, p)).isNaN();
  }

  @Test
  void nonFiniteLogitGivesNaN() {
    int p = 5;
    double[][] z = table(p, (a, b, c) -> a * b + c);
    z[7][(1 + 2) % p] = Double.NaN; // row 7 = (1, 2), its correct class

    assertThat(DistanceIrrelevance.correct(z, p)).isNaN();
  }

  @Test
  void acceptsFloat32AndFloat64Arrays() {
    int p = 11;
    SplittableRandom rng = new SplittableRandom(3);
    double[][] z = table(p, (a, b, c) -> rng.nextGaussian());
    double expected = DistanceIrrelevance.correct(z, p);

    assertThat(DistanceIrrelevance.correct(Nd4j.create(z), p)).isCloseTo(expected, within(1e-15));
    assertThat(DistanceIrrelevance.correct(Nd4j.create(z).castTo(DataType.FLOAT), p))
        .isCloseTo(expected, within(1e-5));
    assertThat(DistanceIrrelevance.maxWrong(Nd4j.create(z).castTo(DataType.FLOAT), p))
        .isCloseTo(DistanceIrrelevance.maxWrong(z, p), within(1e-5));
  }

  @Test
  void rejectsLogitsOfTheWrongShape() {
    assertThatThrownBy(() -> DistanceIrrelevance.correct(new double[25][6], 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute distance irrelevance: logits must have shape [p², p] = [25, 5] (got"
                + " [25, 6])");
    assertThatThrownBy(() -> DistanceIrrelevance.maxWrong(Nd4j.zeros(25), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read logits: expected a rank-2 array (got shape [25])");
  }

  @Test
  void rejectsEvenModulus() {
    assertThatThrownBy(() -> DistanceIrrelevance.correct(new double[16][4], 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute distance irrelevance for p = 4: p must be odd and at least 3, so that"
                + " (a + b, a − b) mod p maps the p² inputs one-to-one onto the table");
  }
}
