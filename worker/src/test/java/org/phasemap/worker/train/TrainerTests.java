package org.phasemap.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phasemap.worker.RunConfig;

class TrainerTests {

  static RunConfig small(double alpha, long initSeed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "zhong2023");
    m.put("modulus", 23);
    m.put("d_model", 32);
    m.put("attention_rate", alpha);
    m.put("steps", 400);
    m.put("log_interval", 50);
    m.put("init_seed", initSeed);
    return RunConfig.fromMap(m);
  }

  @Test
  void smallRunReachesFullTrainAccuracyAndIsBitReproducible() throws Exception {
    List<StepRecord> first = new ArrayList<>();
    long t0 = System.nanoTime();
    RunOutcome a = new Trainer(small(1.0, 5)).train(first::add);
    System.out.printf("small run: %.1f ms/step%n", a.stepSeconds() * 1000 / a.stepsCompleted());
    List<StepRecord> second = new ArrayList<>();
    RunOutcome b = new Trainer(small(1.0, 5)).train(second::add);

    assertThat(a.status()).isEqualTo(RunOutcome.OK);
    assertThat(first).hasSize(9);
    assertThat(first.get(0).step()).isZero();
    assertThat(first.get(0).trainLoss())
        .isCloseTo(Math.log(23), org.assertj.core.data.Offset.offset(0.2));
    assertThat(a.last().trainAccuracy()).isEqualTo(1.0);
    assertThat(a.last().trainLoss()).isLessThan(0.05);
    // bit for bit: the same config gives identical losses at every logged step
    for (int i = 0; i < first.size(); i++) {
      assertThat(Double.doubleToLongBits(second.get(i).trainLoss()))
          .isEqualTo(Double.doubleToLongBits(first.get(i).trainLoss()));
      assertThat(Double.doubleToLongBits(second.get(i).testLoss()))
          .isEqualTo(Double.doubleToLongBits(first.get(i).testLoss()));
    }
    assertThat(b.last().sumSquaredWeights()).isEqualTo(a.last().sumSquaredWeights());
  }

  @Test
  void aFiniteBlowUpIsDiverged() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>(small(1.0, 3).toMap());
    m.put("lr", 3.0);
    m.put("steps", 300);
    List<StepRecord> rows = new ArrayList<>();
    RunOutcome o = new Trainer(RunConfig.fromMap(m)).train(rows::add);

    assertThat(o.status()).isEqualTo(RunOutcome.DIVERGED);
    assertThat(o.divergedStep()).isBetween(1, 290);
    assertThat(o.stepsCompleted()).isEqualTo(o.divergedStep() + Trainer.BLOW_UP_STEPS - 1);
    assertThat(o.error())
        .contains("training loss above", "x ln p", "from step " + o.divergedStep());
    // the rule is about a finite loss: this is not a NaN run
    assertThat(o.error()).doesNotContain("NaN");
  }

  @Test
  void anHonestRunIsNotDiverged() throws Exception {
    RunOutcome o = new Trainer(withSteps(small(0.0, 3), 200)).train(r -> {});
    assertThat(o.status()).isEqualTo(RunOutcome.OK);
    assertThat(o.divergedStep()).isEqualTo(-1);
  }

  @Test
  void differentInitSeedsGiveDifferentRuns() throws Exception {
    RunConfig c0 = small(0.0, 1);
    RunConfig c1 = small(0.0, 2);
    List<StepRecord> r0 = new ArrayList<>();
    List<StepRecord> r1 = new ArrayList<>();
    new Trainer(withSteps(c0, 20)).train(r0::add);
    new Trainer(withSteps(c1, 20)).train(r1::add);
    assertThat(r0.get(0).trainLoss()).isNotEqualTo(r1.get(0).trainLoss());
  }

  static RunConfig withSteps(RunConfig c, int steps) {
    Map<String, Object> m = new LinkedHashMap<>(c.toMap());
    m.put("steps", steps);
    m.put("log_interval", 10);
    return RunConfig.fromMap(m);
  }
}
