package org.phasemap.jobs.curves;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.phasemap.jobs.Synthetic;

/** The phase rule on synthetic curves, including the degenerate ones. */
class PhasesTests {
  @Test
  void grokkingRunHasThreeBoundaries() {
    // train acc 1 at 1000, Σw² falls steeply from 4000, test acc 1 at 6000
    Phases p = Phases.of(Synthetic.grokking(8000, 1000, 4000, 6000, "clock"));
    assertThat(p.memorisationEnd()).hasValue(1000);
    assertThat(p.cleanupStart()).hasValue(4000);
    assertThat(p.generalisedAt()).hasValue(6000);
    assertThat(p.firstStep()).isZero();
    assertThat(p.lastStep()).isEqualTo(8000);
    assertThat(p.at(0)).isEqualTo(Phases.Phase.MEMORISATION);
    assertThat(p.at(999)).isEqualTo(Phases.Phase.MEMORISATION);
    assertThat(p.at(1000)).isEqualTo(Phases.Phase.CIRCUIT_FORMATION);
    assertThat(p.at(4000)).isEqualTo(Phases.Phase.CLEANUP);
    assertThat(p.at(6000)).isEqualTo(Phases.Phase.GENERALISED);
    assertThat(p.describe())
        .isEqualTo(
            "memorisation ends at step 1000 · clean-up starts at step 4000 · generalised at step 6000");
  }

  @Test
  void orderOfThePointsDoesNotMatter() {
    List<StepPoint> points = new ArrayList<>(Synthetic.grokking(8000, 1000, 4000, 6000, "clock"));
    Collections.reverse(points);
    assertThat(Phases.of(points))
        .isEqualTo(Phases.of(Synthetic.grokking(8000, 1000, 4000, 6000, "clock")));
  }

