package org.phasemap.driver.refine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.phasemap.jobs.maps.BoundaryEstimate;
import org.phasemap.jobs.maps.LabelledPoint;

/**
 * Refinement against a synthetic oracle standing in for training: SCIENCE.md 2.6's boundary α*(d) ≈
 * 0.28 + 0.15·log2(d/32) on the plane x = log2(d/32) / 4 (d log-uniform in [32, 512]), y = α. In
 * these coordinates the boundary is the line y = 0.28 + 0.6 x; a run is a clock above it.
 */
class RefinerTests {

  /** Widths where the boundary is read off: d = 32, 45, 64, ..., 512 (x = 0, 1/8, ..., 1). */
  private static final double[] XS = {0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1};

  static double boundary(double x) {
    return 0.28 + 0.6 * x;
  }

  /**
   * The oracle: clock above the boundary, pizza below; each label flipped with probability noise.
   */
  static String label(double x, double y, double noise, SplittableRandom random) {
    boolean clock = y > boundary(x);
    if (noise > 0 && random.nextDouble() < noise) {
      clock = !clock;
    }
    return clock ? "clock" : "pizza";
  }

  static List<RefinePoint> grid(int side, double noise, SplittableRandom random) {
    List<RefinePoint> points = new ArrayList<>();
    for (int i = 0; i < side; i++) {
      for (int j = 0; j < side; j++) {
        double x = (double) i / (side - 1);
        double y = (double) j / (side - 1);
        points.add(new RefinePoint(new double[] {x, y}, label(x, y, noise, random)));
      }
    }
    return points;
  }

  /** A coarse grid, then rounds of refinement, each round labelled by the oracle. */
  static List<RefinePoint> refine(
      int initialSide, RefineSettings settings, double noise, long oracleSeed) {
    SplittableRandom random = new SplittableRandom(oracleSeed);
    List<RefinePoint> points = grid(initialSide, noise, random);
    int left = settings.budget();
    for (int round = 0; round < settings.rounds() && left > 0; round++) {
      List<double[]> next = Refiner.propose(points, settings, Math.min(left, settings.perRound()));
      for (double[] p : next) {
        points.add(new RefinePoint(p, label(p[0], p[1], noise, random)));
      }
      left -= next.size();
    }
    return points;
  }

  static double meanAbsoluteError(List<RefinePoint> points) {
    double sum = 0;
    for (double x : XS) {
      sum +=
          Math.abs(
              BoundaryEstimate.alongY(asMapPoints(points), 0, 1, "clock", x).position()
                  - boundary(x));
    }
    return sum / XS.length;
  }

  static double meanInterval(List<RefinePoint> points) {
    double sum = 0;
    for (double x : XS) {
      BoundaryEstimate e = BoundaryEstimate.alongY(asMapPoints(points), 0, 1, "clock", x);
      sum += e.high() - e.low();
    }
    return sum / XS.length;
  }

  private static RefineSettings settings(int budget, int rounds, long seed) {
    return new RefineSettings(
        budget,
        rounds,
        "final_label",
        List.of("d_model", "attention_rate"),
        new double[] {0.002, 0.002},
        seed);
  }

  @Test
  void refinementLocatesTheBoundaryFourTimesMorePreciselyThanAGridOfTheSameSize() {
    // 400 runs either way: a 20 x 20 grid, or a 10 x 10 grid and 300 refined runs in 6 rounds
    List<RefinePoint> grid = grid(20, 0, new SplittableRandom(0));
    List<RefinePoint> refined = refine(10, settings(300, 6, 7), 0, 0);
    assertThat(refined).hasSize(grid.size());

    double gridError = meanAbsoluteError(grid);
    double refinedError = meanAbsoluteError(refined);
    double gridInterval = meanInterval(grid);
    double refinedInterval = meanInterval(refined);
    System.out.printf(
        "refine vs grid, 400 runs: MAE %.5f vs %.5f (ratio %.1f); interval %.5f vs %.5f (ratio %.1f)%n",
        refinedError,
        gridError,
        gridError / refinedError,
        refinedInterval,
        gridInterval,
        gridInterval / refinedInterval);

    assertThat(gridError / refinedError).isGreaterThanOrEqualTo(4);
    assertThat(gridInterval / refinedInterval).isGreaterThanOrEqualTo(4);
  }

