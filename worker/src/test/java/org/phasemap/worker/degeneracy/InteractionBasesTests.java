package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.phasemap.worker.degeneracy.DenseChain.Layer;
import org.phasemap.worker.degeneracy.DenseChain.Nonlinearity;

/** Gram rank, Jacobian rank and the interaction basis on networks whose answers are known. */
class InteractionBasesTests {

  static DoubleMatrix gaussian(SplittableRandom rng, int rows, int cols) {
    return LinearAlgebraTests.gaussian(rng, rows, cols);
  }

  static double[] gaussianVector(SplittableRandom rng, int n) {
    return gaussian(rng, 1, n).row(0);
  }

  static int[] labels(int n, int classes) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % classes;
    }
    return y;
  }

  static List<InteractionBases.Layer> build(NodeChain chain) {
    return InteractionBases.build(chain, DegeneracyOptions.defaults());
  }

  /**
   * A deep linear network 6 → 8 → 5 → 4 whose first map has rank 3: every layer after the input
   * holds a 3-dimensional cloud, and of the input's 6 directions only the 3 that the rank-3 map
   * does not annihilate matter downstream.
   */
  @Test
  void deepLinearNetworkHasTheRankOfItsNarrowestMap() {
    SplittableRandom rng = new SplittableRandom(1);
    DoubleMatrix w1 = gaussian(rng, 6, 3).times(gaussian(rng, 3, 8)); // rank 3
    DenseChain chain =
        DenseChain.of(
            "input",
            gaussian(rng, 200, 6),
            labels(200, 4),
            List.of(
                new Layer("h1", w1, gaussianVector(rng, 8), Nonlinearity.IDENTITY),
                new Layer("h2", gaussian(rng, 8, 5), gaussianVector(rng, 5), Nonlinearity.IDENTITY),
                new Layer(
                    "out", gaussian(rng, 5, 4), gaussianVector(rng, 4), Nonlinearity.IDENTITY)));
    List<InteractionBases.Layer> layers = build(chain);
    assertThat(layers.stream().map(InteractionBases.Layer::gramRank)).containsExactly(6, 3, 3, 3);
    // M' of h2 reads the raw logits through a 5 × 4 map: rank 4; the output's M' is the identity
    assertThat(layers.stream().map(InteractionBases.Layer::jacobianRank))
        .containsExactly(3, 3, 4, 4);
    assertThat(layers.stream().map(l -> l.interaction().size())).containsExactly(3, 3, 3, 3);
    // the numerically zero eigenvalues sit far below the cut
    assertThat(layers.get(1).gramEigenvalues()[3])
        .isLessThan(1e-14 * layers.get(1).gramEigenvalues()[0]);
  }

  /**
   * hidden = ReLU(x W1 + b1) with 4 neurons, logits = hidden W2 with a planted vector v, vᵀ W2 = 0:
   * moving the hidden layer along v changes nothing downstream. Its activations use all 4
   * directions, its Jacobians only 3, and the interaction basis must drop v.
   */
  @Test
  void directionLaterLayersIgnoreIsDropped() {
    SplittableRandom rng = new SplittableRandom(2);
    double[] v = {1, -2, 0.5, 1};
    DoubleMatrix vv = DoubleMatrix.of(new double[][] {v});
    double norm2 = vv.timesTranspose(vv).get(0, 0);
    DoubleMatrix projector = DoubleMatrix.identity(4).minus(vv.transposeTimes(vv).scale(1 / norm2));
    DoubleMatrix w2 = projector.times(gaussian(rng, 4, 4));
    DoubleMatrix x = gaussian(rng, 300, 3);
    DenseChain planted = chain(rng, x, w2);
    List<InteractionBases.Layer> layers = build(planted);
    InteractionBases.Layer hidden = layers.get(1);
    assertThat(hidden.gramRank()).isEqualTo(4);
    assertThat(hidden.jacobianRank()).isEqualTo(3);
    assertThat(hidden.interaction().size()).isEqualTo(3);
    DoubleMatrix cv = hidden.interaction().features().transposeTimes(vv.transpose());
    assertThat(cv.maxAbs())
        .isLessThan(1e-10 * hidden.interaction().features().maxAbs() * Math.sqrt(norm2));
    // the same network without the plant keeps all 4
    DenseChain generic = chain(new SplittableRandom(2), x, gaussian(rng, 4, 4));
    assertThat(build(generic).get(1).jacobianRank()).isEqualTo(4);
    assertThat(build(generic).get(1).interaction().size()).isEqualTo(4);
  }

  private static DenseChain chain(SplittableRandom rng, DoubleMatrix x, DoubleMatrix w2) {
    DoubleMatrix w1 = gaussian(new SplittableRandom(7), 3, 4);
    double[] b1 = {0.3, -0.2, 0.1, 0.4};
    return DenseChain.of(
        "input",
        x,
        labels(x.rows(), 4),
        List.of(
            new Layer("hidden", w1, b1, Nonlinearity.RELU),
            new Layer("out", w2, new double[4], Nonlinearity.IDENTITY)));
  }

  /**
   * The defining properties (SCIENCE.md 3.5): the features f̂ = Cᵀ(f − μ) have Gram matrix Λ, and
   * their Jacobians downstream have Gram matrix I.
   */
  @Test
  void featuresHaveGramLambdaAndJacobianGramIdentity() {
    SplittableRandom rng = new SplittableRandom(3);
    DenseChain chain =
        DenseChain.of(
            "input",
            gaussian(rng, 400, 5),
            labels(400, 3),
            List.of(
                new Layer("hidden", gaussian(rng, 5, 7), gaussianVector(rng, 7), Nonlinearity.RELU),
                new Layer(
                    "out", gaussian(rng, 7, 3), gaussianVector(rng, 3), Nonlinearity.IDENTITY)));
    List<InteractionBases.Layer> layers = build(chain);
    for (int l = 0; l < 2; l++) {
      LayerBasis b = layers.get(l).interaction();
      DoubleMatrix f = b.featureValues(chain.activations(l));
      DoubleMatrix gram = f.transposeTimes(f).scale(1.0 / f.rows());
      DoubleMatrix r =
          l + 1 == 2 ? DoubleMatrix.identity(3) : layers.get(l + 1).interaction().features();
      DoubleMatrix jacobianGram =
          b.directions().transposeTimes(chain.jacobianGram(l, r)).times(b.directions());
      double top = b.eigenvalues()[0];
      for (int i = 0; i < b.size(); i++) {
        for (int j = 0; j < b.size(); j++) {
          double lambda = i == j ? b.eigenvalues()[i] : 0;
          assertThat(Math.abs(gram.get(i, j) - lambda)).isLessThan(1e-9 * top);
          assertThat(Math.abs(jacobianGram.get(i, j) - (i == j ? 1 : 0))).isLessThan(1e-9);
        }
      }
    }
  }
}
