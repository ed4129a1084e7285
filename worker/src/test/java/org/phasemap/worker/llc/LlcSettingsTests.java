package org.phasemap.worker.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LlcSettingsTests {

  @Test
  void defaultsAreTheDocumentedStartingPoint() {
    LlcSettings s = LlcSettings.defaults();
    assertThat(s.epsilon()).isEqualTo(1e-4);
    assertThat(s.gamma()).isEqualTo(100);
    assertThat(s.nBetaRule()).isEqualTo(NBetaRule.DATASET_SIZE);
    assertThat(s.numChains()).isEqualTo(4);
    assertThat(s.numDraws()).isEqualTo(200);
    assertThat(s.numBurnin()).isEqualTo(200);
    assertThat(s.stepsPerChain()).isEqualTo(400);
    assertThat(s.fullBatch()).isTrue();
    assertThat(s.hasBoundingBox()).isFalse();
  }

  @Test
  void withNBetaFixesItAndARuleClearsIt() {
    LlcSettings fixed = LlcSettings.defaults().withNBeta(2);
    assertThat(fixed.nBetaRule()).isEqualTo(NBetaRule.FIXED);
    assertThat(fixed.nBeta()).isEqualTo(2);
    assertThat(fixed.withNBetaRule(NBetaRule.BATCH_SIZE).nBeta()).isZero();
  }

  @Test
  void invalidValuesNameTheFieldTheValueAndTheRange() {
    assertThatThrownBy(() -> LlcSettings.defaults().withEpsilon(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use LLC setting epsilon: must be finite and in (0, 1] (got 0.0)");
    assertThatThrownBy(() -> LlcSettings.defaults().withGamma(Double.NaN))
        .hasMessage("Cannot use LLC setting gamma: must be finite and >= 0 (got NaN)");
    assertThatThrownBy(() -> LlcSettings.defaults().withNumChains(0))
        .hasMessage("Cannot use LLC setting numChains: must be >= 1 (got 0)");
    assertThatThrownBy(() -> LlcSettings.defaults().withBatchSize(-1))
        .hasMessage("Cannot use LLC setting batchSize: must be >= 0 (0 = full batch) (got -1)");
    assertThatThrownBy(() -> LlcSettings.defaults().withNBeta(-3))
        .hasMessage(
            "Cannot use LLC setting nBeta: must be finite and > 0 with rule FIXED (got -3.0)");
    assertThatThrownBy(
            () -> LlcSettings.defaults().withNumDraws(100_000).withNumStepsBetweenDraws(100_000))
        .hasMessageStartingWith(
            "Cannot use LLC settings: numBurnin + numDraws * numStepsBetweenDraws must fit in an"
                + " int");
  }
}
