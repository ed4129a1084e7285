package org.phasemap.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;

/** The exact one-layer step computes the reference graph's function and gradients. */
class ExactOneLayerTests {

  static RunConfig config(String preset, double alpha, boolean causal, String precision) {
    return config(preset, alpha, causal, precision, 1, "relu");
  }

  static RunConfig config(
      String preset,
      double alpha,
      boolean causal,
      String precision,
      int layers,
      String activation) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n_layers", layers);
    m.put("activation", activation);
    m.put("preset", preset);
    m.put("modulus", 11);
    m.put("d_model", 16);
    m.put("n_heads", 4);
    m.put("d_mlp", 24);
    m.put("attention_rate", alpha);
    m.put("causal", causal);
    m.put("train_fraction", 0.6);
    m.put("steps", 10);
    m.put("log_interval", 10);
    m.put("precision", precision);
    m.put("init_seed", 7L);
    return RunConfig.fromMap(m);
  }

  /** max |a - b| over max |b|: error relative to the tensor's scale. */
  static double relativeError(INDArray a, INDArray b) {
    double scale = Math.max(b.castTo(DataType.DOUBLE).amaxNumber().doubleValue(), 1e-12);
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue()
        / scale;
  }

  /**
   * Loss, logits and every parameter's gradient of {@code fast} equal the reference's within tol.
   */
  static void assertSameFunction(
      ModelFunction.OutputAndGradients fast,
      ModelFunction.OutputAndGradients ref,
      Parameters params,
      double tol) {
    assertThat(Math.abs(fast.loss() - ref.loss()) / ref.loss()).as("loss").isLessThan(tol);
    assertThat(relativeError(fast.logits(), ref.logits())).as("logits").isLessThan(tol);
    assertThat(fast.gradients().keySet()).containsExactlyInAnyOrderElementsOf(params.names());
    for (String name : params.names()) {
      INDArray g = fast.gradients().get(name);
      INDArray r = ref.gradients().get(name);
      assertThat(g.shape()).as(name).isEqualTo(r.shape());
      assertThat(relativeError(g, r)).as("gradient of " + name).isLessThan(tol);
    }
  }

  @ParameterizedTest(name = "{0} alpha={1} causal={2} {3}")
  @CsvSource({
    "nanda2023, 1.0, true,  float64, 1e-9, relu",
    "nanda2023, 0.3, true,  float64, 1e-9, relu",
    "nanda2023, 0.0, true,  float64, 1e-9, relu",
    "nanda2023, 0.3, false, float64, 1e-9, relu",
    "zhong2023, 1.0, false, float64, 1e-9, relu",
    "zhong2023, 0.3, false, float64, 1e-9, relu",
    "zhong2023, 0.0, false, float64, 1e-9, relu",
    "zhong2023, 0.3, true,  float64, 1e-9, relu",
    "nanda2023, 0.3, true,  float32, 1e-4, relu",
    "zhong2023, 1.0, false, float32, 1e-4, relu",
    "zhong2023, 0.0, false, float32, 1e-4, relu",
    "zhong2023, 0.3, false, float64, 1e-9, gelu",
    "nanda2023, 1.0, true,  float64, 1e-9, gelu",
    "zhong2023, 1.0, false, float32, 1e-4, gelu",
  })
  void matchesTheReferenceGraph(
      String preset,
      double alpha,
      boolean causal,
      String precision,
      double tol,
      String activation) {
    RunConfig c = config(preset, alpha, causal, precision, 1, activation);
    Parameters params = Parameters.initialise(c);
    // move away from the initialisation so that biases and every path carry signal
    for (INDArray w : params.asMap().values()) {
      w.addi(
          org.nd4j.linalg.factory.Nd4j.rand(new java.util.Random(1).nextLong(), w.shape())
              .castTo(w.dataType())
              .subi(0.5)
              .muli(0.2));
    }
    TransformerGraph reference = TransformerGraph.build(c, params);
    ExactOneLayer exact = new ExactOneLayer(c, params);
    ModularAddition data = ModularAddition.of(c);
    int[] idx = data.trainIndices();
    ModelFunction.Batch batch = new ModelFunction.Batch(data.tokens(idx), data.labels(idx));

    ModelFunction.OutputAndGradients ref = reference.lossAndGradients(batch);
    ModelFunction.OutputAndGradients fast = exact.lossAndGradients(batch);

    assertSameFunction(fast, ref, params, tol);
    // evaluation without gradients gives the same loss
    assertThat(exact.evaluate(batch).loss()).isEqualTo(fast.loss());
  }

  /**
   * Float32 with the fold of Z W_OI into slot tables (ExactOneLayer's class comment) forced on, and
   * off: at this test's width (d_model 16, 4 heads) the automatic choice keeps the GEMMs.
   */
  @ParameterizedTest(name = "fold={0} {1} alpha={2} causal={3} {4}")
  @CsvSource({
    "true,  nanda2023, 0.3, true,  relu",
    "true,  nanda2023, 1.0, false, gelu",
    "true,  zhong2023, 1.0, false, relu",
    "true,  zhong2023, 0.0, false, relu",
    "true,  zhong2023, 0.3, true,  gelu",
    "false, zhong2023, 0.3, false, relu",
  })
  void float32WithAndWithoutTheFold(
      String fold, String preset, double alpha, boolean causal, String activation) {
    String old = System.getProperty("phasemap.exactFold");
    System.setProperty("phasemap.exactFold", fold);
    try {
      matchesTheReferenceGraph(preset, alpha, causal, "float32", 1e-4, activation);
      probeMatchesTheReferenceGraph(preset, alpha, causal, "float32", 1e-4);
    } finally {
      if (old == null) {
        System.clearProperty("phasemap.exactFold");
      } else {
        System.setProperty("phasemap.exactFold", old);
      }
    }
  }

  @ParameterizedTest(name = "{0} alpha={1} causal={2} {3}")
  @CsvSource({
    "nanda2023, 0.3, true,  float64, 1e-9",
    "zhong2023, 0.0, false, float64, 1e-9",
    "zhong2023, 1.0, false, float32, 1e-4",
  })
  void probeMatchesTheReferenceGraph(
      String preset, double alpha, boolean causal, String precision, double tol) {
    RunConfig c = config(preset, alpha, causal, precision);
    Parameters params = Parameters.initialise(c);
    for (INDArray w : params.asMap().values()) {
      w.addi(
          org.nd4j.linalg.factory.Nd4j.rand(new java.util.Random(2).nextLong(), w.shape())
              .castTo(w.dataType())
              .subi(0.5)
              .muli(0.2));
    }
    ModularAddition data = ModularAddition.of(c);
    int[] idx = data.allIndices();
    ModelFunction.Batch batch = new ModelFunction.Batch(data.tokens(idx), data.labels(idx));

    ModelFunction.Probe ref = TransformerGraph.build(c, params).probe(batch);
    ModelFunction.Probe fast = new ExactOneLayer(c, params).probe(batch);

    int n = idx.length;
    assertThat(fast.mlpIn().shape())
        .isEqualTo(new long[] {n, c.dModel()})
        .isEqualTo(ref.mlpIn().shape());
    assertThat(fast.mlpPost().shape())
        .isEqualTo(new long[] {n, c.dMlp()})
        .isEqualTo(ref.mlpPost().shape());
    assertThat(Math.abs(fast.loss() - ref.loss()) / ref.loss()).as("loss").isLessThan(tol);
    assertThat(relativeError(fast.logits(), ref.logits())).as("logits").isLessThan(tol);
    assertThat(relativeError(fast.mlpIn(), ref.mlpIn())).as("MLP input").isLessThan(tol);
    assertThat(relativeError(fast.mlpPost(), ref.mlpPost()))
        .as("MLP post-activations")
        .isLessThan(tol);
    assertThat(fast.attention()).hasSameSizeAs(ref.attention());
    for (int i = 0; i < ref.attention().length; i++) {
      assertThat(fast.attention()[i])
          .as("attention " + i)
          .isCloseTo(ref.attention()[i], org.assertj.core.data.Offset.offset(tol));
    }
    // the MLP input is what W_in reads: relu(mlpIn W_in + b_in) is the post-activation
    INDArray pre =
        ref.mlpIn()
            .castTo(DataType.DOUBLE)
            .mmul(params.get("blocks.0.mlp.W_in").castTo(DataType.DOUBLE))
            .addiRowVector(params.get("blocks.0.mlp.b_in").castTo(DataType.DOUBLE));
    assertThat(
            relativeError(
                org.nd4j.linalg.ops.transforms.Transforms.relu(pre, false), ref.mlpPost()))
        .as("relu(mlpIn W_in + b_in)")
        .isLessThan(tol);
  }

  @ParameterizedTest
  @CsvSource({"2, relu", "3, gelu"})
  void refusesModelsItDoesNotCover(int layers, String activation) {
    Map<String, Object> m = new LinkedHashMap<>(config("zhong2023", 1.0, false, "float64").toMap());
    m.put("n_layers", layers);
    m.put("activation", activation);
    RunConfig c = RunConfig.fromMap(m);
    assertThat(ExactOneLayer.supports(c)).isFalse();
    assertThat(ModelFunction.create(c, Parameters.initialise(c)))
        .isInstanceOf(ExactMultiLayer.class);
    assertThatThrownBy(() -> new ExactOneLayer(c, Parameters.initialise(c)))
        .hasMessageContaining("Cannot use the exact one-layer step");
  }
}
