package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.degeneracy.DenseChain.Layer;
import org.phasemap.worker.degeneracy.DenseChain.Nonlinearity;

/**
 * Edges, edges needed and modularity of the interaction graph on networks whose answer is known.
 */
class InteractionGraphTests {

  static DoubleMatrix gaussian(SplittableRandom rng, int rows, int cols) {
    return LinearAlgebraTests.gaussian(rng, rows, cols);
  }

  static List<LayerBasis> bases(NodeChain chain) {
    return InteractionBases.build(chain, DegeneracyOptions.defaults()).stream()
        .map(InteractionBases.Layer::interaction)
        .toList();
  }

  static InteractionGraph graph(NodeChain chain) {
    double accuracy =
        org.phasemap.worker.measure.CrossEntropy.accuracy(
            chain.activations(chain.layers() - 1).toArray(), chain.labels());
    return InteractionGraph.of(chain, bases(chain), accuracy, DegeneracyOptions.defaults());
  }

  /** Every combination (row of a, row of b) side by side, a-major: a factorial design. */
  static DoubleMatrix factorial(double[][] a, double[][] b) {
    double[][] x = new double[a.length * b.length][];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        double[] row = new double[a[i].length + b[j].length];
        System.arraycopy(a[i], 0, row, 0, a[i].length);
        System.arraycopy(b[j], 0, row, a[i].length, b[j].length);
        x[i * b.length + j] = row;
      }
    }
    return DoubleMatrix.of(x);
  }

  static int[] labels(int n, int classes) {
    return InteractionBasesTests.labels(n, classes);
  }

  static long nonZero(InteractionGraph g) {
    double max = g.edges().get(0).weight();
    return g.edges().stream().filter(e -> e.weight() > 1e-12 * max).count();
  }

  /**
   * x1 and x2 vary independently (a factorial design, so their sample covariance is exactly zero);
   * the hidden layer is (3 x1, x2), the logits (h1, 2 h2). Every layer's interaction directions are
   * the coordinate axes, and each output direction reads one input direction only: the edge from
   * the other is zero. 2·2 + 2·2 = 8 edges, 4 of them non-zero, one per (direction, next direction)
   * on the diagonal.
   */
  @Test
  void anOutputDirectionThatReadsOneInputDirectionHasNoEdgeFromTheOther() {
    double[][] x1 = {{-3}, {-1}, {1}, {3}};
    double[][] x2 = {{-1}, {0}, {1}};
    DoubleMatrix input = factorial(x1, x2);
    DenseChain chain =
        DenseChain.of(
            "input",
            input,
            labels(input.rows(), 2),
            List.of(
                new Layer(
                    "hidden",
                    DoubleMatrix.of(new double[][] {{3, 0}, {0, 1}}),
                    new double[] {0.5, -0.2},
                    Nonlinearity.IDENTITY),
                new Layer(
                    "logits",
                    DoubleMatrix.of(new double[][] {{1, 0}, {0, 2}}),
                    new double[2],
                    Nonlinearity.IDENTITY)));

    InteractionGraph g = graph(chain);

    assertThat(g.directions()).containsExactly(2, 2, 2);
    assertThat(g.edgesTotal()).isEqualTo(8);
    assertThat(nonZero(g)).isEqualTo(4);
    double max = g.edges().get(0).weight();
    for (InteractionGraph.Edge e : g.edges()) {
      if (e.from() != e.to()) {
        assertThat(e.weight()).as(e.toString()).isLessThan(1e-20 * max);
      } else {
        assertThat(e.weight()).as(e.toString()).isGreaterThan(1e-3 * max);
      }
    }
  }

  /**
   * On a linear step the Jacobian of the features is constant with Gram matrix I, so the edges out
   * of input direction j add up to its eigenvalue Λ_j: E_ij = (C_iᵀ J E_j)² Λ_j, Σ_i (C_iᵀ J E_j)²
   * = 1. A random linear network 5 → 4 → 3 with a bias.
   */
  @Test
  void edgesOutOfADirectionOfALinearStepAddUpToItsEigenvalue() {
    SplittableRandom rng = new SplittableRandom(4);
    DenseChain chain =
        DenseChain.of(
            "input",
            gaussian(rng, 120, 5),
            labels(120, 3),
            List.of(
                new Layer(
                    "hidden",
                    gaussian(rng, 5, 4),
                    gaussian(rng, 1, 4).row(0),
                    Nonlinearity.IDENTITY),
                new Layer(
                    "logits",
                    gaussian(rng, 4, 3),
                    gaussian(rng, 1, 3).row(0),
                    Nonlinearity.IDENTITY)));
    List<LayerBasis> b = bases(chain);
    for (int l = 0; l < 2; l++) {
      DoubleMatrix e = chain.edges(l, b.get(l), b.get(l + 1));
      double[] lambda = b.get(l).eigenvalues();
      for (int j = 0; j < e.cols(); j++) {
        double sum = 0;
        for (int i = 0; i < e.rows(); i++) {
          sum += e.get(i, j);
        }
        assertThat(sum)
            .as("step " + l + ", direction " + j)
            .isCloseTo(lambda[j], within(1e-9 * lambda[0]));
      }
    }
  }

  /**
   * Two ReLU networks 2 → 4 → 1 side by side with block-diagonal weights, each on its own inputs
   * (all combinations of 10 points of each, so the blocks are exactly uncorrelated); the second is
   * the first with inputs and biases scaled by 1.05 (ReLU is positively homogeneous), so its
   * activations are 1.05 times the first's and its edges 1.05² times: no eigenvalue is shared
   * between blocks, so every direction lies in one block. No edge crosses; Louvain finds the two
   * blocks (each a small tree: one logit direction, one hidden direction, the input directions that
   * feed it), and Q = 1 − a² − b² for the blocks' weight shares a = 1/(1 + 1.05²), b = 1 − a:
   * 0.4994.
   */
  @Test
  void twoIndependentSubNetworksAreTwoCommunities() {
    SplittableRandom rng = new SplittableRandom(7);
    double s = 1.05;
    DoubleMatrix pointsA = gaussian(rng, 10, 2);
    DoubleMatrix w1 = gaussian(rng, 2, 4);
    double[] b1 = gaussian(rng, 1, 4).row(0);
    DoubleMatrix w2 = gaussian(rng, 4, 1);
    double[][] big1 = new double[4][8];
    double[] bigB1 = new double[8];
    double[][] big2 = new double[8][2];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 4; j++) {
        big1[i][j] = w1.get(i, j);
        big1[i + 2][j + 4] = w1.get(i, j);
      }
    }
    for (int j = 0; j < 4; j++) {
      bigB1[j] = b1[j];
      bigB1[j + 4] = s * b1[j];
      big2[j][0] = w2.get(j, 0);
      big2[j + 4][1] = w2.get(j, 0);
    }
    DoubleMatrix input = factorial(pointsA.toArray(), pointsA.scale(s).toArray());
    DenseChain chain =
        DenseChain.of(
            "input",
            input,
            labels(input.rows(), 2),
            List.of(
                new Layer("hidden", DoubleMatrix.of(big1), bigB1, Nonlinearity.RELU),
                new Layer("logits", DoubleMatrix.of(big2), new double[2], Nonlinearity.IDENTITY)));
    List<LayerBasis> b = bases(chain);

    InteractionGraph g = graph(chain);

    // which block each direction lies in: its feature vector C reads coordinates of one block only
    List<boolean[]> inFirst = new ArrayList<>();
    int[] half = {2, 4, 1};
    for (int l = 0; l < 3; l++) {
      DoubleMatrix c = b.get(l).features();
      boolean[] first = new boolean[c.cols()];
      for (int i = 0; i < c.cols(); i++) {
        double lo = 0;
        double hi = 0;
        for (int r = 0; r < c.rows(); r++) {
          double v = c.get(r, i) * c.get(r, i);
          if (r < half[l]) {
            lo += v;
          } else {
            hi += v;
          }
        }
        assertThat(Math.min(lo, hi)).isLessThan(1e-20 * Math.max(lo, hi));
        first[i] = lo > hi;
      }
      inFirst.add(first);
    }
    double max = g.edges().get(0).weight();
    double[] blockWeight = new double[2];
    for (InteractionGraph.Edge e : g.edges()) {
      boolean a = inFirst.get(e.layer())[e.from()];
      boolean z = inFirst.get(e.layer() + 1)[e.to()];
      if (a != z) {
        assertThat(e.weight()).as("crossing " + e).isLessThan(1e-20 * max);
      } else {
        blockWeight[a ? 0 : 1] += e.weight();
      }
    }
    assertThat(blockWeight[1] / blockWeight[0]).isCloseTo(s * s, within(1e-9));
    assertThat(g.communities()).isEqualTo(2);
    Integer[] blockCommunity = new Integer[2];
    for (int l = 0; l < 3; l++) {
      for (int i = 0; i < g.directions()[l]; i++) {
        int block = inFirst.get(l)[i] ? 0 : 1;
        int community = g.community().get(l)[i];
        if (blockCommunity[block] == null) {
          blockCommunity[block] = community;
        }
        assertThat(community).as("layer " + l + " direction " + i).isEqualTo(blockCommunity[block]);
      }
    }
    assertThat(blockCommunity[0]).isNotEqualTo(blockCommunity[1]);
    double a = 1 / (1 + s * s);
    assertThat(g.modularity()).isCloseTo(1 - a * a - (1 - a) * (1 - a), within(1e-9));
    assertThat(g.modularity()).isCloseTo(0.5, within(0.005));
  }

  /**
   * Four classes at (±2, 0) and (0, ±1), carried through an identity hidden layer to logits (x1,
   * −x1, x2, −x2) plus a bias of 0.5 on class 0, so that a class whose path is cut falls to class 0
   * for certain. The graph has two non-zero paths of two edges each (x1 and x2), and accuracy 1
   * needs both: 4 edges. With none, every input reads class 0 (accuracy 1/4); with one path cut,
   * half or three quarters.
   */
  @Test
  void edgesNeededIsBothPathsOfTwoIndependentSignals() {
    double[][] x = {{2, 0}, {-2, 0}, {0, 1}, {0, -1}};
    DenseChain chain =
        DenseChain.of(
            "input",
            DoubleMatrix.of(x),
            new int[] {0, 1, 2, 3},
            List.of(
                new Layer(
                    "hidden",
                    DoubleMatrix.of(new double[][] {{1, 0}, {0, 1}}),
                    new double[2],
                    Nonlinearity.IDENTITY),
                new Layer(
                    "logits",
                    DoubleMatrix.of(new double[][] {{1, -1, 0, 0}, {0, 0, 1, -1}}),
                    new double[] {0.5, 0, 0, 0},
                    Nonlinearity.IDENTITY)));

    InteractionGraph g = graph(chain);

    assertThat(g.edgesTotal()).isEqualTo(8);
    assertThat(nonZero(g)).isEqualTo(4);
    assertThat(g.edgesNeeded()).isEqualTo(4);
    assertThat(g.keptEdges()).containsExactly(0, 1, 2, 3, 4, 8);
    double[] acc = g.accuracy();
    assertThat(acc[0]).isEqualTo(0.25);
    assertThat(acc[3]).isLessThanOrEqualTo(0.75);
    assertThat(acc[4]).isEqualTo(1.0);
    assertThat(g.allEdgesAccuracy()).isEqualTo(1.0);
    assertThat(g.targetAccuracy()).isCloseTo(0.999, within(1e-15));
  }

  /**
   * The attribution, gradient times input summed over input positions and squared, against central
   * finite differences of the chain's own {@code next}: input feature j at position s moved by ±h
   * along E[:, j] in every input at once.
   */
  static DoubleMatrix finiteDifferenceEdges(NodeChain chain, int l, LayerBasis in, LayerBasis out) {
    DoubleMatrix f = chain.activations(l);
    int t = chain.positions(l);
    int tOut = chain.positions(l + 1);
    int n = chain.inputs();
    int kIn = in.size();
    int kOut = out.size();
    DoubleMatrix features = in.featureValues(f);
    double[] rms = GraphEdges.rootMeanSquares(features);
    double[][][] contribution = new double[n * tOut][kOut][kIn];
    for (int s = 0; s < t; s++) {
      for (int j = 0; j < kIn; j++) {
        double h = 1e-5 * rms[j];
        double[][] plus = f.toArray();
        double[][] minus = f.toArray();
        for (int x = 0; x < n; x++) {
          for (int c = 0; c < f.cols(); c++) {
            plus[x * t + s][c] += h * in.directions().get(c, j);
            minus[x * t + s][c] -= h * in.directions().get(c, j);
          }
        }
        DoubleMatrix d =
            chain
                .next(l, DoubleMatrix.of(plus))
                .minus(chain.next(l, DoubleMatrix.of(minus)))
                .scale(1 / (2 * h))
                .times(out.features());
        for (int x = 0; x < n; x++) {
          for (int tt = 0; tt < tOut; tt++) {
            for (int i = 0; i < kOut; i++) {
              contribution[x * tOut + tt][i][j] +=
                  d.get(x * tOut + tt, i) * features.get(x * t + s, j);
            }
          }
        }
      }
    }
    double[][] e = new double[kOut][kIn];
    for (double[][] c : contribution) {
      for (int i = 0; i < kOut; i++) {
        for (int j = 0; j < kIn; j++) {
          e[i][j] += c[i][j] * c[i][j] / (n * t);
        }
      }
    }
    return DoubleMatrix.of(e);
  }

  @Test
  void attributionsOfANonlinearDenseChainMatchFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(12);
    DenseChain chain =
        DenseChain.of(
            "input",
            gaussian(rng, 40, 4),
            labels(40, 3),
            List.of(
                new Layer("h1", gaussian(rng, 4, 6), gaussian(rng, 1, 6).row(0), Nonlinearity.RELU),
                new Layer("h2", gaussian(rng, 6, 5), gaussian(rng, 1, 5).row(0), Nonlinearity.RELU),
                new Layer(
                    "logits",
                    gaussian(rng, 5, 3),
                    gaussian(rng, 1, 3).row(0),
                    Nonlinearity.IDENTITY)));
    List<LayerBasis> b = bases(chain);
    for (int l = 0; l < 3; l++) {
      DoubleMatrix exact = chain.edges(l, b.get(l), b.get(l + 1));
      DoubleMatrix numeric = finiteDifferenceEdges(chain, l, b.get(l), b.get(l + 1));
      assertThat(TransformerChainTests.relativeError(exact, numeric))
          .as("step " + l)
          .isLessThan(1e-6);
    }
  }

  @ParameterizedTest(name = "{0} alpha={1} {2}")
  @CsvSource({
    "nanda2023, 1.0, relu",
    "nanda2023, 0.3, gelu",
    "zhong2023, 1.0, relu",
    "zhong2023, 0.0, relu",
    "zhong2023, 0.6, gelu",
  })
  void attributionsOfATransformerMatchFiniteDifferences(
      String preset, double alpha, String activation) {
    RunConfig c = TransformerChainTests.config(preset, alpha, activation, 5, 8, 12);
    TransformerChain chain = TransformerChain.of(c, TransformerChainTests.parameters(c));
    List<LayerBasis> b = bases(chain);
    for (int l = 0; l < 4; l++) {
      DoubleMatrix exact = chain.edges(l, b.get(l), b.get(l + 1));
      DoubleMatrix numeric = finiteDifferenceEdges(chain, l, b.get(l), b.get(l + 1));
      assertThat(TransformerChainTests.relativeError(exact, numeric))
          .as(chain.name(l))
          .isLessThan(1e-6);
    }
  }

  /**
   * The transformer's fast edge ablation (distinct rows for attention, kept-or-dropped columns for
   * the MLP, one product for the affine steps) equals running each step once per group of output
   * features, for random masks with some rows all kept and some all dropped; and keeping every edge
   * gives the next layer's own features.
   */
  @ParameterizedTest(name = "{0} alpha={1} {2}")
  @CsvSource({"nanda2023, 1.0, relu", "zhong2023, 0.6, gelu"})
  void fastEdgeAblationOfATransformerEqualsTheGenericOne(
      String preset, double alpha, String activation) {
    RunConfig c = TransformerChainTests.config(preset, alpha, activation, 7, 8, 12);
    TransformerChain chain = TransformerChain.of(c, DegeneracyAnalysisTests.handBuilt(c));
    assertFastAblationIsTheGenericOne(chain);
  }

  /**
   * At every step of {@code chain}: the chain's own edge ablation equals the generic one (rebuild
   * per group, run the step) to 1e-10 on a random keep pattern, and keeping every edge gives the
   * next layer's features to 1e-9.
   */
  static void assertFastAblationIsTheGenericOne(TransformerChain chain) {
    List<LayerBasis> b = bases(chain);
    SplittableRandom rng = new SplittableRandom(2);
    for (int l = 0; l < chain.layers() - 1; l++) {
      LayerBasis in = b.get(l);
      LayerBasis out = b.get(l + 1);
      DoubleMatrix features = in.featureValues(chain.activations(l));
      boolean[][] keep = new boolean[out.size()][in.size()];
      boolean[][] all = new boolean[out.size()][in.size()];
      for (int i = 0; i < out.size(); i++) {
        for (int j = 0; j < in.size(); j++) {
          keep[i][j] = i % 5 == 0 || (i % 5 != 1 && rng.nextBoolean());
          all[i][j] = true;
        }
      }
      DoubleMatrix fast = chain.ablatedNext(l, in, features, out, keep);
      DoubleMatrix generic = GraphEdges.groupedNext(chain, l, in, features, out, keep);
      assertThat(TransformerChainTests.relativeError(fast, generic))
          .as(chain.name(l))
          .isLessThan(1e-10);
      assertThat(
              TransformerChainTests.relativeError(
                  chain.ablatedNext(l, in, features, out, all),
                  out.featureValues(chain.activations(l + 1))))
          .as(chain.name(l) + ", all edges")
          .isLessThan(1e-9);
    }
  }

  /**
   * The whole analysis of a hand-built transformer carries the graph: every edge kept reproduces
   * the model's accuracy, the counts and the modularity reach the report, its JSON and its text;
   * without the graph the report has none.
   */
  @Test
  void theReportCarriesTheGraph() {
    RunConfig c = TransformerChainTests.config("zhong2023", 1.0, "relu", 7, 8, 12);
    TransformerChain chain = TransformerChain.of(c, DegeneracyAnalysisTests.handBuilt(c));

    DegeneracyReport report = DegeneracyAnalysis.of(chain, DegeneracyOptions.defaults());

    InteractionGraph g = report.interactionGraph();
    assertThat(g).isNotNull();
    assertThat(g.layers()).containsExactly(TransformerChain.NAMES);
    int total = 0;
    for (int l = 0; l < 4; l++) {
      assertThat(g.directions()[l]).isEqualTo(report.layers().get(l).directionsKept());
      total += g.directions()[l] * g.directions()[l + 1];
    }
    assertThat(g.edgesTotal()).isEqualTo(total);
    assertThat(g.allEdgesAccuracy()).isEqualTo(report.accuracy());
    assertThat(g.edgesNeeded()).isBetween(0, total);
    assertThat(g.communities()).isPositive();
    for (int i = 1; i < g.edges().size(); i++) {
      assertThat(g.edges().get(i).weight()).isLessThanOrEqualTo(g.edges().get(i - 1).weight());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) report.toMap().get("interaction_graph");
    assertThat(m)
        .containsEntry("edges_total", total)
        .containsEntry("edges_needed", g.edgesNeeded())
        .containsEntry("modularity", g.modularity())
        .containsEntry("communities", g.communities());
    assertThat((List<?>) m.get("edges")).hasSize(total);
    assertThat(((List<?>) m.get("edges")).get(0))
        .isEqualTo(
            Map.of(
                "layer",
                g.edges().get(0).layer(),
                "from",
                g.edges().get(0).from(),
                "to",
                g.edges().get(0).to(),
                "weight",
                g.edges().get(0).weight()));
    assertThat(report.render())
        .contains("interaction graph: " + total + " edges")
        .contains("edges needed for accuracy >= ")
        .contains("modularity");

    DegeneracyReport without =
        DegeneracyAnalysis.of(chain, DegeneracyOptions.defaults().withoutInteractionGraph());
    assertThat(without.interactionGraph()).isNull();
    assertThat(without.toMap()).doesNotContainKey("interaction_graph");
    assertThat(without.render()).doesNotContain("interaction graph");
  }
}
