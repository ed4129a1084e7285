package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.phasemap.worker.degeneracy.DenseChain.Layer;
import org.phasemap.worker.degeneracy.DenseChain.Nonlinearity;

/** Synchronised ReLUs (Bushnaq et al.'s third source of degeneracy). */
class SynchronisedNeuronsTests {

  /**
   * Six ReLU neurons: neuron 5 is neuron 2 scaled by 2.5 (same firing set), neuron 3 never fires,
   * neuron 4 always fires; the others are random. Exactly one synchronised pair.
   */
  @Test
  void duplicatedNeuronIsASynchronisedPair() {
    SplittableRandom rng = new SplittableRandom(4);
    double[][] w = LinearAlgebraTests.gaussian(rng, 3, 6).toArray();
    double[] b = {0.1, -0.3, 0.2, -1e3, 1e3, 0};
    for (int i = 0; i < 3; i++) {
      w[i][5] = 2.5 * w[i][2];
    }
    b[5] = 2.5 * b[2];
    DenseChain chain =
        DenseChain.of(
            "input",
            LinearAlgebraTests.gaussian(rng, 500, 3),
            new int[500],
            List.of(
                new Layer("hidden", DoubleMatrix.of(w), b, Nonlinearity.RELU),
                new Layer(
                    "out",
                    LinearAlgebraTests.gaussian(rng, 6, 2),
                    new double[2],
                    Nonlinearity.IDENTITY)));
    DegeneracyReport report = DegeneracyAnalysis.of(chain, DegeneracyOptions.defaults());
    assertThat(report.synchronisedNeurons()).hasSize(1);
    SynchronisedNeurons s = report.synchronisedNeurons().get(0);
    assertThat(s.layer()).isEqualTo("hidden");
    assertThat(s.neurons()).isEqualTo(6);
    assertThat(s.dead()).isEqualTo(1);
    assertThat(s.alwaysOn()).isEqualTo(1);
    assertThat(s.exactGroups()).isEqualTo(1);
    assertThat(s.neuronsInExactGroups()).isEqualTo(2);
    assertThat(s.groups()).isEqualTo(1);
    assertThat(s.groupSizes()).containsExactly(2);
  }

  @Test
  void toleranceIsRelativeToWhereTheNeuronsFire() {
    int n = 1000;
    double[][] pre = new double[n][4];
    for (int i = 0; i < n; i++) {
      pre[i][0] = i < 500 ? 1 : -1; // fires on 0 … 499
      pre[i][1] = i < 503 ? 1 : -1; // 3 more: Jaccard distance 3/503
      pre[i][2] = i == 900 ? 1 : -1; // fires once
      pre[i][3] = i == 901 ? 1 : -1; // fires once, elsewhere: differ on 0.2 % of all inputs
    }
    DoubleMatrix m = DoubleMatrix.of(pre);
    SynchronisedNeurons exact = SynchronisedNeurons.find("mlp", m, 0);
    assertThat(exact.exactGroups()).isZero();
    assertThat(exact.groups()).isZero();
    SynchronisedNeurons loose = SynchronisedNeurons.find("mlp", m, 0.01);
    assertThat(loose.exactGroups()).isZero();
    assertThat(loose.groups()).isEqualTo(1);
    assertThat(loose.groupSizes()).containsExactly(2);
    assertThatThrownBy(() -> SynchronisedNeurons.find("mlp", m, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find synchronised neurons: tolerance must be in [0, 1) (got 1.0)");
  }
}
