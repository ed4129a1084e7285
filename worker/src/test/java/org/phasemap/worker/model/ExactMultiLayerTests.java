package org.phasemap.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phasemap.worker.model.ExactOneLayerTests.config;
import static org.phasemap.worker.model.ExactOneLayerTests.relativeError;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;

/**
 * The multi-layer exact step computes the reference graph's loss, logits and every parameter
 * gradient: 1-3 layers, ReLU and GeLU, alpha 0 / 0.3 / 1, causal and not, with the '=' token
 * (nanda2023) and without (zhong2023), each in float64 to 1e-9 and in float32 to 1e-4.
 */
class ExactMultiLayerTests {

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (int layers = 1; layers <= 3; layers++) {
      for (String act : List.of("relu", "gelu")) {
        for (double alpha : new double[] {0.0, 0.3, 1.0}) {
          for (boolean causal : new boolean[] {true, false}) {
            // the '=' token with the causal mask (nanda2023's default) and without, alternating
            String preset = (layers + (causal ? 1 : 0)) % 2 == 0 ? "nanda2023" : "zhong2023";
            out.add(Arguments.of(preset, layers, act, alpha, causal, "float64", 1e-9));
            out.add(Arguments.of(preset, layers, act, alpha, causal, "float32", 1e-4));
          }
        }
      }
    }
    return out;
  }

  /** Parameters moved away from the initialisation, so that biases and every path carry signal. */
  static Parameters perturbed(RunConfig c, long seed) {
    Parameters params = Parameters.initialise(c);
    for (INDArray w : params.asMap().values()) {
      w.addi(Nd4j.rand(seed, w.shape()).castTo(w.dataType()).subi(0.5).muli(0.2));
    }
    return params;
  }

  static ModelFunction.Batch trainBatch(RunConfig c) {
    ModularAddition data = ModularAddition.of(c);
    int[] idx = data.trainIndices();
    return new ModelFunction.Batch(data.tokens(idx), data.labels(idx));
  }

  @ParameterizedTest(name = "{0} layers={1} {2} alpha={3} causal={4} {5}")
  @MethodSource("cases")
  void matchesTheReferenceGraph(
      String preset,
      int layers,
      String act,
      double alpha,
      boolean causal,
      String precision,
      double tol) {
    RunConfig c = config(preset, alpha, causal, precision, layers, act);
    Parameters params = perturbed(c, 3);
    ModelFunction.Batch batch = trainBatch(c);

    ModelFunction.OutputAndGradients ref =
        TransformerGraph.build(c, params).lossAndGradients(batch);
    ExactMultiLayer exact = new ExactMultiLayer(c, params);
    ModelFunction.OutputAndGradients fast = exact.lossAndGradients(batch);

    ExactOneLayerTests.assertSameFunction(fast, ref, params, tol);
    // a second call reuses the buffers and gives the same numbers; evaluation gives the same loss
    double again = exact.lossAndGradients(batch).loss();
    assertThat(again).isEqualTo(fast.loss());
    assertThat(exact.evaluate(batch).loss()).isEqualTo(fast.loss());
  }

  static List<Arguments> float32Cases() {
    return cases().stream().filter(a -> a.get()[5].equals("float32")).toList();
  }

  /**
   * The float32 cases again with the first layer's MLP input from slot tables, forced on at the
   * test width (auto folds only from d_model 6 (1 + heads n_ctx)).
   */
  @ParameterizedTest(name = "fold: {0} layers={1} {2} alpha={3} causal={4}")
  @MethodSource("float32Cases")
  void float32WithTheFold(
      String preset,
      int layers,
      String act,
      double alpha,
      boolean causal,
      String precision,
      double tol) {
    String old = System.getProperty("phasemap.exactFold");
    System.setProperty("phasemap.exactFold", "true");
    try {
      matchesTheReferenceGraph(preset, layers, act, alpha, causal, precision, tol);
    } finally {
      if (old == null) {
        System.clearProperty("phasemap.exactFold");
      } else {
        System.setProperty("phasemap.exactFold", old);
      }
    }
  }

  @ParameterizedTest(name = "{0} layers={1} {2} causal={3}")
  @CsvSource({"nanda2023, 2, relu, true", "zhong2023, 3, gelu, false", "zhong2023, 1, gelu, true"})
  void probeMatchesTheReferenceGraph(String preset, int layers, String act, boolean causal) {
    RunConfig c = config(preset, 0.3, causal, "float64", layers, act);
    Parameters params = perturbed(c, 5);
    ModularAddition data = ModularAddition.of(c);
    int[] idx = data.allIndices();
    ModelFunction.Batch batch = new ModelFunction.Batch(data.tokens(idx), data.labels(idx));

    ModelFunction.Probe ref = TransformerGraph.build(c, params).probe(batch);
    ModelFunction.Probe fast = new ExactMultiLayer(c, params).probe(batch);

    assertThat(fast.mlpIn().shape()).isEqualTo(ref.mlpIn().shape());
    assertThat(fast.mlpPost().shape()).isEqualTo(ref.mlpPost().shape());
    assertThat(relativeError(fast.logits(), ref.logits())).as("logits").isLessThan(1e-9);
    assertThat(relativeError(fast.mlpIn(), ref.mlpIn())).as("MLP input").isLessThan(1e-9);
    assertThat(relativeError(fast.mlpPost(), ref.mlpPost()))
        .as("MLP post-activations")
        .isLessThan(1e-9);
    assertThat(fast.attention()).hasSameSizeAs(ref.attention());
    for (int i = 0; i < ref.attention().length; i++) {
      assertThat(fast.attention()[i])
          .as("attention " + i)
          .isCloseTo(ref.attention()[i], org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void deeperModelsTrainWithTheMultiLayerStep() {
    RunConfig c = config("zhong2023", 1.0, false, "float64", 2, "gelu");
    ModelFunction f = ModelFunction.create(c, Parameters.initialise(c));
    assertThat(f).isInstanceOf(ExactMultiLayer.class);
    assertThat(f.implementation()).isEqualTo("exact-multi-layer");
  }
}
