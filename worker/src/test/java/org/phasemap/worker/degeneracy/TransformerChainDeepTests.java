package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.Parameters;
import org.phasemap.worker.model.TransformerGraph;

/**
 * The transformer chain of models with several blocks: it computes the model's function (against
 * the SameDiff reference and the exact multi-layer step), its M', edges and edge ablation are the
 * derivatives and the ablation of its own steps, and the basis keeps the function.
 */
class TransformerChainDeepTests {

  /**
   * {@link TransformerChainTests#config} with {@code layers} blocks and, when not null, the causal
   * mask set explicitly (else the preset's: nanda2023 causal, zhong2023 not).
   */
  static RunConfig config(
      String preset, double alpha, String activation, int layers, Boolean causal, int p) {
    Map<String, Object> m =
        new LinkedHashMap<>(
            TransformerChainTests.config(preset, alpha, activation, p, 8, 12).toMap());
    m.put("n_layers", layers);
    if (causal != null) {
      m.put("causal", causal);
    }
    return RunConfig.fromMap(m);
  }

  /**
   * Initial weights with non-zero biases in every block and larger W_Q, W_K (so the softmax is not
   * flat); neurons 0–2 of the first block dead (bias −1000), neurons 3–4 of the last block alive
   * but unread (W_out rows zero): planted degeneracy in both kinds of block.
   */
  static Parameters parameters(RunConfig c) {
    Parameters params = Parameters.initialise(c);
    SplittableRandom rng = new SplittableRandom(5);
    for (int b = 0; b < c.nLayers(); b++) {
      for (String name : new String[] {"mlp.b_in", "mlp.b_out"}) {
        INDArray v = params.get("blocks." + b + "." + name);
        double[] x = new double[(int) v.length()];
        for (int i = 0; i < x.length; i++) {
          x[i] = 0.3 * rng.nextGaussian();
        }
        v.assign(Nd4j.create(x, v.shape(), DataType.DOUBLE).castTo(v.dataType()));
      }
      params.get("blocks." + b + ".attn.W_Q").muli(3);
      params.get("blocks." + b + ".attn.W_K").muli(3);
    }
    INDArray bIn = params.get("blocks.0.mlp.b_in");
    for (int i = 0; i < 3; i++) {
      bIn.putScalar(i, -1000);
    }
    INDArray wOut = params.get("blocks." + (c.nLayers() - 1) + ".mlp.W_out");
    wOut.getRow(3).assign(0);
    wOut.getRow(4).assign(0);
    return params;
  }

  static TransformerChain chain(RunConfig c) {
    return TransformerChain.of(c, parameters(c));
  }

  @ParameterizedTest(name = "{0} alpha={1} {2} layers={3} causal={4}")
  @CsvSource({
    "nanda2023, 1.0, relu, 2,",
    "nanda2023, 0.3, gelu, 2, false",
    "zhong2023, 1.0, relu, 2,",
    "zhong2023, 0.6, gelu, 2, true",
    "zhong2023, 0.0, relu, 3,",
    "nanda2023, 0.7, relu, 4,",
  })
  void computesTheModelsLogits(
      String preset, double alpha, String activation, int layers, Boolean causal) {
    RunConfig c = config(preset, alpha, activation, layers, causal, 7);
    Parameters params = parameters(c);
    TransformerChain chain = TransformerChain.of(c, params);
    ModularAddition data = ModularAddition.of(c);
    int[] all = data.allIndices();
    ModelFunction.Batch batch = new ModelFunction.Batch(data.tokens(all), data.labels(all));
    DoubleMatrix reference =
        DoubleMatrix.of(TransformerGraph.build(c, params).evaluate(batch).logits());
    DoubleMatrix exact = DoubleMatrix.of(ModelFunction.create(c, params).evaluate(batch).logits());
    int last = 3 * layers + 1;
    assertThat(chain.layers()).isEqualTo(last + 1);
    assertThat(TransformerChainTests.relativeError(chain.activations(last), reference))
        .isLessThan(1e-9);
    assertThat(TransformerChainTests.relativeError(chain.activations(last), exact))
        .isLessThan(1e-9);
    for (int l = 0; l < last; l++) {
      assertThat(TransformerChainTests.relativeError(chain.output(l, chain.activations(l)), exact))
          .as("from " + chain.name(l))
          .isLessThan(1e-9);
    }
    assertThat(chain.labels()).isEqualTo(data.labels(all));
  }

  @Test
  void namesEveryBlocksLayersAndKeepsPositionsUntilTheLastAttention() {
    TransformerChain two = chain(config("nanda2023", 1.0, "relu", 2, null, 5));
    assertThat(two.layers()).isEqualTo(8);
    String[] names = new String[8];
    int[] positions = new int[8];
    int[] widths = new int[8];
    for (int l = 0; l < 8; l++) {
      names[l] = two.name(l);
      positions[l] = two.positions(l);
      widths[l] = two.width(l);
      assertThat(two.activations(l).rows()).isEqualTo(25 * positions[l]);
    }
    assertThat(names)
        .containsExactly(
            "resid_pre.0",
            "resid_mid.0",
            "mlp_hidden.0",
            "resid_post.0",
            "resid_mid.1",
            "mlp_hidden.1",
            "resid_post.1",
            "logits");
    assertThat(positions).containsExactly(3, 3, 3, 3, 1, 1, 1, 1);
    assertThat(widths).containsExactly(8, 8, 20, 8, 8, 20, 8, 5);
    assertThat(two.neuronPreActivations().keySet()).containsExactly("mlp_hidden.0", "mlp_hidden.1");
    assertThat(two.neuronPreActivations().get("mlp_hidden.0").rows()).isEqualTo(75);
    assertThat(two.neuronPreActivations().get("mlp_hidden.1").rows()).isEqualTo(25);
    assertThat(TransformerChain.names(1)).containsExactly(TransformerChain.NAMES);
    assertThat(TransformerChain.names(3)).hasSize(11).endsWith("resid_post.2", "logits");
  }

