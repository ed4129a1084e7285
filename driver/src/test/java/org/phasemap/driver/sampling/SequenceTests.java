package org.phasemap.driver.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SequenceTests {

  private static double[][] points(PointSequence s, int n, int d, long seed) {
    PointSequence.UnitPoints p = s.points(d, seed);
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = p.point(i);
    }
    return x;
  }

  @Test
  void unscrambledSobolStartsWithThePublishedPoints() {
    // The first points of the Sobol sequence in Gray-code order (as scipy.stats.qmc.Sobol with
    // scramble=False prints them) in dimensions 1 and 2.
    double[][] expected = {
      {0, 0},
      {0.5, 0.5},
      {0.75, 0.25},
      {0.25, 0.75},
      {0.375, 0.375},
      {0.875, 0.875},
      {0.625, 0.125},
      {0.125, 0.625}
    };
    Sobol sobol = Sobol.unscrambled(2);
    for (int i = 0; i < expected.length; i++) {
      assertThat(sobol.point(i)).containsExactly(expected[i], within(1e-12));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 12345})
  void everyPairOfSobolDimensionsIsStratified(long seed) {
    // The first 2^k points of a (digitally shifted) Sobol sequence put exactly one point into
    // each of the 2^k cells of a 1-D dyadic partition, for every dimension: a check of the
    // direction numbers that does not depend on transcribing published values.
    int n = 1024;
    double[][] x = points(PointSequence.SOBOL, n, Sobol.MAX_DIMENSIONS, seed);
    for (int j = 0; j < Sobol.MAX_DIMENSIONS; j++) {
      int[] cells = new int[n];
      for (double[] p : x) {
        cells[(int) (p[j] * n)]++;
      }
      assertThat(cells).as("dimension %d", j).containsOnly(1);
    }
    // dimensions 1 and 2 form a (0, m, 2)-net: every 32 x 32 cell holds one point
    int[][] grid = new int[32][32];
    for (double[] p : x) {
      grid[(int) (p[0] * 32)][(int) (p[1] * 32)]++;
    }
    for (int[] row : grid) {
      assertThat(row).containsOnly(1);
    }
  }

  @Test
  void haltonIsTheRadicalInverse() {
    assertThat(Halton.radicalInverse(1, 2)).isEqualTo(0.5);
    assertThat(Halton.radicalInverse(6, 2)).isEqualTo(0.375); // 110 -> 0.011
    assertThat(Halton.radicalInverse(5, 3)).isEqualTo(2.0 / 3 + 1.0 / 9, within(1e-15));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SOBOL", "HALTON", "UNIFORM"})
  void pointsAreInTheCubeAndAFunctionOfTheSeed(PointSequence s) {
    double[][] a = points(s, 200, 3, 42);
    assertThat(points(s, 200, 3, 42)).isDeepEqualTo(a);
    assertThat(points(s, 200, 3, 43)[5]).isNotEqualTo(a[5]);
    for (double[] p : a) {
      for (double v : p) {
        assertThat(v).isBetween(0.0, Math.nextDown(1.0));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 99})
  void lowDiscrepancySequencesCoverThePlaneMoreEvenlyThanRandomPoints(long seed) {
    double sobol = Discrepancy.l2Star(points(PointSequence.SOBOL, 256, 2, seed));
    double halton = Discrepancy.l2Star(points(PointSequence.HALTON, 256, 2, seed));
    double uniform = Discrepancy.l2Star(points(PointSequence.UNIFORM, 256, 2, seed));

    assertThat(sobol).isLessThan(uniform / 2);
    assertThat(halton).isLessThan(uniform / 2);
  }

  @Test
  void discrepancyOfRandomPointsMatchesItsExpectation() {
    // E[T^2] = (2^-d - 3^-d) / N for independent uniform points: check the formula's scale
    double mean = 0;
    for (long seed = 0; seed < 20; seed++) {
      double t = Discrepancy.l2Star(points(PointSequence.UNIFORM, 256, 2, seed));
      mean += t * t / 20;
    }
    assertThat(mean).isCloseTo((0.25 - 1.0 / 9) / 256, within(0.4 * (0.25 - 1.0 / 9) / 256));
  }

  @Test
  void rejectsTooManyDimensions() {
    assertThatThrownBy(() -> PointSequence.SOBOL.points(14, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot draw sobol points: dimensions must be in [1, 13] (got 14)");
  }
}
