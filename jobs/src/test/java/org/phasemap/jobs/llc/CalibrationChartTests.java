package org.phasemap.jobs.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.jobs.plot.Images;

class CalibrationChartTests {
  @TempDir Path tmp;

  /** 4 ε × 2 nβ; the largest ε diverged at the larger nβ. */
  static List<CalibrationPoint> grid() {
    List<CalibrationPoint> points = new ArrayList<>();
    double[] eps = {1e-5, 3e-5, 1e-4, 3e-4};
    for (double nBeta : new double[] {155, 464}) {
      for (int e = 0; e < eps.length; e++) {
        boolean diverged = nBeta == 464 && e == 3;
        double[] trace = new double[50];
        for (int k = 0; k < trace.length; k++) {
          trace[k] = diverged && k > 20 ? Double.NaN : 40 * (1 - Math.exp(-k / (3.0 + e)));
        }
        points.add(
            new CalibrationPoint(
                eps[e],
                nBeta,
                diverged ? Double.NaN : 38 + e,
                diverged ? Double.NaN : 2,
                diverged,
                trace));
      }
    }
    return points;
  }

  @Test
  void llcAgainstEpsilonHasOneLinePerNBetaAndMarksDivergedCellsInRed() throws Exception {
    JFreeChart chart =
        CalibrationChart.llcAgainstEpsilon(
            grid(), "LLC calibration", "γ = 100, 4 chains × 200 draws");
    XYPlot plot = chart.getXYPlot();
    assertThat(plot.getDataset(0).getSeriesCount()).isEqualTo(2);
    assertThat(plot.getDataset(0).getItemCount(0)).isEqualTo(4);
    assertThat(plot.getDataset(0).getItemCount(1)).isEqualTo(3); // the diverged cell has no λ̂
    assertThat(plot.getDataset(1).getItemCount(0)).isEqualTo(1);
    assertThat(plot.getDataset(1).getXValue(0, 0)).isEqualTo(3e-4);
    assertThat(plot.getFixedLegendItems().get(2).getLabel()).isEqualTo("diverged: no λ̂ (1 of 8)");
    assertThat(plot.getDomainAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);

    Path png = Files.write(tmp.resolve("c.png"), Charts.png(List.of(chart), 900, 600));
    Path svg = Files.write(tmp.resolve("c.svg"), Charts.svg(List.of(chart), 900, 600));
    BufferedImage img = Images.assertPng(png, 900, 600, 5);
    assertThat(hasColour(img, 0xC00000)).as("a red diverged cross").isTrue();
    assertThat(Images.assertSvg(svg, 900, 600))
        .contains("diverged (λ̂ = NaN)")
        .contains("nβ = 464");
  }

  @Test
  void tracesHaveOnePanelPerNBetaAndOneLinePerEpsilon() throws Exception {
    JFreeChart chart = CalibrationChart.traces(grid(), "traces", null);
    org.jfree.chart.plot.CombinedDomainXYPlot plot =
        (org.jfree.chart.plot.CombinedDomainXYPlot) chart.getPlot();
    assertThat(plot.getSubplots()).hasSize(2);
    XYPlot second = (XYPlot) plot.getSubplots().get(1);
    assertThat(second.getDataset().getSeriesCount()).isEqualTo(4);
    assertThat(second.getDataset().getItemCount(3)).isEqualTo(21); // the diverged chain stops
    Path png = Files.write(tmp.resolve("t.png"), Charts.png(List.of(chart), 900, 700));
    Images.assertPng(png, 900, 700, 5);
  }

  @Test
  void allDivergedStillDrawsAndNoCellsIsAnError() throws Exception {
    List<CalibrationPoint> all =
        List.of(
            new CalibrationPoint(
                1e-2, 10, Double.NaN, Double.NaN, true, new double[] {Double.NaN}));
    JFreeChart chart = CalibrationChart.llcAgainstEpsilon(all, "all diverged", "");
    Images.assertPng(
        Files.write(tmp.resolve("a.png"), Charts.png(List.of(chart), 400, 300)), 400, 300, 2);
    assertThatThrownBy(() -> CalibrationChart.llcAgainstEpsilon(List.of(), "x", ""))
        .hasMessage("Cannot draw an LLC calibration: no grid cells (got none)");
  }

  private static boolean hasColour(BufferedImage img, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (Images.rgb(img, x, y) == rgb) {
          return true;
        }
      }
    }
    return false;
  }
}
