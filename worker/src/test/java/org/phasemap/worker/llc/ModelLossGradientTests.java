package org.phasemap.worker.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.Parameters;

class ModelLossGradientTests {

  private static RunConfig tiny() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "zhong2023");
    m.put("modulus", 11);
    m.put("d_model", 8);
    m.put("n_heads", 2);
    return RunConfig.fromMap(m);
  }

  @Test
  void fullBatchLossIsTheModelsTrainingLoss() {
    RunConfig config = tiny();
    ModularAddition data = ModularAddition.of(config);
    ModelFunction model = ModelFunction.create(config, Parameters.initialise(config));
    ModelLossGradient lg = new ModelLossGradient(model, data);
    int[] train = data.trainIndices();
    int[] all = LlcEstimator.partition(lg.size(), 0, null)[0];

    double expected =
        model.evaluate(new ModelFunction.Batch(data.tokens(train), data.labels(train))).loss();

    assertThat(lg.size()).isEqualTo(train.length);
    assertThat(lg.loss(all)).isEqualTo(expected);
    assertThat(lg.lossAndGradient(all).loss()).isEqualTo(expected);
    // one reusable batch per distinct index set, whatever array instance carries it
    assertThat(lg.batch(all.clone())).isSameAs(lg.batch(all));
  }

  @Test
  void shortLlcRunOnATinyTransformerIsFiniteAndLeavesTheModelUnchanged() {
    RunConfig config = tiny();
    Parameters parameters = Parameters.initialise(config);
    ModelFunction model = ModelFunction.create(config, parameters);
    ModelLossGradient lg = new ModelLossGradient(model, ModularAddition.of(config));
    Map<String, INDArray> before = parameters.copy().asMap();
    LlcSettings settings =
        LlcSettings.defaults()
            .withNumChains(2)
            .withNumDraws(20)
            .withNumBurnin(20)
            .withBatchSize(16);

    LlcResult r = new LlcEstimator(settings).estimate(lg);

    System.out.printf(
        "tiny transformer (%s): llc %.3f ± %.3f, L0 %.4f, nβ %.2f%n",
        model.implementation(), r.mean(), r.std(), r.l0(), r.nBeta());
    assertThat(r.finite()).isTrue();
    assertThat(r.perChain()).hasSize(2);
    assertThat(r.trace()).hasDimensions(2, 20);
    assertThat(r.settings()).isEqualTo(settings);
    assertThat(r.nBeta()).isEqualTo(lg.size() / Math.log(lg.size()));
    assertThat(r.batchSize()).isEqualTo(16);
    before.forEach((k, v) -> assertThat(parameters.get(k)).as(k).isEqualTo(v));
  }
}
