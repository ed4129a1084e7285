package org.phasemap.jobs.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Log-spacing detection, cell edges, number formatting and colours. */
class GridAxesTests {
  @Test
  void logSpacedValuesAreRecognised() {
    assertThat(GridAxes.isLogSpaced(new double[] {32, 64, 128, 256})).isTrue();
    assertThat(GridAxes.isLogSpaced(new double[] {1e-3, 3e-4, 1e-4, 3e-3})).isTrue();
    assertThat(GridAxes.isLogSpaced(new double[] {0.1, 0.3, 1, 3, 10})).isTrue();
    assertThat(GridAxes.isLogSpaced(new double[] {0, 0.5, 1})).isFalse();
    assertThat(GridAxes.isLogSpaced(new double[] {0.25, 0.5, 0.75, 1})).isFalse();
    assertThat(GridAxes.isLogSpaced(new double[] {1, 2, 40})).isFalse();
    assertThat(GridAxes.isLogSpaced(new double[] {32, 128})).isFalse();
  }

  @Test
  void cellEdgesLieHalfwayBetweenValues() {
    assertThat(GridAxes.edges(new double[] {0, 0.5, 1}, false))
        .containsExactly(-0.25, 0.25, 0.75, 1.25);
    double[] log = GridAxes.edges(new double[] {16, 64, 256}, true);
    assertThat(log[0]).isCloseTo(8, within(1e-9));
    assertThat(log[1]).isCloseTo(32, within(1e-9));
    assertThat(log[2]).isCloseTo(128, within(1e-9));
    assertThat(log[3]).isCloseTo(512, within(1e-9));
    assertThat(GridAxes.edges(new double[] {32}, false)).containsExactly(31.5, 32.5);
  }

  @Test
  void numbersReadAsWritten() {
    assertThat(Charts.number(128)).isEqualTo("128");
    assertThat(Charts.number(0.5)).isEqualTo("0.5");
    assertThat(Charts.number(0.003)).isEqualTo("0.003");
    assertThat(Charts.number(0.123456)).isEqualTo("0.1235");
    assertThat(Charts.number(1e-5)).isEqualTo("1e-05");
    assertThat(Charts.number(1.5e-5)).isEqualTo("1.5e-05");
    assertThat(Charts.number(1e-4)).isEqualTo("1e-04");
    assertThat(Charts.number(3e-4)).isEqualTo("3e-04");
    assertThat(Charts.number(2.5e8)).isEqualTo("2.5e+08");
  }

  @Test
  void shadesGetLighterAndTextStaysReadable() {
    assertThat(Palette.shade(Palette.CLOCK, 1)).isEqualTo(Palette.CLOCK);
    assertThat(Palette.shade(Palette.CLOCK, 0.5).getRed()).isGreaterThan(Palette.CLOCK.getRed());
    assertThat(Palette.textOn(Palette.CLOCK)).isEqualTo(java.awt.Color.WHITE);
    assertThat(Palette.textOn(Palette.shade(Palette.CLOCK, 0.3))).isEqualTo(java.awt.Color.BLACK);
    ColourScale s = ColourScale.forValues(new double[] {0.2, 0.9, Double.NaN});
    assertThat(s.getLowerBound()).isZero();
    assertThat(s.getUpperBound()).isEqualTo(1);
    assertThat(ColourScale.forValues(new double[] {5, 12}).getUpperBound()).isEqualTo(12);
    assertThat(s.colour(0)).isNotEqualTo(s.colour(1));
  }
}
