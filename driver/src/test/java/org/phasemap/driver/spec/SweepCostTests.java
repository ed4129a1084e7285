package org.phasemap.driver.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cost line plan and run print before anything trains. */
class SweepCostTests {

  @Test
  void saysTheTimeOnOneCoreAndSpreadOverTheTaskSlots() {
    SweepCost cost = new SweepCost(8, 0, 24 * 60, 8);
    assertThat(cost.describe(2))
        .isEqualTo(
            "8 runs, about 24 min of training on one core (about 12 min on 2 cores;"
                + " docs/PERFORMANCE.md, cost model)");
    // one slot: no "about 24 min on 1 cores" repeating the first figure
    assertThat(cost.describe(1))
        .isEqualTo(
            "8 runs, about 24 min of training on one core (1 task slot;"
                + " docs/PERFORMANCE.md, cost model)");
  }

  @Test
  void saysWhenTheFigureIsEstimatedFromASample() {
    SweepCost cost = new SweepCost(100_000, 50, 3600 * 500.0, 2000);
    assertThat(cost.describe(1))
        .isEqualTo(
            "100000 runs + 50 refinement runs, about 20.8 days of training on one core (estimated"
                + " from 2000 runs spread over the sweep; docs/PERFORMANCE.md, cost model)");
    assertThat(cost.describe(4)).contains("about 5.2 days on 4 cores, estimated from 2000 runs");
    assertThat(cost.aboveGuard()).isTrue();
  }
}
