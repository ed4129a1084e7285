package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.model.Parameters;

/** The whole analysis: the basis leaves the model's function unchanged, and the report reads. */
class DegeneracyAnalysisTests {

  /**
   * The one-layer transformer of {@link TransformerChainTests} (p = 7, d_model 8, d_mlp 12) with
   * planted degeneracy: neurons 0–2 dead (bias −1000), neurons 3–4 alive but unread (W_out rows
   * zero). W_U (8 × 7) has a null direction of its own.
   */
  static Parameters handBuilt(RunConfig c) {
    Parameters params = TransformerChainTests.parameters(c);
    INDArray bIn = params.get("blocks.0.mlp.b_in");
    for (int i = 0; i < 3; i++) {
      bIn.putScalar(i, -1000);
    }
    INDArray wOut = params.get("blocks.0.mlp.W_out");
    wOut.getRow(3).assign(0);
    wOut.getRow(4).assign(0);
    return params;
  }

  /**
   * Rebuilding any layer from its kept interaction directions leaves the logits and the next
   * layer's features unchanged to 1e-9; rebuilding it from all its Gram directions (PCA) leaves the
   * next layer's activations themselves unchanged.
   */
  static void assertBasisKeepsTheFunction(NodeChain chain) {
    List<InteractionBases.Layer> layers =
        InteractionBases.build(chain, DegeneracyOptions.defaults());
    int last = chain.layers() - 1;
    DoubleMatrix logits = chain.activations(last);
    for (int l = 0; l < last; l++) {
      DoubleMatrix f = chain.activations(l);
      LayerBasis ib = layers.get(l).interaction();
      DoubleMatrix rebuilt = ib.rebuild(ib.featureValues(f), ib.size());
      assertThat(relative(chain.output(l, rebuilt), logits))
          .as("logits from " + chain.name(l))
          .isLessThan(1e-9);
      LayerBasis nextBasis = layers.get(l + 1).interaction();
      DoubleMatrix nextFeatures = nextBasis.featureValues(chain.activations(l + 1));
      assertThat(relative(nextBasis.featureValues(chain.next(l, rebuilt)), nextFeatures))
          .as("next features from " + chain.name(l))
          .isLessThan(1e-9);
      LayerBasis pca = layers.get(l).pca();
      DoubleMatrix all = pca.rebuild(pca.featureValues(f), pca.size());
      assertThat(relative(chain.next(l, all), chain.activations(l + 1)))
          .as("next layer from all of " + chain.name(l))
          .isLessThan(1e-9);
    }
  }

  static double relative(DoubleMatrix a, DoubleMatrix b) {
    return TransformerChainTests.relativeError(a, b);
  }

  @Test
  void basisLeavesAHandBuiltTransformerUnchanged() {
    for (String preset : new String[] {"nanda2023", "zhong2023"}) {
      RunConfig c = TransformerChainTests.config(preset, 1.0, "relu", 7, 8, 12);
      TransformerChain chain = TransformerChain.of(c, handBuilt(c));
      assertBasisKeepsTheFunction(chain);
      DegeneracyReport report = DegeneracyAnalysis.of(chain, DegeneracyOptions.defaults());
      DegeneracyReport.Layer hidden = report.layer("mlp_hidden");
      assertThat(hidden.width()).isEqualTo(20);
      // a dead neuron is constant and an always-on one affine in the residual: neither adds a
      // direction; each switching neuron adds one
      SynchronisedNeurons sync = report.synchronisedNeurons().get(0);
      assertThat(sync.dead()).isGreaterThanOrEqualTo(3);
      int switching = 12 - sync.dead() - sync.alwaysOn();
      assertThat(hidden.gramRank())
          .as(preset)
          .isEqualTo(report.layer("resid_mid").gramRank() + switching);
      // resid_post is a linear image of mlp_hidden, and W_U (8 × 7) ignores one of its directions
      assertThat(report.layer("resid_post").directionsKept()).isEqualTo(7);
      assertThat(hidden.directionsKept()).as(preset).isLessThanOrEqualTo(7);
      assertThat(report.layer("logits").directionsKept())
          .isEqualTo(report.layer("logits").gramRank());
      for (DegeneracyReport.Layer layer : report.layers()) {
        int[] k = layer.interaction().directions();
        // keeping every kept direction reproduces the model: same accuracy, same logits
        assertThat(layer.interaction().accuracy()[k.length - 1])
            .as(layer.name())
            .isEqualTo(report.accuracy());
        assertThat(layer.interaction().fullBasisError()).as(layer.name()).isLessThan(1e-9);
        assertThat(layer.pca().fullBasisError()).as(layer.name()).isLessThan(1e-9);
        assertThat(layer.interactionFrequencies().frequency()).hasSize(layer.directionsKept());
      }
    }
  }

  @Test
  void basisLeavesADenseNetworkWithDroppedDirectionsUnchanged() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
    double[] v = {1, 1, 0, -1, 2};
    DoubleMatrix vv = DoubleMatrix.of(new double[][] {v});
    DoubleMatrix projector = DoubleMatrix.identity(5).minus(vv.transposeTimes(vv).scale(1.0 / 7));
    DenseChain chain =
        DenseChain.of(
            "input",
            LinearAlgebraTests.gaussian(rng, 300, 4),
            new int[300],
            List.of(
                new DenseChain.Layer(
                    "h1",
                    LinearAlgebraTests.gaussian(rng, 4, 6),
                    new double[] {0.1, 0.2, -0.1, 0, 0.3, -0.2},
                    DenseChain.Nonlinearity.RELU),
                new DenseChain.Layer(
                    "h2",
                    LinearAlgebraTests.gaussian(rng, 6, 5),
                    new double[5],
                    DenseChain.Nonlinearity.RELU),
                new DenseChain.Layer(
                    "out",
                    projector.times(LinearAlgebraTests.gaussian(rng, 5, 3)),
                    new double[3],
                    DenseChain.Nonlinearity.IDENTITY)));
    List<InteractionBases.Layer> layers =
        InteractionBases.build(chain, DegeneracyOptions.defaults());
    assertThat(layers.get(2).interaction().size()).isLessThan(layers.get(2).gramRank());
    assertBasisKeepsTheFunction(chain);
  }

  @Test
  void reportRendersEveryLayer() {
    RunConfig c = TransformerChainTests.config("zhong2023", 1.0, "relu", 7, 8, 12);
    DegeneracyReport report = DegeneracyAnalysis.of(c, handBuilt(c), DegeneracyOptions.defaults());
    String text = report.render();
    for (String name : TransformerChain.NAMES) {
      assertThat(text).contains(name);
    }
    SynchronisedNeurons sync = report.synchronisedNeurons().get(0);
    assertThat(text)
        .contains("synchronised neurons in mlp_hidden: 12 neurons, " + sync.dead() + " dead");
    assertThat(report.inputs()).isEqualTo(49);
    assertThatThrownBy(() -> report.layer("attn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown node layer: attn (known: [resid_pre, resid_mid");
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(
            () -> new DegeneracyOptions(0, 1e-10, 1e-10, true, 0.99, 2, 0.01, true, 0.001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid gramThreshold: 0.0 (allowed: (0, 1))");
    assertThatThrownBy(
            () -> new DegeneracyOptions(1e-10, 1e-10, 1e-10, true, 0.99, 1, 0.01, true, 0.001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid ablationGrowth: 1.0 (allowed: (1, 1000])");
    assertThat(DegeneracyOptions.defaults().withoutCentring().centre()).isFalse();
  }
}
