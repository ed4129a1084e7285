package org.phasemap.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;

class TransformerGraphTests {

  static RunConfig tiny(String preset, double alpha, String activation, int layers) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("modulus", 7);
    m.put("d_model", 8);
    m.put("n_heads", 2);
    m.put("d_mlp", 12);
    m.put("n_layers", layers);
    m.put("activation", activation);
    m.put("attention_rate", alpha);
    m.put("train_fraction", 0.5);
    m.put("steps", 10);
    m.put("log_interval", 5);
    m.put("precision", "float64");
    m.put("init_seed", 3L);
    return RunConfig.fromMap(m);
  }

  /**
   * Central finite differences of the float64 loss against the graph's gradient, for every entry of
   * every parameter tensor (the model is tiny). Relative error below 1e-6 means the backward pass
   * (gather, attention with the rate mix and mask, MLP, float64 loss) is right.
   */
  @ParameterizedTest
  @CsvSource({
    "nanda2023, 1.0, relu, 1",
    "nanda2023, 0.5, relu, 1",
    "nanda2023, 0.0, relu, 1",
    "zhong2023, 1.0, relu, 1",
    "zhong2023, 0.5, gelu, 1",
    "zhong2023, 0.0, relu, 1",
    "zhong2023, 0.3, relu, 2",
  })
  void gradientsMatchFiniteDifferences(String preset, double alpha, String act, int layers) {
    RunConfig c = tiny(preset, alpha, act, layers);
    Parameters params = Parameters.initialise(c);
    TransformerGraph g = TransformerGraph.build(c, params);
    ModularAddition data = ModularAddition.of(c);
    int[] idx = data.trainIndices();
    Map<String, INDArray> in = g.inputs(data.tokens(idx), data.labels(idx));
    Map<String, INDArray> grads = g.lossAndGradients(in).getGradients();
    double h = 1e-6;
    double worst = 0;
    String worstAt = "";
    for (String name : params.names()) {
      INDArray w = params.get(name);
      INDArray grad = grads.get(name);
      assertThat(grad).as("gradient of " + name).isNotNull();
      assertThat(grad.shape()).isEqualTo(w.shape());
      for (long i = 0; i < w.length(); i++) {
        double orig = w.getDouble(i);
        w.putScalar(i, orig + h);
        double up = g.evaluate(in).get(TransformerGraph.LOSS).getDouble(0);
        w.putScalar(i, orig - h);
        double down = g.evaluate(in).get(TransformerGraph.LOSS).getDouble(0);
        w.putScalar(i, orig);
        double numeric = (up - down) / (2 * h);
        double analytic = grad.getDouble(i);
        // relative error with an absolute floor for the finite-difference rounding (~1e-10)
        double rel = Math.abs(numeric - analytic) / (Math.abs(numeric) + Math.abs(analytic) + 1e-5);
        if (rel > worst) {
          worst = rel;
          worstAt = name + "[" + i + "] numeric=" + numeric + " analytic=" + analytic;
        }
      }
    }
    assertThat(worst).as("worst relative error at " + worstAt).isLessThan(1e-4);
  }

  @ParameterizedTest
  @CsvSource({"nanda2023", "zhong2023"})
  void lossAtInitialisationIsNearLnP(String preset) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("steps", 10);
    m.put("log_interval", 10);
    RunConfig c = RunConfig.fromMap(m);
    Parameters params = Parameters.initialise(c);
    TransformerGraph g = TransformerGraph.build(c, params);
    ModularAddition data = ModularAddition.of(c);
    int[] idx = data.trainIndices();
    double loss =
        g.evaluate(g.inputs(data.tokens(idx), data.labels(idx)))
            .get(TransformerGraph.LOSS)
            .getDouble(0);
    assertThat(loss).isCloseTo(Math.log(c.modulus()), org.assertj.core.data.Offset.offset(0.15));
  }

  /**
   * The probe's MLP input is the last layer's: in a two-layer model, relu(mlpIn W_in + b_in) with
   * layer 1's weights reproduces the probe's post-activations, and layer 0's weights do not.
   */
  @ParameterizedTest
  @CsvSource({"1", "2"})
  void probeExposesTheLastLayersMlpInput(int layers) {
    RunConfig c = tiny("zhong2023", 0.5, "relu", layers);
    Parameters params = Parameters.initialise(c);
    ModularAddition data = ModularAddition.of(c);
    int[] idx = data.allIndices();
    ModelFunction.Probe probe =
        TransformerGraph.build(c, params)
            .probe(new ModelFunction.Batch(data.tokens(idx), data.labels(idx)));
    assertThat(probe.mlpIn().shape()).isEqualTo(new long[] {idx.length, c.dModel()});
    String last = "blocks." + (layers - 1) + ".mlp.";
    INDArray pre =
        probe.mlpIn().mmul(params.get(last + "W_in")).addiRowVector(params.get(last + "b_in"));
    INDArray post = org.nd4j.linalg.ops.transforms.Transforms.relu(pre, false);
    double scale = probe.mlpPost().amaxNumber().doubleValue();
    assertThat(post.sub(probe.mlpPost()).amaxNumber().doubleValue() / scale).isLessThan(1e-12);
    if (layers > 1) {
      INDArray first =
          probe
              .mlpIn()
              .mmul(params.get("blocks.0.mlp.W_in"))
              .addiRowVector(params.get("blocks.0.mlp.b_in"));
      assertThat(first.sub(pre).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }
  }
}