  @Test
  void cleanupStartsWhereTheLargestFallOfSumOfSquaresStarts() {
    // after memorisation (step 100) Σw² drops back from an overshoot, steeply (15 % in 100 steps)
    // but briefly, levels off, then falls 8-10 % per 100 steps for 400 steps: the larger stretch
    double[] w = {100, 120, 102, 101.9, 101.8, 93.7, 84.3, 76.7, 69.8, 69.7, 69.6};
    List<StepPoint> points = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      points.add(
          StepPoint.logged(i * 100, 0.01, i >= 1 ? 1.0 : 0.5, 2.0, i >= 10 ? 1.0 : 0.1, w[i]));
    }
    Phases p = Phases.of(points);
    assertThat(p.memorisationEnd()).hasValue(100);
    // rates per 100 steps: 16 % (100-200), 0.1 %, 0.1 %, 8 %, 10.5 %, 9.4 %, 9.4 %, 0.1 %, 0.1 %;
    // stretches at ≥ 1.6 %: 100-200 (fall 0.16) and 400-800 (fall 0.38): clean-up at 400
    assertThat(p.cleanupStart()).hasValue(400);
    assertThat(p.generalisedAt()).hasValue(1000);
  }

  @Test
  void cleanupStartsAtThePeakOfTheExcludedLossWhereTheRunHasIt() {
    // Σw² falls most from step 100 on, but the excluded loss (checkpoints every 200 steps) peaks at
    // 800 and falls after: the memorised part is being removed from 800
    double[] w = {100, 120, 100, 90, 80, 75, 74, 73, 72, 71, 70};
    double[] excluded = {1, 2, 4, 6, 9, 8, 5};
    List<StepPoint> points = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      double e = i % 2 == 0 && i / 2 < excluded.length ? excluded[i / 2] : Double.NaN;
      points.add(
          new StepPoint(
              i * 100,
              0.01,
              i >= 1 ? 1.0 : 0.5,
              2.0,
              i >= 10 ? 1.0 : 0.1,
              w[i],
              Double.NaN,
              e,
              Double.NaN,
              Double.NaN,
              null));
    }
    Phases p = Phases.of(points);
    assertThat(p.memorisationEnd()).hasValue(100);
    assertThat(p.cleanupStart()).hasValue(800);
    assertThat(p.generalisedAt()).hasValue(1000);

    // an excluded loss still rising at generalisation says nothing: back to the Σw² rule
    List<StepPoint> rising = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      rising.add(
          new StepPoint(
              i * 100,
              0.01,
              i >= 1 ? 1.0 : 0.5,
              2.0,
              i >= 10 ? 1.0 : 0.1,
              w[i],
              Double.NaN,
              i % 2 == 0 ? i : Double.NaN,
              Double.NaN,
              Double.NaN,
              null));
    }
    assertThat(Phases.of(rising).cleanupStart()).hasValue(100);
  }

  @Test
  void withoutAFallInSumOfSquaresCleanupStartsAtHalfTestAccuracy() {
    List<StepPoint> points = new ArrayList<>();
    double[] test = {0.0, 0.1, 0.3, 0.6, 0.9, 0.995};
    for (int i = 0; i < test.length; i++) {
      points.add(StepPoint.logged(i * 50, 0.001, 1.0, 1.0, test[i], 100 + i));
    }
    Phases p = Phases.of(points);
    assertThat(p.memorisationEnd()).hasValue(0);
    assertThat(p.cleanupStart()).hasValue(150);
    assertThat(p.generalisedAt()).hasValue(250);
  }

  @Test
  void neverGeneralisingRunHasOnlyTheEndOfMemorisation() {
    List<StepPoint> points = new ArrayList<>();
    for (int s = 0; s <= 2000; s += 100) {
      points.add(StepPoint.logged(s, 0.001, s >= 300 ? 1.0 : 0.5, 5.0, 0.3, 400 - s / 10.0));
    }
    Phases p = Phases.of(points);
    assertThat(p.memorisationEnd()).hasValue(300);
    assertThat(p.cleanupStart()).isEmpty();
    assertThat(p.generalisedAt()).isEmpty();
    assertThat(p.at(2000)).isEqualTo(Phases.Phase.CIRCUIT_FORMATION);
    assertThat(p.describe())
        .isEqualTo("memorisation ends at step 300 · clean-up starts never · generalised never");
  }

  @Test
  void neverMemorisingRunHasNoBoundary() {
    List<StepPoint> points =
        List.of(
            StepPoint.logged(0, 4.0, 0.1, 4.0, 0.0, 10),
            StepPoint.logged(100, 3.0, 0.5, 4.0, 0.9999, 9));
    Phases p = Phases.of(points);
    assertThat(p)
        .isEqualTo(
            new Phases(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), 0, 100));
    assertThat(p.at(100)).isEqualTo(Phases.Phase.MEMORISATION);
  }

  @Test
  void generalisingWhileMemorisingPutsAllBoundariesOnOneStep() {
    List<StepPoint> points =
        List.of(
            StepPoint.logged(0, 4.0, 0.1, 4.0, 0.0, 10),
            StepPoint.logged(100, 0.5, 0.8, 0.6, 0.8, 9),
            StepPoint.logged(200, 0.001, 1.0, 0.002, 1.0, 8),
            StepPoint.logged(300, 0.001, 1.0, 0.002, 1.0, 7));
    Phases p = Phases.of(points);
    assertThat(p.memorisationEnd()).hasValue(200);
    assertThat(p.cleanupStart()).hasValue(200);
    assertThat(p.generalisedAt()).hasValue(200);
    assertThat(p.at(200)).isEqualTo(Phases.Phase.GENERALISED);
  }

  @Test
  void trainLossStandsInForAMissingTrainAccuracy() {
    List<StepPoint> points =
        List.of(
            StepPoint.logged(0, 4.0, Double.NaN, 4.0, 0.0, 10),
            StepPoint.logged(100, 0.02, Double.NaN, 4.0, 0.0, 10),
            StepPoint.logged(200, 0.009, Double.NaN, 4.0, 0.0, 10));
    assertThat(Phases.of(points).memorisationEnd()).hasValue(200);
  }

  @Test
  void noPointsIsAnError() {
    assertThatThrownBy(() -> Phases.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot place phases: the run has no logged steps (got 0 points)");
  }
}
