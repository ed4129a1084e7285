package org.phasemap.worker.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CrossEntropyTests {

  @Test
  void uniformLogitsCostLogOfTheClassCount() {
    double[][] logits = {{2, 2, 2, 2, 2}, {-1, -1, -1, -1, -1}};

    assertThat(CrossEntropy.loss(logits, new int[] {3, 0})).isCloseTo(Math.log(5), within(1e-15));
  }

  @Test
  void matchesTheSoftmaxDefinitionOnAHandExample() {
    double[][] logits = {{1, 2, 3}};
    double expected = -Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));

    assertThat(CrossEntropy.loss(logits, new int[] {0})).isCloseTo(expected, within(1e-14));
  }

  @Test
  void staysFiniteAndKeepsTinyLossesForHugeLogits() {
    double[][] logits = {{1000, 980, 0}};

    // log(1 + e^-20 + e^-1000) = e^-20 − e^-40/2 + O(e^-60) = 2.06e-9, to full relative precision;
    // a naive softmax overflows, float32 gives 0, and log(Σ exp) loses the last ~8 digits.
    double expected = Math.exp(-20) - Math.exp(-40) / 2;
    assertThat(CrossEntropy.loss(logits, new int[] {0})).isCloseTo(expected, within(1e-24));
    assertThat(CrossEntropy.loss(logits, new int[] {2})).isCloseTo(1000 + expected, within(1e-12));
  }

  @Test
  void accuracyCountsRowsWhoseArgmaxIsTheLabel() {
    double[][] logits = {{0, 5, 1}, {3, 0, 0}, {0, 0, 9}, {1, 2, 0}};

    assertThat(CrossEntropy.accuracy(logits, new int[] {1, 0, 0, 0})).isEqualTo(0.5);
  }

  @Test
  void tiesGoToTheLowestClass() {
    double[][] logits = {{4, 4, 1}, {4, 4, 1}};

    assertThat(CrossEntropy.accuracy(logits, new int[] {0, 1})).isEqualTo(0.5);
  }

  @Test
  void rejectsMisalignedLabels() {
    assertThatThrownBy(() -> CrossEntropy.loss(new double[][] {{1, 2}}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute cross-entropy: 1 rows of logits but 2 labels");
  }

  @Test
  void rejectsALabelOutOfRange() {
    assertThatThrownBy(() -> CrossEntropy.accuracy(new double[][] {{1, 2}}, new int[] {2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute cross-entropy: label must be in [0, 2) (got 2 at row 0)");
  }

  @Test
  void rejectsNoRows() {
    assertThatThrownBy(() -> CrossEntropy.loss(new double[0][], new int[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute cross-entropy: no rows (got 0)");
  }
}
