package org.phasemap.worker.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FourierBasisTests {

  @ParameterizedTest
  @ValueSource(ints = {7, 23, 113})
  void isOrthonormal(int p) {
    double[][] b = FourierBasis.of(p);
    double worst = 0;
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        double dot = 0;
        for (int x = 0; x < p; x++) {
          dot += b[i][x] * b[j][x];
        }
        worst = Math.max(worst, Math.abs(dot - (i == j ? 1 : 0)));
      }
    }
    assertThat(worst).isLessThan(1e-12);
  }

  @Test
  void rowsAreConstantCosineAndSineOfEachFrequency() {
    int p = 23;
    double[][] b = FourierBasis.of(p);
    double scale = Math.sqrt(p / 2.0);
    for (int x = 0; x < p; x++) {
      assertThat(b[0][x]).isCloseTo(1 / Math.sqrt(p), within(1e-15));
      for (int k = 1; k <= 11; k++) {
        assertThat(b[2 * k - 1][x] * scale)
            .isCloseTo(Math.cos(2 * Math.PI * k * x / p), within(1e-12));
        assertThat(b[2 * k][x] * scale).isCloseTo(Math.sin(2 * Math.PI * k * x / p), within(1e-12));
      }
    }
  }

  @Test
  void matrixHoldsTheSameValues() {
    assertThat(FourierBasis.matrix(7).toDoubleMatrix()).isDeepEqualTo(FourierBasis.of(7));
  }

  @Test
  void namesRows() {
    assertThat(FourierBasis.name(0)).isEqualTo("Const");
    assertThat(FourierBasis.name(1)).isEqualTo("cos 1");
    assertThat(FourierBasis.name(2)).isEqualTo("sin 1");
    assertThat(FourierBasis.name(111)).isEqualTo("cos 56");
    assertThat(FourierBasis.name(112)).isEqualTo("sin 56");
  }

  @Test
  void rejectsANegativeRow() {
    assertThatThrownBy(() -> FourierBasis.name(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot name Fourier basis row: row must be >= 0 (got -1)");
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 2, 1, 0, -3})
  void rejectsEvenOrTooSmallModuli(int p) {
    assertThatThrownBy(() -> FourierBasis.of(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build the Fourier basis: p must be odd and at least 3 (got " + p + ")");
  }
}
