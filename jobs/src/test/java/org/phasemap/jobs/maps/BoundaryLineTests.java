package org.phasemap.jobs.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundaryLineTests {
  /** SCIENCE.md 2.6's boundary: clock above alpha*(d) = 0.28 + 0.15 log2(d / 32), pizza below. */
  static double alphaStar(double d) {
    return 0.28 + 0.15 * Math.log(d / 32) / Math.log(2);
  }

  static List<ScatterData.Point> plane(int round) {
    List<ScatterData.Point> points = new ArrayList<>();
    int i = 0;
    for (int d : new int[] {32, 64, 128, 256, 512}) {
      for (int k = 0; k <= 20; k++) {
        double a = k / 20.0;
        String label = a > alphaStar(d) ? "clock" : "pizza";
        points.add(new ScatterData.Point("r" + i++, "s", d, a, Double.NaN, label, round));
      }
    }
    return points;
  }

  @Test
  void findsAPlantedBoundaryOnALogWidthAxisWithinItsBracket() {
    BoundaryLine line = BoundaryLine.estimate(plane(0), "clock", true, false);
    assertThat(line.x()).hasSize(BoundaryLine.POSITIONS);
    assertThat(line.x()[0]).isCloseTo(32, within(1e-9));
    assertThat(line.x()[BoundaryLine.POSITIONS - 1]).isCloseTo(512, within(1e-9));
    for (int i = 0; i < line.x().length; i += 10) { // the grid's own widths: 32, 64, ..., 512
      double truth = alphaStar(line.x()[i]);
      assertThat(line.position()[i]).as("at d = %s", line.x()[i]).isCloseTo(truth, within(0.05));
      assertThat(line.low()[i]).isLessThanOrEqualTo(truth);
      assertThat(line.high()[i]).isGreaterThanOrEqualTo(truth);
      assertThat(line.high()[i] - line.low()[i]).isLessThanOrEqualTo(0.05 + 1e-9);
    }
    assertThat(line.csv("d_model")).startsWith("d_model,boundary_clock,low,high\n32,");
  }

  @Test
  void needsBothSidesOfTheBoundary() {
    List<ScatterData.Point> onlyPizza = new ArrayList<>();
    for (ScatterData.Point p : plane(0)) {
      if (p.label().equals("pizza")) {
        onlyPizza.add(p);
      }
    }
    assertThatThrownBy(() -> BoundaryLine.estimate(onlyPizza, "clock", true, false))
        .hasMessageContaining("boundary of 'clock'")
        .hasMessageContaining("got 0 of " + onlyPizza.size())
        .hasMessageContaining("labels present: pizza");
  }
}
