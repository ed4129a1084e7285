package org.phasemap.jobs.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.phasemap.jobs.plot.Charts;

class AblationChartTests {
  static final AblationChart.Layer MLP =
      new AblationChart.Layer(
          "mlp_hidden",
          new int[] {0, 1, 2, 4, 8},
          new double[] {0.03, 0.06, 0.25, 1.0, 1.0},
          4,
          new int[] {0, 1, 2, 4, 8, 16},
          new double[] {0.03, 0.06, 0.02, 0.02, 0.28, 1.0},
          16);

  @Test
  void drawsOnePanelPerLayerWithBothBasesAndTheirCounts() throws Exception {
    List<JFreeChart> charts = AblationChart.of(List.of(MLP, MLP), 0.99);

    assertThat(charts).hasSize(2);
    XYPlot plot = charts.get(0).getXYPlot();
    assertThat(plot.getDataset().getSeriesCount()).isEqualTo(2);
    assertThat(plot.getDataset().getSeriesKey(0).toString()).isEqualTo("interaction (needs 4)");
    assertThat(plot.getDataset().getSeriesKey(1).toString()).isEqualTo("PCA (needs 16)");
    // k = 0 is left out of the log axis
    assertThat(plot.getDataset().getItemCount(0)).isEqualTo(4);
    assertThat(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).hasSize(1);
    byte[] png = Charts.png(charts, 900, 300);
    assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(900);
    assertThat(new String(Charts.svg(charts, 900, 300), StandardCharsets.UTF_8))
        .contains("mlp_hidden");
  }

  @Test
  void rejectsCurvesWithoutOneAccuracyPerK() {
    assertThatThrownBy(
            () ->
                new AblationChart.Layer(
                    "x", new int[] {1, 2}, new double[] {1}, 1, new int[0], new double[0], -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer x");
  }
}
