package org.phasemap.worker.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class KeyFrequenciesTests {

  static final int P = 23;

  /** A neuron's activation as a function of the input (a, b). */
  interface Table {
    double at(int a, int b);
  }

  static double w(int k) {
    return 2 * Math.PI * k / P;
  }

  /** [p², neurons] with row a·p + b, one column per table. */
  static INDArray activations(int p, List<Table> neurons) {
    double[][] x = new double[p * p][neurons.size()];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        for (int n = 0; n < neurons.size(); n++) {
          x[a * p + b][n] = neurons.get(n).at(a, b);
        }
      }
    }
    return Nd4j.create(x);
  }

  /**
   * Four kinds of single-frequency neuron per k (a quadratic term plus a constant, a pure
   * sin(w(a+b)), linear terms, a phase-shifted mix), with random amplitudes.
   */
  static List<Table> plantedNeurons(int k, SplittableRandom rng) {
    double amp = 0.5 + rng.nextDouble();
    double phase = rng.nextDouble() * 2 * Math.PI;
    double offset = rng.nextDouble();
    List<Table> t = new ArrayList<>();
    t.add((a, b) -> amp * Math.cos(w(k) * a) * Math.cos(w(k) * b) + 3);
    t.add((a, b) -> amp * Math.sin(w(k) * (a + b)));
    t.add((a, b) -> Math.cos(w(k) * a) + amp * Math.sin(w(k) * b) + offset);
    t.add((a, b) -> Math.cos(w(k) * (a + b) + phase) + 0.3 * Math.sin(w(k) * a));
    return t;
  }

  @Test
  void findsPlantedFrequenciesAndCountsDeadAndNoiseNeurons() {
    SplittableRandom rng = new SplittableRandom(11);
    List<Table> neurons = new ArrayList<>();
    for (int k : new int[] {9, 2, 5}) {
      neurons.addAll(plantedNeurons(k, rng));
    }
    neurons.add((a, b) -> 0);
    neurons.add((a, b) -> 0.7);
    double[][] noise = new double[3][P * P];
    for (double[] n : noise) {
      for (int i = 0; i < n.length; i++) {
        n[i] = rng.nextGaussian();
      }
    }
    for (double[] n : noise) {
      neurons.add((a, b) -> n[a * P + b]);
    }

    KeyFrequencies.Result r = KeyFrequencies.of(activations(P, neurons), P);

    assertThat(r.frequencies()).containsExactly(2, 5, 9);
    assertThat(r.neuronsPerFrequency()).containsExactly(4, 4, 4);
    assertThat(r.dead()).isEqualTo(2);
    assertThat(r.unexplained()).isEqualTo(3);
    assertThat(r.belowFloor()).isZero();
    assertThat(r.bestFrequency())
        .containsExactly(
            9,
            9,
            9,
            9,
            2,
            2,
            2,
            2,
            5,
            5,
            5,
            5,
            0,
            0,
            r.bestFrequency()[14],
            r.bestFrequency()[15],
            r.bestFrequency()[16]);
    double[] shares = r.bestShare();
    for (int n = 0; n < 12; n++) {
      assertThat(shares[n]).as("neuron %d", n).isCloseTo(1.0, within(1e-9));
    }
    assertThat(shares[12]).isZero();
    assertThat(shares[13]).isZero();
    assertThat(shares[14]).isLessThan(0.2);
  }

  @Test
  void canSelectTheLastFrequency() {
    int last = (P - 1) / 2;
    List<Table> neurons = List.of((a, b) -> Math.cos(w(last) * (a + b)));

    assertThat(KeyFrequencies.of(activations(P, neurons), P).frequencies()).containsExactly(last);
  }

  @Test
  void floorDropsAFrequencyOwnedByOneNeuronAmongMany() {
    SplittableRandom rng = new SplittableRandom(12);
    List<Table> neurons = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      neurons.addAll(plantedNeurons(3, rng)); // 120 neurons of frequency 3
    }
    neurons.add((a, b) -> Math.sin(w(7) * (a + b))); // 1 of 121 < 1 %

    INDArray acts = activations(P, neurons);
    KeyFrequencies.Result floored = KeyFrequencies.of(acts, P);
    KeyFrequencies.Result unfloored = KeyFrequencies.of(acts, P, 0.85, 0.0);

    assertThat(floored.frequencies()).containsExactly(3);
    assertThat(floored.neuronsPerFrequency()).containsExactly(120);
    assertThat(floored.belowFloor()).isEqualTo(1);
    assertThat(floored.unexplained()).isZero();
    assertThat(unfloored.frequencies()).containsExactly(3, 7);
    assertThat(unfloored.neuronsPerFrequency()).containsExactly(120, 1);
  }

  @Test
  void floorKeepsAFrequencyAtExactlyTheFloor() {
    List<Table> neurons = new ArrayList<>();
    for (int i = 0; i < 99; i++) {
      neurons.add((a, b) -> Math.cos(w(4) * (a + b)));
    }
    neurons.add((a, b) -> Math.cos(w(8) * (a + b))); // exactly 1 of 100 live neurons

    assertThat(KeyFrequencies.of(activations(P, neurons), P).frequencies()).containsExactly(4, 8);
  }

  @Test
  void thresholdDecidesWhetherAMixedNeuronIsExplained() {
    // 80 % of the squared norm at frequency 2, 20 % at frequency 6.
    List<Table> neurons =
        List.of((a, b) -> 2 * Math.cos(w(2) * (a + b)) + Math.cos(w(6) * (a + b)));

    KeyFrequencies.Result strict = KeyFrequencies.of(activations(P, neurons), P);
    KeyFrequencies.Result loose = KeyFrequencies.of(activations(P, neurons), P, 0.75, 0.01);

    assertThat(strict.bestShare()[0]).isCloseTo(0.8, within(1e-12));
    assertThat(strict.frequencies()).isEmpty();
    assertThat(strict.unexplained()).isEqualTo(1);
    assertThat(loose.frequencies()).containsExactly(2);
  }

  @Test
  void blockSharesIgnoreCrossFrequencyTerms() {
    double[][] shares =
        KeyFrequencies.blockShares(
            activations(P, List.of((a, b) -> Math.cos(w(3) * a) * Math.sin(w(10) * b))), P);

    // cos 3 ⊗ sin 10 lies outside every 3×3 block: no frequency explains any of it.
    assertThat(shares[0]).hasSize(11);
    for (double share : shares[0]) {
      assertThat(share).isCloseTo(0, within(1e-12));
    }
  }

  @Test
  void blockSharesMatchABruteForceTransform() {
    int p = 7;
    int m = 5;
    double[][] x = new double[p * p][m];
    SplittableRandom rng = new SplittableRandom(14);
    for (double[] row : x) {
      for (int n = 0; n < m; n++) {
        row[n] = Math.max(0, rng.nextGaussian()); // ReLU-like, not symmetric in a and b
      }
    }
    double[][] b = FourierBasis.of(p);

    double[][] shares = KeyFrequencies.blockShares(Nd4j.create(x), p);

    for (int n = 0; n < m; n++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[n] / (p * p);
      }
      // Ñ[i][j] = Σ_{a,b} B[i][a] B[j][b] (N[a][b] − mean)
      double[][] t = new double[p][p];
      double total = 0;
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          for (int a = 0; a < p; a++) {
            for (int bb = 0; bb < p; bb++) {
              t[i][j] += b[i][a] * b[j][bb] * (x[a * p + bb][n] - mean);
            }
          }
          total += t[i][j] * t[i][j];
        }
      }
      for (int k = 1; k <= 3; k++) {
        int[] block = {0, 2 * k - 1, 2 * k};
        double inBlock = 0;
        for (int i : block) {
          for (int j : block) {
            inBlock += t[i][j] * t[i][j];
          }
        }
        assertThat(shares[n][k - 1])
            .as("neuron %d, k %d", n, k)
            .isCloseTo(inBlock / total, within(1e-12));
      }
    }
  }

  @Test
  void viewsAndFortranOrderGiveTheSameClusters() {
    SplittableRandom rng = new SplittableRandom(15);
    List<Table> neurons = new ArrayList<>(plantedNeurons(6, rng));
    neurons.add((a, b) -> Math.max(0, Math.cos(w(1) * a + 1.3 * b)));
    INDArray acts = activations(P, neurons);
    INDArray wider = Nd4j.hstack(Nd4j.zeros(DataType.DOUBLE, P * P, 2), acts);
    INDArray view = wider.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 2 + neurons.size()));

    KeyFrequencies.Result expected = KeyFrequencies.of(acts, P);

    assertThat(view.isView()).isTrue();
    assertThat(KeyFrequencies.of(view, P)).isEqualTo(expected);
    assertThat(KeyFrequencies.of(acts.dup('f'), P)).isEqualTo(expected);
    assertThat(expected.frequencies()).containsExactly(6);
  }

  @Test
  void floatActivationsGiveTheSameClusters() {
    SplittableRandom rng = new SplittableRandom(13);
    List<Table> neurons = new ArrayList<>(plantedNeurons(4, rng));
    neurons.addAll(plantedNeurons(10, rng));
    INDArray acts = activations(P, neurons);

    KeyFrequencies.Result fromFloat = KeyFrequencies.of(acts.castTo(DataType.FLOAT), P);

    assertThat(fromFloat.frequencies()).containsExactly(4, 10);
    assertThat(fromFloat.bestShare())
        .containsExactly(KeyFrequencies.of(acts, P).bestShare(), within(1e-5));
  }

  @Test
  void rejectsActivationsOfTheWrongShape() {
    assertThatThrownBy(() -> KeyFrequencies.of(Nd4j.zeros(DataType.DOUBLE, 24, 3), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot find key frequencies: expected activations of shape [25, d_mlp] (got [24, 3])");
  }

  @Test
  void rejectsAThresholdOutsideTheUnitInterval() {
    assertThatThrownBy(() -> KeyFrequencies.of(Nd4j.zeros(DataType.DOUBLE, 25, 3), 5, 0, 0.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find key frequencies: threshold must be in (0, 1] (got 0.0)");
  }

  @Test
  void rejectsAFloorAboveOne() {
    assertThatThrownBy(() -> KeyFrequencies.of(Nd4j.zeros(DataType.DOUBLE, 25, 3), 5, 0.85, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find key frequencies: floorShare must be in [0, 1] (got 1.5)");
  }

  @Test
  void runsAtFullSize() {
    int p = 113;
    int neurons = 512;
    INDArray acts = Nd4j.rand(DataType.FLOAT, (long) p * p, neurons);

    KeyFrequencies.Result r = KeyFrequencies.of(acts, p);

    assertThat(r.bestFrequency()).hasSize(neurons);
    assertThat(r.bestShare()).hasSize(neurons);
    assertThat(
            r.dead()
                + r.unexplained()
                + r.belowFloor()
                + java.util.Arrays.stream(r.neuronsPerFrequency()).sum())
        .isEqualTo(neurons);
  }
}
