package org.phasemap.worker.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class LlcEstimatorTests {
  private static final int D = 5;

  /**
   * nβ = n/ln n ≈ 263 and H ≈ I/σ² give a posterior precision a ≈ 264; γ = 1 keeps the localisation
   * bias at 1 − 263/264, ε = 3e-4 keeps the SGLD discretisation bias (1 − εa/4)⁻¹ near 2 % and the
   * relaxation time near 25 steps.
   */
  private static LlcSettings regressionSettings() {
    return LlcSettings.defaults()
        .withEpsilon(3e-4)
        .withGamma(1)
        .withNumChains(4)
        .withNumDraws(2000)
        .withNumBurnin(200);
  }

  @Test
  void linearRegressionHasLearningCoefficientHalfItsParameterCount() {
    LinearRegression model = LinearRegression.sample(2000, D, 1.0, 7);

    LlcResult r = new LlcEstimator(regressionSettings()).estimate(model);

    System.out.printf(
        "linear regression d=%d: llc mean %.4f std %.4f per chain %s (expected %.1f)%n",
        D, r.mean(), r.std(), Arrays.toString(r.perChain()), D / 2.0);
    assertThat(r.nBeta()).isEqualTo(2000 / Math.log(2000));
    assertThat(r.trainingSize()).isEqualTo(2000);
    assertThat(r.batchSize()).isEqualTo(2000);
    assertThat(r.finite()).isTrue();
    assertThat(Math.abs(r.mean() - D / 2.0)).isLessThanOrEqualTo(0.1 * D / 2.0);
    assertThat(r.trace()).hasDimensions(4, 2000);
    // the per-chain estimate is the mean of its trace
    double traceMean = Arrays.stream(r.trace()[0]).average().orElseThrow();
    assertThat(r.perChain()[0]).isCloseTo(traceMean, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void sameSeedGivesIdenticalEstimatesAndAnotherSeedDiffers() {
    LinearRegression model = LinearRegression.sample(500, 3, 1.0, 1);
    LlcSettings s = regressionSettings().withNumDraws(100).withNumBurnin(100).withBatchSize(100);

    LlcResult a = new LlcEstimator(s).estimate(model);
    LlcResult b = new LlcEstimator(s).estimate(model);
    LlcResult c = new LlcEstimator(s.withSeed(1)).estimate(model);

    assertThat(Double.doubleToLongBits(b.mean())).isEqualTo(Double.doubleToLongBits(a.mean()));
    assertThat(b.trace()).isDeepEqualTo(a.trace());
    assertThat(c.mean()).isNotEqualTo(a.mean());
  }

  @Test
  void theParametersAreRestoredExactlyEvenAfterDivergence() {
    LinearRegression model = LinearRegression.sample(300, 3, 1.0, 2);
    INDArray before = model.parameters().get("w").dup();

    new LlcEstimator(regressionSettings().withNumDraws(50).withBatchSize(64)).estimate(model);
    assertThat(model.parameters().get("w")).isEqualTo(before);

    // ε so large that SGLD diverges: the chains stop, report NaN, and the model is still intact
    LlcResult diverged =
        new LlcEstimator(regressionSettings().withEpsilon(1).withNumDraws(400).withNumChains(2))
            .estimate(model);
    assertThat(diverged.finite()).isFalse();
    assertThat(diverged.warnings()).anyMatch(w -> w.contains("diverged"));
    assertThat(model.parameters().get("w")).isEqualTo(before);
  }

  @Test
  void initialLossAveragesTheFirstBatchesAndNBetaFollowsItsRule() {
    LinearRegression model = LinearRegression.sample(1000, 2, 1.0, 3);
    LlcSettings s = regressionSettings().withNumDraws(10).withNumBurnin(10).withBatchSize(256);

    LlcResult r = new LlcEstimator(s.withNBetaRule(NBetaRule.BATCH_SIZE)).estimate(model);
    int[][] batches = LlcEstimator.partition(1000, 256, new SplittableRandom(s.seed()).split());
    double l0 = 0;
    for (int b = 0; b < 4; b++) {
      l0 += model.loss(batches[b]);
    }
    assertThat(r.l0()).isEqualTo(l0 / 4);
    assertThat(r.batchSize()).isEqualTo(256);
    assertThat(r.nBeta()).isEqualTo(256 / Math.log(256));
    assertThat(r.settings().nBetaRule()).isEqualTo(NBetaRule.BATCH_SIZE);
    assertThat(r.warnings()).isEmpty();
    assertThat(new LlcEstimator(s.withNBeta(5)).estimate(model).nBeta()).isEqualTo(5);
    assertThat(new LlcEstimator(s.withNumBurnin(0)).estimate(model).warnings())
        .containsExactly(
            "burn-in (0) is shorter than the number of draws (10): estimates will likely be"
                + " underestimates");
  }

  @Test
  void partitionCoversEveryIndexOnceWithTheRemainderLast() {
    int[][] batches = LlcEstimator.partition(10, 4, new SplittableRandom(1));
    assertThat(batches).hasNumberOfRows(3);
    assertThat(batches[2]).hasSize(2);
    Set<Integer> seen = new HashSet<>();
    for (int[] b : batches) {
      for (int i : b) {
        assertThat(seen.add(i)).isTrue();
      }
    }
    assertThat(seen).hasSize(10);
    assertThat(LlcEstimator.partition(5, 0, new SplittableRandom(1))[0])
        .containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void rejectsABatchLargerThanTheTrainingSet() {
    LinearRegression model = LinearRegression.sample(50, 2, 1.0, 3);
    assertThatThrownBy(
            () -> new LlcEstimator(LlcSettings.defaults().withBatchSize(64)).estimate(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot estimate LLC: batchSize must be at most the training-set size 50 (got 64); use"
                + " 0 for full batch");
  }

  @Test
  void sampleStdUsesTheChainsMinusOneDivisor() {
    assertThat(LlcEstimator.sampleStd(new double[] {1, 3})).isEqualTo(Math.sqrt(2));
    assertThat(LlcEstimator.sampleStd(new double[] {1})).isNaN();
  }
}
