package org.phasemap.worker.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlcCalibrationTests {

  @Test
  void gridRunsNBetaOuterAndEpsilonInnerWithEverythingElseFromTheBase() {
    LlcSettings base = LlcSettings.defaults().withGamma(7).withNumChains(3).withSeed(11);

    List<LlcSettings> grid =
        LlcCalibration.grid(base, new double[] {1e-4, 1e-5}, new double[] {50, 5});

    assertThat(grid).extracting(LlcSettings::epsilon).containsExactly(1e-4, 1e-5, 1e-4, 1e-5);
    assertThat(grid).extracting(LlcSettings::nBeta).containsExactly(50.0, 50.0, 5.0, 5.0);
    assertThat(grid)
        .allSatisfy(
            s -> {
              assertThat(s.nBetaRule()).isEqualTo(NBetaRule.FIXED);
              assertThat(s.withEpsilon(base.epsilon()).withNBetaRule(base.nBetaRule()))
                  .isEqualTo(base);
            });
  }

  @Test
  void everyCellIsEstimatedAndADivergedOneIsAResultNotAnError() {
    LinearRegression model = LinearRegression.sample(400, 3, 1.0, 4);
    double nBeta = 400 / Math.log(400);
    LlcSettings base =
        LlcSettings.defaults().withGamma(1).withNumChains(2).withNumDraws(200).withNumBurnin(100);
    List<String> events = new ArrayList<>();

    List<LlcCalibration.Cell> cells =
        LlcCalibration.run(
            model,
            LlcCalibration.grid(base, new double[] {1e-3, 1.0}, new double[] {nBeta}),
            new LlcCalibration.Listener() {
              @Override
              public void started(int index, int total, LlcSettings s) {
                events.add("start " + index + "/" + total);
              }

              @Override
              public void finished(int index, int total, LlcCalibration.Cell c) {
                events.add("done " + index + "/" + total);
              }
            });

    assertThat(events).containsExactly("start 0/2", "done 0/2", "start 1/2", "done 1/2");
    assertThat(cells).hasSize(2);
    LlcCalibration.Cell fine = cells.get(0);
    assertThat(fine.diverged()).isFalse();
    assertThat(fine.epsilon()).isEqualTo(1e-3);
    assertThat(fine.nBeta()).isEqualTo(nBeta);
    assertThat(fine.result().mean()).isBetween(1.0, 2.5); // λ = 3/2, loosely: few draws
    assertThat(fine.seconds()).isPositive();
    LlcCalibration.Cell blownUp = cells.get(1);
    assertThat(blownUp.diverged()).isTrue();
    assertThat(blownUp.result().mean()).isNaN();
    // the same seed in every cell: a cell is reproduced exactly by its own settings
    LlcResult again = new LlcEstimator(fine.settings()).estimate(model);
    assertThat(again.mean()).isEqualTo(fine.result().mean());
  }

  @Test
  void meanTraceAveragesTheChainsStillFinite() {
    double[][] trace = {{1, 2, Double.NaN}, {3, 4, Double.NaN}, {5, Double.NaN, Double.NaN}};
    LlcResult r =
        new LlcResult(
            1, 0, new double[] {1, 2, 3}, trace, 0, 1, 10, 10, LlcSettings.defaults(), List.of());

    assertThat(LlcCalibration.meanTrace(r)).containsExactly(3.0, 3.0, Double.NaN);
  }

  @Test
  void rejectsEmptyOrRepeatedValues() {
    LlcSettings base = LlcSettings.defaults();
    assertThatThrownBy(() -> LlcCalibration.grid(base, new double[0], new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot calibrate LLC: give at least one epsilon value (got none)");
    assertThatThrownBy(() -> LlcCalibration.grid(base, new double[] {1e-4}, new double[] {5, 2, 5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot calibrate LLC: nbeta values must be distinct (got 5.0 twice in [5.0, 2.0, 5.0])");
    assertThatThrownBy(() -> LlcCalibration.grid(base, new double[] {2}, new double[] {5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use LLC setting epsilon: must be finite and in (0, 1] (got 2.0)");
  }
}
