package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.Parameters;

/** The transformer as a chain computes the model's function, and its M' are the Jacobians'. */
class TransformerChainTests {

  static RunConfig config(
      String preset, double alpha, String activation, int p, int dModel, int dMlp) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("modulus", p);
    m.put("d_model", dModel);
    m.put("n_heads", 2);
    m.put("d_mlp", dMlp);
    m.put("attention_rate", alpha);
    m.put("activation", activation);
    m.put("train_fraction", 0.6);
    m.put("steps", 10);
    m.put("log_interval", 10);
    m.put("precision", "float64");
    m.put("init_seed", 11L);
    return RunConfig.fromMap(m);
  }

  /** Initial weights with non-zero biases and a larger W_Q, W_K (so the softmax is not flat). */
  static Parameters parameters(RunConfig c) {
    Parameters params = Parameters.initialise(c);
    SplittableRandom rng = new SplittableRandom(5);
    for (String name : new String[] {"blocks.0.mlp.b_in", "blocks.0.mlp.b_out"}) {
      INDArray b = params.get(name);
      double[] v = new double[(int) b.length()];
      for (int i = 0; i < v.length; i++) {
        v[i] = 0.3 * rng.nextGaussian();
      }
      b.assign(Nd4j.create(v, b.shape(), DataType.DOUBLE).castTo(b.dataType()));
    }
    params.get("blocks.0.attn.W_Q").muli(3);
    params.get("blocks.0.attn.W_K").muli(3);
    return params;
  }

  /**
   * M' by central finite differences of {@code next}: each coordinate j of each position s is moved
   * by ±step in all inputs at once (inputs do not interact), giving column j of J_s(x) for every x,
   * stacked over the next layer's positions (the row's Jacobian to the whole next layer).
   */
  static DoubleMatrix finiteDifferenceGram(NodeChain chain, int l, DoubleMatrix r, double step) {
    DoubleMatrix f = chain.activations(l);
    int t = chain.positions(l);
    int tOut = chain.positions(l + 1);
    int n = chain.inputs();
    int w = chain.width(l);
    int k = r.cols() * tOut;
    double[][][] kj = new double[n * t][w][];
    for (int s = 0; s < t; s++) {
      for (int j = 0; j < w; j++) {
        double[][] plus = f.toArray();
        double[][] minus = f.toArray();
        for (int x = 0; x < n; x++) {
          plus[x * t + s][j] += step;
          minus[x * t + s][j] -= step;
        }
        DoubleMatrix diff =
            chain
                .next(l, DoubleMatrix.of(plus))
                .minus(chain.next(l, DoubleMatrix.of(minus)))
                .scale(1 / (2 * step))
                .times(r);
        for (int x = 0; x < n; x++) {
          double[] stacked = new double[k];
          for (int tt = 0; tt < tOut; tt++) {
            System.arraycopy(diff.row(x * tOut + tt), 0, stacked, tt * r.cols(), r.cols());
          }
          kj[x * t + s][j] = stacked;
        }
      }
    }
    double[][] m = new double[w][w];
    for (double[][] rowJ : kj) {
      for (int a = 0; a < w; a++) {
        for (int b = 0; b < w; b++) {
          double dot = 0;
          for (int e = 0; e < k; e++) {
            dot += rowJ[a][e] * rowJ[b][e];
          }
          m[a][b] += dot / (n * t);
        }
      }
    }
    return DoubleMatrix.of(m);
  }

  static double relativeError(DoubleMatrix a, DoubleMatrix b) {
    return a.minus(b).maxAbs() / Math.max(b.maxAbs(), 1e-300);
  }

  @ParameterizedTest(name = "{0} alpha={1} {2}")
  @CsvSource({
    "nanda2023, 1.0, relu",
    "nanda2023, 0.3, gelu",
    "zhong2023, 1.0, relu",
    "zhong2023, 0.0, relu",
    "zhong2023, 0.6, gelu",
  })
  void computesTheModelsLogits(String preset, double alpha, String activation) {
    RunConfig c = config(preset, alpha, activation, 7, 8, 12);
    Parameters params = parameters(c);
    TransformerChain chain = TransformerChain.of(c, params);
    ModularAddition data = ModularAddition.of(c);
    int[] all = data.allIndices();
    ModelFunction model = ModelFunction.create(c, params);
    DoubleMatrix expected =
        DoubleMatrix.of(
            model.evaluate(new ModelFunction.Batch(data.tokens(all), data.labels(all))).logits());
    assertThat(relativeError(chain.activations(4), expected)).isLessThan(1e-12);
    assertThat(relativeError(chain.output(0, chain.activations(0)), expected)).isLessThan(1e-12);
    assertThat(chain.gridModulus()).isEqualTo(7);
    assertThat(chain.labels()).isEqualTo(data.labels(all));
    assertThat(chain.positions(0)).isEqualTo(c.contextLength());
    assertThat(chain.width(2)).isEqualTo(8 + 12);
  }

  @ParameterizedTest(name = "{0} alpha={1} {2} layer {3}")
  @CsvSource({
    "nanda2023, 1.0, relu, 0",
    "nanda2023, 0.3, gelu, 0",
    "zhong2023, 1.0, relu, 0",
    "zhong2023, 0.0, relu, 0",
    "zhong2023, 0.6, gelu, 0",
    "nanda2023, 1.0, relu, 1",
    "zhong2023, 0.6, gelu, 1",
    "nanda2023, 1.0, relu, 2",
    "nanda2023, 1.0, relu, 3",
  })
  void jacobianGramsMatchFiniteDifferences(
      String preset, double alpha, String activation, int layer) {
    RunConfig c = config(preset, alpha, activation, 5, 8, 12);
    TransformerChain chain = TransformerChain.of(c, parameters(c));
    SplittableRandom rng = new SplittableRandom(3);
    DoubleMatrix r = LinearAlgebraTests.gaussian(rng, chain.width(layer + 1), 3);
    DoubleMatrix exact = chain.jacobianGram(layer, r);
    DoubleMatrix numeric = finiteDifferenceGram(chain, layer, r, 1e-5);
    assertThat(relativeError(exact, numeric)).isLessThan(1e-7);
    DoubleMatrix exactIdentity =
        chain.jacobianGram(layer, DoubleMatrix.identity(chain.width(layer + 1)));
    DoubleMatrix numericIdentity =
        finiteDifferenceGram(chain, layer, DoubleMatrix.identity(chain.width(layer + 1)), 1e-5);
    assertThat(relativeError(exactIdentity, numericIdentity)).isLessThan(1e-7);
  }
}
