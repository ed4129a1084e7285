package org.phasemap.worker.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LogitProjectionsTests {

  static final int P = 23;
  static final int[] KEYS = {2, 5};

  static double w(int k) {
    return 2 * Math.PI * k / P;
  }

  static double[] bias() {
    return new SplittableRandom(21).doubles(P, -0.05, 0.05).toArray();
  }

  /**
   * L[a·p+b][c] = 4 cos(w_2(a+b−c)) + 3 cos(w_5(a+b−c)) + bias[c]: per column, a combination of
   * cos/sin(w_k(a+b)) for the key frequencies plus a constant, with its argmax at c = a + b.
   */
  static double[][] keyFrequencyLogits() {
    double[] bias = bias();
    double[][] l = new double[P * P][P];
    for (int a = 0; a < P; a++) {
      for (int b = 0; b < P; b++) {
        for (int c = 0; c < P; c++) {
          l[a * P + b][c] =
              4 * Math.cos(w(2) * (a + b - c)) + 3 * Math.cos(w(5) * (a + b - c)) + bias[c];
        }
      }
    }
    return l;
  }

  static double[][] randomLogits(int p, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] l = new double[p * p][p];
    for (double[] row : l) {
      for (int c = 0; c < p; c++) {
        row[c] = rng.nextGaussian();
      }
    }
    return l;
  }

  /** A seeded 30 % training split of the p² pair indices. */
  static int[] trainRows(int p, long seed) {
    int[] order = new int[p * p];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return Arrays.copyOf(order, (int) (0.3 * p * p));
  }

  static int[] labels(int[] rows, int p) {
    return Arrays.stream(rows).map(r -> (r / p + r % p) % p).toArray();
  }

  static int[] allRows(int p) {
    return java.util.stream.IntStream.range(0, p * p).toArray();
  }

  static double[][] pick(double[][] l, int[] rows) {
    return Arrays.stream(rows).mapToObj(r -> l[r]).toArray(double[][]::new);
  }

  static double maxAbsDifference(INDArray x, double[][] y) {
    double[][] xs = x.toDoubleMatrix();
    double worst = 0;
    for (int r = 0; r < y.length; r++) {
      for (int c = 0; c < y[r].length; c++) {
        worst = Math.max(worst, Math.abs(xs[r][c] - y[r][c]));
      }
    }
    return worst;
  }

  @Test
  void restrictingAKeyFrequencyTableChangesNothing() {
    double[][] l = keyFrequencyLogits();
    int[] all = allRows(P);
    assertThat(CrossEntropy.accuracy(l, labels(all, P)))
        .as("planted table is correct")
        .isEqualTo(1.0);

    assertThat(maxAbsDifference(LogitProjections.restrictedLogits(Nd4j.create(l), P, KEYS), l))
        .isLessThan(1e-9);
    assertThat(LogitProjections.restrictedLoss(Nd4j.create(l), P, KEYS))
        .isCloseTo(CrossEntropy.loss(l, labels(all, P)), within(1e-9));
    assertThat(LogitProjections.restrictedAccuracy(Nd4j.create(l), P, KEYS)).isEqualTo(1.0);
  }

  @Test
  void excludingTheKeyFrequenciesLeavesOnlyTheBias() {
    double[][] l = keyFrequencyLogits();
    double[] bias = bias();
    double[][] biasOnly = new double[P * P][];
    Arrays.fill(biasOnly, bias);

    assertThat(maxAbsDifference(LogitProjections.excludedLogits(Nd4j.create(l), P, KEYS), biasOnly))
        .isLessThan(1e-9);
  }

  @Test
  void excludedLossAndAccuracyAreThoseOfTheBiasOnTheTrainingRows() {
    double[][] l = keyFrequencyLogits();
    double[] bias = bias();
    int[] train = trainRows(P, 3);
    int[] labels = labels(train, P);
    double logSumExp = Math.log(Arrays.stream(bias).map(Math::exp).sum());
    double expectedLoss =
        Arrays.stream(labels).mapToDouble(y -> logSumExp - bias[y]).average().orElseThrow();
    int top = CrossEntropy.argmax(bias);
    double expectedAccuracy =
        Arrays.stream(labels).filter(y -> y == top).count() / (double) train.length;

    assertThat(LogitProjections.excludedLoss(Nd4j.create(l), P, KEYS, train))
        .isCloseTo(expectedLoss, within(1e-9))
        .isGreaterThan(Math.log(P) - 0.1);
    assertThat(LogitProjections.excludedAccuracy(Nd4j.create(l), P, KEYS, train))
        .isEqualTo(expectedAccuracy);
  }

  @Test
  void projectorIsIdempotent() {
    INDArray l = Nd4j.create(randomLogits(P, 4));
    INDArray once = LogitProjections.project(l, P, new int[] {1, 7, 11});

    assertThat(
            maxAbsDifference(
                LogitProjections.project(once, P, new int[] {1, 7, 11}), once.toDoubleMatrix()))
        .isLessThan(1e-12);
    assertThat(once.norm2Number().doubleValue()).isGreaterThan(0.1);
  }

  @Test
  void projectorIsSymmetric() {
    INDArray x = Nd4j.create(randomLogits(P, 5));
    INDArray y = Nd4j.create(randomLogits(P, 6));
    int[] keys = {3, 4, 10};

    double xPy = x.mul(LogitProjections.project(y, P, keys)).sumNumber().doubleValue();
    double pxY = LogitProjections.project(x, P, keys).mul(y).sumNumber().doubleValue();

    assertThat(xPy).isCloseTo(pxY, within(1e-10));
  }

  @Test
  void projectorIgnoresFunctionsOfAOrOfTheDifference() {
    double[][] l = new double[P * P][P];
    for (int a = 0; a < P; a++) {
      for (int b = 0; b < P; b++) {
        for (int c = 0; c < P; c++) {
          l[a * P + b][c] = (c + 1) * (Math.cos(w(2) * a) + Math.sin(w(2) * (a - b)));
        }
      }
    }

    assertThat(
            LogitProjections.project(Nd4j.create(l), P, new int[] {2}).norm2Number().doubleValue())
        .isLessThan(1e-9);
  }

  @Test
  void sumDirectionsAreOrthonormal() {
    int[] all = java.util.stream.IntStream.rangeClosed(1, 11).toArray();
    INDArray u = LogitProjections.directions(P, all);

    INDArray gram = u.transpose().mmul(u);

    assertThat(u.shape()).containsExactly(P * P, 22);
    assertThat(maxAbsDifference(gram, Nd4j.eye(22).castTo(DataType.DOUBLE).toDoubleMatrix()))
        .isLessThan(1e-12);
  }

  @Test
  void cosineCoefficientsRecoverAPlantedThreeDimensionalCosine() {
    int k = 4;
    double gamma = 2.5;
    double[][] l = new double[P * P][P];
    double squares = 0;
    for (int a = 0; a < P; a++) {
      for (int b = 0; b < P; b++) {
        for (int c = 0; c < P; c++) {
          l[a * P + b][c] = Math.cos(w(k) * (a + b - c));
          squares += l[a * P + b][c] * l[a * P + b][c];
        }
      }
    }
    double[] bias = bias();
    for (double[] row : l) {
      for (int c = 0; c < P; c++) {
        row[c] = gamma * row[c] / Math.sqrt(squares) + bias[c];
      }
    }

    double[] coefficients = LogitProjections.cosineCoefficients(Nd4j.create(l), P);

    assertThat(coefficients).hasSize(11);
    for (int j = 1; j <= 11; j++) {
      assertThat(coefficients[j - 1]).as("gamma_%d", j).isCloseTo(j == k ? gamma : 0, within(1e-9));
    }
  }

  @Test
  void removingAnAbsentFrequencyLeavesTheTrainLossUnchanged() {
    double[][] l = keyFrequencyLogits();
    int[] train = trainRows(P, 7);
    double trainLoss = CrossEntropy.loss(pick(l, train), labels(train, P));

    double[] perFrequency = LogitProjections.excludedLossPerFrequency(Nd4j.create(l), P, train);

    assertThat(perFrequency).hasSize(11);
    assertThat(perFrequency[7 - 1]).isCloseTo(trainLoss, within(1e-9));
    assertThat(perFrequency[2 - 1]).isGreaterThan(trainLoss + 0.5);
    assertThat(perFrequency[5 - 1]).isGreaterThan(trainLoss + 0.5);
  }

  @Test
  void perFrequencyEntryEqualsTheExcludedLossOfThatFrequencyAlone() {
    INDArray l = Nd4j.create(randomLogits(P, 8));
    int[] train = trainRows(P, 9);

    double[] perFrequency = LogitProjections.excludedLossPerFrequency(l, P, train);

    for (int k = 1; k <= 11; k++) {
      assertThat(perFrequency[k - 1])
          .isCloseTo(LogitProjections.excludedLoss(l, P, new int[] {k}, train), within(1e-12));
    }
  }

  @Test
  void measureAgreesWithTheSinglePurposeFunctions() {
    double[][] raw = randomLogits(P, 10);
    INDArray l = Nd4j.create(raw);
    int[] keys = {9, 3};
    int[] train = trainRows(P, 11);

    LogitProjections.Measures m = LogitProjections.measure(raw, P, keys, train);

    assertThat(m.restrictedLoss())
        .isCloseTo(LogitProjections.restrictedLoss(l, P, keys), within(1e-12));
    assertThat(m.restrictedAccuracy()).isEqualTo(LogitProjections.restrictedAccuracy(l, P, keys));
    assertThat(m.excludedLoss())
        .isCloseTo(LogitProjections.excludedLoss(l, P, keys, train), within(1e-12));
    assertThat(m.excludedAccuracy())
        .isEqualTo(LogitProjections.excludedAccuracy(l, P, keys, train));
    assertThat(m.excludedLossPerFrequency())
        .containsExactly(LogitProjections.excludedLossPerFrequency(l, P, train), within(1e-12));
    assertThat(m.cosineCoefficients())
        .containsExactly(LogitProjections.cosineCoefficients(l, P), within(1e-12));
  }

  @Test
  void floatLogitsGiveTheSameMeasures() {
    double[][] l = keyFrequencyLogits();
    int[] train = trainRows(P, 12);

    LogitProjections.Measures fromFloat =
        LogitProjections.measure(Nd4j.create(l).castTo(DataType.FLOAT), P, KEYS, train);

    assertThat(fromFloat.restrictedAccuracy()).isEqualTo(1.0);
    assertThat(fromFloat.excludedLoss())
        .isCloseTo(LogitProjections.excludedLoss(Nd4j.create(l), P, KEYS, train), within(1e-5));
  }

  @Test
  void noKeyFrequenciesRestrictToTheColumnMeansAndExcludeNothing() {
    double[][] raw = randomLogits(P, 13);
    INDArray l = Nd4j.create(raw);
    double[] means = l.mean(0).toDoubleVector();
    double[][] meansOnly = new double[P * P][];
    Arrays.fill(meansOnly, means);

    assertThat(maxAbsDifference(LogitProjections.restrictedLogits(l, P, new int[0]), meansOnly))
        .isLessThan(1e-12);
    assertThat(maxAbsDifference(LogitProjections.excludedLogits(l, P, new int[0]), raw))
        .isEqualTo(0.0);
  }

  @Test
  void rejectsLogitsWithTheEqualsColumn() {
    assertThatThrownBy(
            () ->
                LogitProjections.restrictedLoss(
                    Nd4j.zeros(DataType.DOUBLE, 25, 6), 5, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot project logits: expected shape [25, 5] (got [25, 6])");
  }

  @Test
  void rejectsAKeyFrequencyOutOfRange() {
    assertThatThrownBy(
            () -> LogitProjections.project(Nd4j.zeros(DataType.DOUBLE, 25, 5), 5, new int[] {3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot project logits: key frequencies must be in [1, 2] (got 3)");
  }

  @Test
  void rejectsARepeatedKeyFrequency() {
    assertThatThrownBy(
            () ->
                LogitProjections.project(
                    Nd4j.zeros(DataType.DOUBLE, 25, 5), 5, new int[] {2, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot project logits: key frequencies must be distinct (got 2 twice in [2, 1, 2])");
  }

  @Test
  void rejectsATrainingRowOutOfRange() {
    assertThatThrownBy(
            () ->
                LogitProjections.excludedLoss(
                    Nd4j.zeros(DataType.DOUBLE, 25, 5), 5, new int[] {1}, new int[] {3, 25}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate on training rows: pair index must be in [0, 25) (got 25)");
  }

  @Test
  void rejectsAnEmptyTrainingSet() {
    assertThatThrownBy(
            () ->
                LogitProjections.measure(
                    Nd4j.zeros(DataType.DOUBLE, 25, 5), 5, new int[] {1}, new int[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate on training rows: none given (got 0)");
  }

  @Test
  void runsAtFullSize() {
    int p = 113;
    INDArray l = Nd4j.rand(DataType.FLOAT, (long) p * p, p);

    LogitProjections.Measures m =
        LogitProjections.measure(l, p, new int[] {14, 35, 41, 42, 52}, trainRows(p, 14));

    assertThat(m.excludedLossPerFrequency()).hasSize(56);
    assertThat(m.cosineCoefficients()).hasSize(56);
    assertThat(m.restrictedLoss()).isFinite();
    assertThat(m.excludedLoss()).isFinite();
  }
}