  /** Every step of a two-block model, ReLU and GeLU, causal and not, α inside and at the ends. */
  @ParameterizedTest(name = "{0} alpha={1} {2} causal={3}")
  @CsvSource({
    "nanda2023, 1.0, relu,",
    "nanda2023, 0.3, gelu, false",
    "zhong2023, 0.6, gelu,",
    "zhong2023, 0.0, relu, true",
  })
  void jacobianGramsMatchFiniteDifferences(
      String preset, double alpha, String activation, Boolean causal) {
    TransformerChain chain = chain(config(preset, alpha, activation, 2, causal, 5));
    SplittableRandom rng = new SplittableRandom(3);
    for (int l = 0; l < chain.layers() - 1; l++) {
      DoubleMatrix r = LinearAlgebraTests.gaussian(rng, chain.width(l + 1), 3);
      DoubleMatrix exact = chain.jacobianGram(l, r);
      DoubleMatrix numeric = TransformerChainTests.finiteDifferenceGram(chain, l, r, 1e-5);
      assertThat(TransformerChainTests.relativeError(exact, numeric))
          .as(chain.name(l))
          .isLessThan(1e-7);
    }
  }

  @ParameterizedTest(name = "{0} alpha={1} {2} causal={3}")
  @CsvSource({
    "nanda2023, 1.0, relu,",
    "nanda2023, 0.3, gelu, false",
    "zhong2023, 0.6, gelu,",
    "zhong2023, 0.0, relu, true",
  })
  void attributionsMatchFiniteDifferences(
      String preset, double alpha, String activation, Boolean causal) {
    TransformerChain chain = chain(config(preset, alpha, activation, 2, causal, 5));
    List<LayerBasis> b = InteractionGraphTests.bases(chain);
    for (int l = 0; l < chain.layers() - 1; l++) {
      DoubleMatrix exact = chain.edges(l, b.get(l), b.get(l + 1));
      DoubleMatrix numeric =
          InteractionGraphTests.finiteDifferenceEdges(chain, l, b.get(l), b.get(l + 1));
      assertThat(TransformerChainTests.relativeError(exact, numeric))
          .as(chain.name(l))
          .isLessThan(1e-6);
    }
  }

  /**
   * The fast edge ablation equals running each step once per group of output features, and keeping
   * every edge gives the next layer's own features, at every step of a two-block model.
   */
  @ParameterizedTest(name = "{0} alpha={1} {2}")
  @CsvSource({"nanda2023, 1.0, relu", "zhong2023, 0.6, gelu"})
  void fastEdgeAblationEqualsTheGenericOne(String preset, double alpha, String activation) {
    InteractionGraphTests.assertFastAblationIsTheGenericOne(
        chain(config(preset, alpha, activation, 2, null, 7)));
  }

  /**
   * Rebuilding any layer from its kept interaction directions leaves the logits and the next
   * layer's features unchanged to 1e-9, and from all its Gram directions the next layer itself; the
   * first block's three dead neurons are missing from its Gram rank.
   */
  @ParameterizedTest(name = "{0} alpha={1} {2}")
  @CsvSource({"nanda2023, 1.0, relu", "zhong2023, 0.6, gelu"})
  void basisKeepsTheFunction(String preset, double alpha, String activation) {
    TransformerChain chain = chain(config(preset, alpha, activation, 2, null, 7));
    DegeneracyAnalysisTests.assertBasisKeepsTheFunction(chain);
    if (activation.equals("relu")) {
      List<InteractionBases.Layer> layers =
          InteractionBases.build(chain, DegeneracyOptions.defaults());
      assertThat(layers.get(2).gramRank()).isLessThanOrEqualTo(8 + 12 - 3);
    }
  }

  /**
   * The whole analysis of a two-block model through the config entry point: one report layer per
   * node layer in chain order, every full-basis rebuild exact, one synchronised-neuron layer per
   * block, and the graph with every edge kept reproducing the model's accuracy.
   */
  @Test
  void theAnalysisCoversEveryLayerAndBlock() {
    RunConfig c = config("zhong2023", 1.0, "relu", 2, null, 7);
    DegeneracyReport report = DegeneracyAnalysis.of(c, parameters(c), DegeneracyOptions.defaults());
    assertThat(report.layers()).hasSize(8);
    assertThat(report.layers().get(5).name()).isEqualTo("mlp_hidden.1");
    assertThat(report.layers().get(0).positions()).isEqualTo(2);
    assertThat(report.layers().get(4).positions()).isEqualTo(1);
    for (DegeneracyReport.Layer l : report.layers()) {
      assertThat(l.interaction().fullBasisError()).as(l.name()).isLessThan(1e-9);
      assertThat(l.pca().fullBasisError()).as(l.name()).isLessThan(1e-9);
    }
    assertThat(report.synchronisedNeurons()).hasSize(2);
    assertThat(report.synchronisedNeurons().get(0).dead()).isGreaterThanOrEqualTo(3);
    InteractionGraph g = report.interactionGraph();
    assertThat(g.layers()).hasSize(8);
    assertThat(g.allEdgesAccuracy()).isEqualTo(report.accuracy());
    assertThat(report.render()).contains("mlp_hidden.1").contains("resid_post.0");
  }
}
