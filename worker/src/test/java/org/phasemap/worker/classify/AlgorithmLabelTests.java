package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlgorithmLabelTests {

  @Test
  void labelsAreTheStoredLowerCaseValues() {
    assertThat(AlgorithmLabel.values())
        .extracting(AlgorithmLabel::label)
        .containsExactly("clock", "pizza", "mixed", "non_circular", "no_generalisation");
  }

  @Test
  void labelsReadBack() {
    for (AlgorithmLabel l : AlgorithmLabel.values()) {
      assertThat(AlgorithmLabel.fromLabel(l.label())).isEqualTo(l);
    }
    assertThatThrownBy(() -> AlgorithmLabel.fromLabel("invalid"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown algorithm label: invalid (allowed: clock | pizza | mixed | non_circular |"
                + " no_generalisation)");
  }
}