  @Test
  void refinementStillHelpsWithLabelNoise() {
    double gridError = 0;
    double refinedError = 0;
    for (long seed = 0; seed < 3; seed++) {
      gridError += meanAbsoluteError(grid(20, 0.05, new SplittableRandom(seed)));
      refinedError += meanAbsoluteError(refine(10, settings(300, 6, seed), 0.05, seed));
    }
    System.out.printf(
        "refine vs grid, 5%% label noise: MAE %.5f vs %.5f (ratio %.1f)%n",
        refinedError / 3, gridError / 3, gridError / refinedError);
    assertThat(gridError / refinedError).isGreaterThanOrEqualTo(1.5);
  }

  @Test
  void isDeterministicForASeed() {
    List<RefinePoint> a = refine(8, settings(60, 3, 11), 0, 0);
    List<RefinePoint> b = refine(8, settings(60, 3, 11), 0, 0);
    List<RefinePoint> c = refine(8, settings(60, 3, 12), 0, 0);

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void proposesMidpointsOfDiscordantNeighboursAndKeepsTheMinSpacing() {
    List<RefinePoint> points = grid(6, 0, new SplittableRandom(0));
    RefineSettings s = settings(8, 1, 1);
    List<double[]> next = Refiner.propose(points, s);

    assertThat(next).hasSize(8);
    for (double[] p : next) {
      // every proposal is a midpoint of two grid points (coordinates on the half-grid)
      assertThat(p[0] * 10).isCloseTo(Math.rint(p[0] * 10), within(1e-9));
      assertThat(p[1] * 10).isCloseTo(Math.rint(p[1] * 10), within(1e-9));
      // and near the boundary: within one grid cell of it
      assertThat(Math.abs(p[1] - boundary(p[0]))).isLessThan(0.2 + 0.6 * 0.2);
    }
    RefineSettings coarse =
        new RefineSettings(20, 1, "final_label", List.of("x", "y"), new double[] {0.2, 0.2}, 1);
    // grid spacing 0.2: no midpoint is 0.2 from its neighbours on every axis, so all explore or
    // stop
    for (double[] p : Refiner.propose(points, coarse)) {
      for (RefinePoint q : points) {
        assertThat(
                Math.abs(p[0] - q.coordinate(0)) >= 0.2 || Math.abs(p[1] - q.coordinate(1)) >= 0.2)
            .isTrue();
      }
    }
  }

  @Test
  void estimatesACrossingInOneDimensionWithItsBracket() {
    List<RefinePoint> points = new ArrayList<>();
    for (double t : new double[] {0.1, 0.2, 0.3, 0.45, 0.5, 0.7, 0.9}) {
      points.add(new RefinePoint(new double[] {t}, t > 0.4 ? "clock" : "pizza"));
    }
    points.add(new RefinePoint(new double[] {0.8}, "pizza")); // one noisy run

    BoundaryEstimate e = BoundaryEstimate.along(asMapPoints(points), 0, "clock");
    assertThat(e.low()).isEqualTo(0.3);
    assertThat(e.high()).isEqualTo(0.45);
    assertThat(e.position()).isCloseTo(0.375, within(1e-12));
    assertThat(e.errors()).isEqualTo(1);
    assertThat(e.uncertainty()).isCloseTo(0.075, within(1e-12));
  }

  @Test
  void rejectsPointsOfTheWrongDimensionAndBoundariesWithOneClass() {
    List<RefinePoint> points = List.of(new RefinePoint(new double[] {0.5}, "clock"));
    assertThatThrownBy(() -> Refiner.propose(points, settings(4, 1, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot propose points: a point has 1 coordinates and the settings refine 2 axes"
                + " [d_model, attention_rate]");
    assertThatThrownBy(() -> BoundaryEstimate.along(asMapPoints(points), 0, "clock"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot estimate a boundary: the 1 runs are all inside the class");
  }

  /** The same runs as the maps see them, to read the boundary the refinement found. */
  private static List<LabelledPoint> asMapPoints(List<RefinePoint> points) {
    return points.stream().map(p -> new LabelledPoint(p.coordinates(), p.label())).toList();
  }
}
