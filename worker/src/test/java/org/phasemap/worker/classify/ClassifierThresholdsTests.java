package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierThresholdsTests {

  @Test
  void defaultsAreTheScienceRuleOnTheMaxWrongVariant() {
    ClassifierThresholds d = ClassifierThresholds.defaults();

    assertThat(d.minTestAccuracy()).isEqualTo(0.99);
    assertThat(d.minCircularity()).isEqualTo(0.995);
    assertThat(d.pizzaMinGs()).isEqualTo(0.98);
    assertThat(d.pizzaMaxDi()).isEqualTo(0.40);
    assertThat(d.clockMaxGs()).isEqualTo(0.90);
    assertThat(d.clockMinDi()).isEqualTo(0.60);
    assertThat(d.diVariant()).isEqualTo(DiVariant.MAX_WRONG);
    assertThat(d.diVariant().column()).isEqualTo("di_maxwrong");
  }

  @Test
  void withDiVariantChangesOnlyTheVariant() {
    ClassifierThresholds c = ClassifierThresholds.defaults().withDiVariant(DiVariant.CORRECT);

    assertThat(c.diVariant()).isEqualTo(DiVariant.CORRECT);
    assertThat(c.withDiVariant(DiVariant.MAX_WRONG)).isEqualTo(ClassifierThresholds.defaults());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "min_test_accuracy | 1.5  | 0.995 | 0.98 | 0.4 | 0.9  | 0.6 | Invalid min_test_accuracy:"
            + " 1.5 (allowed: 0 to 1)",
        "min_circularity   | 0.99 | -0.1  | 0.98 | 0.4 | 0.9  | 0.6 | Invalid min_circularity: -0.1"
            + " (allowed: 0 to 1)",
        "pizza_min_gs      | 0.99 | 0.995 | 1.2  | 0.4 | 0.9  | 0.6 | Invalid pizza_min_gs: 1.2"
            + " (allowed: -1 to 1)",
        "pizza_max_di      | 0.99 | 0.995 | 0.98 | NaN | 0.9  | 0.6 | Invalid pizza_max_di: NaN"
            + " (allowed: 0 to 1)",
        "clock_max_gs      | 0.99 | 0.995 | 0.98 | 0.4 | -1.5 | 0.6 | Invalid clock_max_gs: -1.5"
            + " (allowed: -1 to 1)",
        "clock_min_di      | 0.99 | 0.995 | 0.98 | 0.4 | 0.9  | 2.0 | Invalid clock_min_di: 2.0"
            + " (allowed: 0 to 1)",
      })
  void rejectsOutOfRangeFieldsNamingFieldValueAndRange(
      String field,
      double acc,
      double circ,
      double pizzaGs,
      double pizzaDi,
      double clockGs,
      double clockDi,
      String message) {
    assertThatThrownBy(
            () ->
                new ClassifierThresholds(
                    acc, circ, pizzaGs, pizzaDi, clockGs, clockDi, DiVariant.MAX_WRONG))
        .as(field)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsAMissingVariant() {
    assertThatThrownBy(() -> new ClassifierThresholds(0.99, 0.995, 0.98, 0.4, 0.9, 0.6, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid di_variant: null (allowed: di_correct | di_maxwrong)");
  }

  @Test
  void rejectsOverlappingPizzaAndClockRegions() {
    assertThatThrownBy(
            () -> new ClassifierThresholds(0.99, 0.995, 0.9, 0.5, 0.95, 0.45, DiVariant.CORRECT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot use these thresholds: the pizza region (gs >= 0.9, di <= 0.5) and the clock"
                + " region (gs <= 0.95, di >= 0.45) overlap; make pizza_min_gs greater than"
                + " clock_max_gs or clock_min_di greater than pizza_max_di");
    // touching in GS only is fine: the DI cuts keep the regions apart
    assertThat(new ClassifierThresholds(0.99, 0.995, 0.9, 0.4, 0.95, 0.6, DiVariant.CORRECT))
        .isNotNull();
  }

  @Test
  void variantsAreReadBackFromTheirColumnNames() {
    assertThat(DiVariant.fromColumn("di_correct")).isEqualTo(DiVariant.CORRECT);
    assertThat(DiVariant.fromColumn("di_maxwrong")).isEqualTo(DiVariant.MAX_WRONG);
    assertThat(DiVariant.CORRECT.select(0.1, 0.2)).isEqualTo(0.1);
    assertThat(DiVariant.MAX_WRONG.select(0.1, 0.2)).isEqualTo(0.2);
    assertThatThrownBy(() -> DiVariant.fromColumn("distance_irrelevance"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid di_variant: distance_irrelevance (allowed: di_correct | di_maxwrong)");
  }
}
