package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlgorithmClassifierTests {

  static final ClassifierThresholds T = ClassifierThresholds.defaults();

  static AlgorithmLabel classify(double acc, double circ, double gs, double diC, double diW) {
    return AlgorithmClassifier.classify(acc, circ, gs, diC, diW, T);
  }

  @Test
  void lowTestAccuracyIsNoGeneralisationWhateverTheOtherMeasures() {
    assertThat(classify(0.98, 0.999, 0.99, 0.1, 0.1)).isEqualTo(AlgorithmLabel.NO_GENERALISATION);
    assertThat(classify(0.99, 0.999, 0.99, 0.1, 0.1)).isEqualTo(AlgorithmLabel.PIZZA);
  }

  @Test
  void lowCircularityIsNonCircularWhateverGsAndDi() {
    assertThat(classify(1.0, 0.994, 0.3, 0.9, 0.9)).isEqualTo(AlgorithmLabel.NON_CIRCULAR);
    assertThat(classify(1.0, 0.995, 0.3, 0.9, 0.9)).isEqualTo(AlgorithmLabel.CLOCK);
  }

  @Test
  void symmetricGradientsAndLowDistanceIrrelevanceArePizza() {
    assertThat(classify(1.0, 0.999, 0.98, 0.5, 0.40)).isEqualTo(AlgorithmLabel.PIZZA);
    assertThat(classify(1.0, 0.999, 0.9799, 0.3, 0.30)).isEqualTo(AlgorithmLabel.MIXED);
    assertThat(classify(1.0, 0.999, 0.99, 0.3, 0.4001)).isEqualTo(AlgorithmLabel.MIXED);
  }

  @Test
  void asymmetricGradientsAndHighDistanceIrrelevanceAreClock() {
    assertThat(classify(1.0, 0.999, 0.90, 0.5, 0.60)).isEqualTo(AlgorithmLabel.CLOCK);
    assertThat(classify(1.0, 0.999, 0.9001, 0.9, 0.9)).isEqualTo(AlgorithmLabel.MIXED);
    assertThat(classify(1.0, 0.999, 0.3, 0.9, 0.5999)).isEqualTo(AlgorithmLabel.MIXED);
  }

  @Test
  void symmetricButDistanceDependentIsMixed() {
    // the α < 0.5 "mixed" runs of SCIENCE.md 2.4: GS ≈ 0.99, DI around 0.56
    assertThat(classify(1.0, 0.999, 0.99, 0.5, 0.56)).isEqualTo(AlgorithmLabel.MIXED);
  }

  @Test
  void distanceCutsApplyToTheConfiguredVariant() {
    // di_correct says pizza, di_maxwrong does not
    assertThat(classify(1.0, 0.999, 0.99, 0.35, 0.45)).isEqualTo(AlgorithmLabel.MIXED);
    assertThat(
            AlgorithmClassifier.classify(
                1.0, 0.999, 0.99, 0.35, 0.45, T.withDiVariant(DiVariant.CORRECT)))
        .isEqualTo(AlgorithmLabel.PIZZA);
  }

  @Test
  void undefinedMeasuresNeverConfirmAClass() {
    assertThat(classify(Double.NaN, 0.999, 0.99, 0.1, 0.1))
        .isEqualTo(AlgorithmLabel.NO_GENERALISATION);
    assertThat(classify(1.0, Double.NaN, 0.99, 0.1, 0.1)).isEqualTo(AlgorithmLabel.NON_CIRCULAR);
    assertThat(classify(1.0, 0.999, Double.NaN, 0.1, 0.1)).isEqualTo(AlgorithmLabel.MIXED);
    assertThat(classify(1.0, 0.999, 0.3, 0.9, Double.NaN)).isEqualTo(AlgorithmLabel.MIXED);
    // the variant not in use is ignored
    assertThat(classify(1.0, 0.999, 0.3, Double.NaN, 0.9)).isEqualTo(AlgorithmLabel.CLOCK);
  }

  /**
   * The rows of SCIENCE.md 2.6 (test acc, circularity, GS seeded, DI correct, DI max-wrong). Model
   * A (pizza) and Model B (clock) are the paper's named examples; the other labels are what rule
   * 2.4 yields from their published values, kept as a regression check of the rule's order.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "Model A p99zdpze5l,               1.0, 0.9978, 0.9937, 0.1717, 0.222, pizza",
    "Model B l8k1hzciux,               1.0, 0.9989, 0.3336, 0.848,  0.885, clock",
    "second alpha=1 run q9rsl94xlv,    1.0, 0.779,  0.598,  0.897,  0.936, non_circular",
    "MLP beta p71frej8t7,              1.0, 0.995,  1.0,    0.2302, 0.329, pizza",
    "MLP delta qlvxqhkvit,             1.0, 0.998,  0.019,  0.930,  0.939, clock",
    "reimplementation alpha=0 seed 0,  1.0, 0.843,  0.992,  0.449,  0.625, non_circular",
  })
  void referenceModelsOfSection26(
      String model, double acc, double circ, double gs, double diC, double diW, String label) {
    assertThat(classify(acc, circ, gs, diC, diW).label()).as(model).isEqualTo(label);
  }

  @Test
  void requiresThresholds() {
    assertThatThrownBy(() -> AlgorithmClassifier.classify(1, 1, 1, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot classify without thresholds (got null)");
  }
}
