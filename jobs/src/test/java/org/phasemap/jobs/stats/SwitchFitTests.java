package org.phasemap.jobs.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Logistic fits and switch points recovered from planted probabilities. */
class SwitchFitTests {
  /** Runs at uniform α whose outcome is drawn with P = σ(sharpness (α − α*)). */
  static boolean[] planted(double[] alpha, double[] t, double a0, double a1, double sharpness) {
    SplittableRandom random = new SplittableRandom(42);
    boolean[] y = new boolean[alpha.length];
    for (int i = 0; i < alpha.length; i++) {
      double star = a0 + (t == null ? 0 : a1 * t[i]);
      y[i] = random.nextDouble() < Logistic.sigmoid(sharpness * (alpha[i] - star));
    }
    return y;
  }

  static double[] uniform(int n, long seed, double lo, double hi) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * random.nextDouble();
    }
    return v;
  }

  @Test
  void logisticRecoversPlantedCoefficients() {
    double[] alpha = uniform(20_000, 1, 0, 1);
    boolean[] y = planted(alpha, null, 0.55, 0, 12);
    double[][] x = new double[alpha.length][];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {alpha[i]};
    }
    double[] b = Logistic.fit(x, y);
    // σ(12 (α − 0.55)) = σ(−6.6 + 12 α)
    assertThat(b[1]).isCloseTo(12, within(0.6));
    assertThat(b[0]).isCloseTo(-6.6, within(0.35));
  }

  @Test
  void oneDimensionalSwitchAndAnIntervalThatHoldsIt() {
    double[] alpha = uniform(160, 2, 0, 1);
    boolean[] y = planted(alpha, null, 0.55, 0, 15);
    SwitchFit f = SwitchFit.fit(alpha, null, y, null, 1000, 1);
    assertThat(f.runs()).isEqualTo(160);
    assertThat(f.intercept().value()).isCloseTo(0.55, within(0.06));
    assertThat(f.intercept().low()).isLessThan(0.55).isGreaterThan(0.35);
    assertThat(f.intercept().high()).isGreaterThan(0.55).isLessThan(0.75);
    assertThat(f.slope()).isNull();
    assertThat(f.at()).isEmpty();
    // same runs, same seed: the same interval
    SwitchFit again = SwitchFit.fit(alpha, null, y, null, 1000, 1);
    assertThat(again.intercept()).isEqualTo(f.intercept());
  }

  @Test
  void moreRunsGiveANarrowerInterval() {
    double[] few = uniform(60, 3, 0, 1);
    double[] many = uniform(2000, 4, 0, 1);
    SwitchFit a = SwitchFit.fit(few, null, planted(few, null, 0.5, 0, 10), null, 500, 1);
    SwitchFit b = SwitchFit.fit(many, null, planted(many, null, 0.5, 0, 10), null, 500, 1);
    double wa = a.intercept().high() - a.intercept().low();
    double wb = b.intercept().high() - b.intercept().low();
    assertThat(wb).isLessThan(wa / 3);
  }

  @Test
  void separatedClassesPlaceTheSwitchInTheGapAndSaySo() {
    double[] alpha = {0.05, 0.1, 0.2, 0.3, 0.4, 0.7, 0.8, 0.9, 0.95, 1.0};
    boolean[] y = {false, false, false, false, false, true, true, true, true, true};
    SwitchFit f = SwitchFit.fit(alpha, null, y, null, 500, 1);
    assertThat(f.separated()).isTrue();
    assertThat(f.intercept()).isEqualTo(new SwitchFit.Estimate(0.55, 0.4, 0.7));
    // the class below the switch works the same way
    boolean[] down = {true, true, true, true, true, false, false, false, false, false};
    assertThat(SwitchFit.fit(alpha, null, down, null, 500, 1).intercept())
        .isEqualTo(new SwitchFit.Estimate(0.55, 0.4, 0.7));
    // one run on the wrong side: overlapping classes, a bootstrap interval
    boolean[] noisy = y.clone();
    noisy[1] = true;
    SwitchFit g = SwitchFit.fit(alpha, null, noisy, null, 500, 1);
    assertThat(g.separated()).isFalse();
    assertThat(g.resamples() + g.degenerate()).isEqualTo(500);
    assertThat(g.intercept().low()).isLessThan(g.intercept().value());
  }

  @Test
  void theWidthLineOfThePaperIsRecovered() {
    int n = 3000;
    double[] alpha = uniform(n, 5, 0, 1);
    double[] t = uniform(n, 6, 0, 4); // log2(d / 32) for d in 32..512
    boolean[] y = planted(alpha, t, 0.28, 0.15, 20);
    double[] queries = {0, 1, 2, 3, 4};
    SwitchFit f = SwitchFit.fit(alpha, t, y, queries, 300, 1);
    assertThat(f.intercept().value()).isCloseTo(0.28, within(0.03));
    assertThat(f.slope().value()).isCloseTo(0.15, within(0.015));
    assertThat(f.at()).hasSize(5);
    assertThat(f.at().get(2).value()).isCloseTo(0.58, within(0.03));
    assertThat(f.at().get(4).low()).isLessThan(0.88);
    assertThat(f.at().get(4).high()).isGreaterThan(0.88);
  }

  @Test
  void oneOutcomeOnlyHasNoSwitch() {
    double[] alpha = {0.1, 0.5, 0.9};
    assertThatThrownBy(
            () -> SwitchFit.fit(alpha, null, new boolean[] {true, true, true}, null, 200, 1))
        .hasMessageContaining("all 3 runs have the property");
    assertThatThrownBy(() -> SwitchFit.fit(alpha, null, new boolean[] {true}, null, 200, 1))
        .hasMessageContaining("one outcome and one coordinate per run");
  }
}
