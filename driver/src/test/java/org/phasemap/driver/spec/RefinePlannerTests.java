package org.phasemap.driver.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefinePlannerTests {
  private static SweepSpec parse(String... lines) {
    return SweepSpecParser.parse(String.join("\n", lines) + "\n", "refine.yaml");
  }

  private static final String[] GRID = {
    "name: r",
    "seed: 5",
    "preset: zhong2023",
    "fixed:",
    "  modulus: 11",
    "  n_heads: 2",
    "  steps: 40",
    "  log_interval: 10",
    "grid:",
    "  init_seed: [0, 1, 2]",
    "  attention_rate: [0.0, 1.0]",
    "  d_model: [16, 48, 64]",
    "refine:",
    "  budget: 12",
    "  rounds: 2",
    "  axes: [d_model, attention_rate]",
  };

  @Test
  void gridAxesMapLinearlyAndIntegersRoundToTheGcdOfTheirValues() {
    RefinePlanner planner = new RefinePlanner(parse(GRID));
    // d_model in [16, 64], gcd(16, 48, 64) = 16; attention_rate in [0, 1]
    assertThat(planner.coordinates(Map.of("d_model", 16, "attention_rate", 0.25)))
        .containsExactly(0.0, 0.25);
    assertThat(planner.coordinates(Map.of("d_model", 64, "attention_rate", 1.0)))
        .containsExactly(1.0, 1.0);
    // 0.3 of [16, 64] is 30.4, the nearest multiple of 16 is 32 = 1/3 of the way
    double[] snapped = planner.snap(new double[] {0.3, 0.4});
    assertThat(snapped[0]).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(snapped[1]).isEqualTo(0.4);
  }

  @Test
  void aPointBecomesOneRunPerCombinationOfTheOtherGridAxes() {
    RefinePlanner planner = new RefinePlanner(parse(GRID));
    assertThat(planner.replicates()).isEqualTo(3);
    List<PlannedRun> runs =
        planner.runs(List.of(new double[] {0.5, 0.5}, new double[] {1.0, 0.0}), 18, 0);
    assertThat(runs).hasSize(6);
    assertThat(runs).extracting(PlannedRun::index).containsExactly(18, 19, 20, 21, 22, 23);
    assertThat(runs.subList(0, 3))
        .allSatisfy(
            r -> {
              assertThat(r.config().dModel()).isEqualTo(48); // 40 rounds up to 48
              assertThat(r.config().attentionRate()).isEqualTo(0.5);
              assertThat(r.config().modulus()).isEqualTo(11);
            })
        .extracting(r -> r.config().initSeed())
        .containsExactly(0L, 1L, 2L);
    assertThat(runs.get(3).config().dModel()).isEqualTo(64);
    assertThat(runs.get(3).config().attentionRate()).isEqualTo(0.0);
    assertThat(runs).extracting(PlannedRun::runId).doesNotHaveDuplicates();
  }

  @Test
  void randomAxesMapThroughTheirDistributionAndTheOthersContinueTheSequence() {
    SweepSpec spec =
        parse(
            "name: r",
            "seed: 5",
            "preset: zhong2023",
            "fixed:",
            "  modulus: 11",
            "  n_heads: 2",
            "  steps: 40",
            "  log_interval: 10",
            "random:",
            "  samples: 8",
            "  axes:",
            "    d_model: log_uniform(16, 256, step=2)",
            "    attention_rate: uniform(0, 1)",
            "    weight_decay: uniform(0.5, 2)",
            "refine:",
            "  budget: 8",
            "  axes: [d_model, attention_rate]");
    RefinePlanner planner = new RefinePlanner(spec);
    assertThat(planner.replicates()).isEqualTo(1);
    // log scale: 64 is half way between 16 and 256
    assertThat(planner.coordinates(Map.of("d_model", 64, "attention_rate", 0.3))[0])
        .isCloseTo(0.5, within(1e-12));
    List<PlannedRun> runs =
        planner.runs(List.of(new double[] {0.5, 0.3}, new double[] {0.5, 0.7}), 8, 2);
    assertThat(runs.get(0).config().dModel()).isEqualTo(64);
    // weight_decay is not refined: it takes the sequence's points samples + 2 and samples + 3
    Map<String, Object> p10 = spec.random().sampler(spec.seed()).values(10);
    Map<String, Object> p11 = spec.random().sampler(spec.seed()).values(11);
    assertThat(runs.get(0).config().weightDecay()).isEqualTo(p10.get("weight_decay"));
    assertThat(runs.get(1).config().weightDecay()).isEqualTo(p11.get("weight_decay"));
  }

  @Test
  void saysWhatIsWrongWithARefinedPoint() {
    RefinePlanner planner = new RefinePlanner(parse(GRID));
    assertThatThrownBy(() -> planner.runs(List.of(new double[] {0.5}), 0, 0))
        .hasMessageContaining("1 coordinates")
        .hasMessageContaining("[d_model, attention_rate]");
    assertThatThrownBy(() -> planner.coordinates(Map.of("d_model", 16)))
        .hasMessageContaining("attention_rate");
  }
}
