package org.phasemap.jobs.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.BasicStroke;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.junit.jupiter.api.Test;
import org.phasemap.jobs.plot.Charts;

class InteractionGraphChartTests {

  /** Three layers: 2, 14 and 3 directions; the middle one has more than the chart shows. */
  static List<InteractionGraphChart.Layer> layers() {
    int[] middleFrequency = new int[14];
    int[] middleCommunity = new int[14];
    for (int i = 0; i < 14; i++) {
      middleFrequency[i] = i + 1;
      middleCommunity[i] = i % 2;
    }
    return List.of(
        new InteractionGraphChart.Layer("resid_pre", 2, new int[] {5, 8}, new int[] {0, 1}),
        new InteractionGraphChart.Layer("mlp_hidden", 14, middleFrequency, middleCommunity),
        new InteractionGraphChart.Layer("logits", 3, null, null));
  }

  @Test
  void drawsNodesLabelsAndEdgesWidthByAttributionLeavingOutWeakOnesAndHiddenNodes()
      throws Exception {
    List<InteractionGraphChart.Edge> edges = new ArrayList<>();
    edges.add(new InteractionGraphChart.Edge(0, 0, 0, 10)); // strongest: full width
    edges.add(new InteractionGraphChart.Edge(0, 1, 1, 5)); // half width
    edges.add(new InteractionGraphChart.Edge(0, 1, 0, 0.05)); // below 1 %: left out
    edges.add(new InteractionGraphChart.Edge(1, 13, 2, 8)); // from a direction not shown
    edges.add(new InteractionGraphChart.Edge(1, 1, 2, 2));

    JFreeChart chart = InteractionGraphChart.of(layers(), edges, "edges needed 3");

    XYPlot plot = chart.getXYPlot();
    // 2 + 12 (capped) + 3 nodes
    assertThat(plot.getDataset().getItemCount(0)).isEqualTo(17);
    List<XYLineAnnotation> lines = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Object a : ((AbstractXYItemRenderer) plot.getRenderer()).getAnnotations()) {
      if (a instanceof XYLineAnnotation line) {
        lines.add(line);
      } else if (a instanceof XYTextAnnotation text) {
        labels.add(text.getText());
      }
    }
    assertThat(lines).hasSize(3);
    assertThat(((BasicStroke) lines.get(0).getStroke()).getLineWidth())
        .isEqualTo(InteractionGraphChart.MAX_WIDTH);
    assertThat(((BasicStroke) lines.get(1).getStroke()).getLineWidth())
        .isEqualTo(InteractionGraphChart.MAX_WIDTH / 2);
    assertThat(labels).contains("f5", "f8", "f12", "#2").doesNotContain("f13", "f14");
    byte[] png = Charts.png(List.of(chart), 900, 600);
    assertThat(ImageIO.read(new ByteArrayInputStream(png)).getHeight()).isEqualTo(600);
    assertThat(new String(Charts.svg(List.of(chart), 900, 600), StandardCharsets.UTF_8))
        .contains("mlp_hidden")
        .contains("edges needed 3")
        .contains("3 of 5 edges drawn");
  }

  @Test
  void theCommunitiesHoldingTheMostWeightGetTheFirstColours() {
    List<InteractionGraphChart.Edge> edges = new ArrayList<>();
    edges.add(new InteractionGraphChart.Edge(0, 0, 0, 10)); // inside community 0
    edges.add(new InteractionGraphChart.Edge(0, 1, 1, 5)); // inside community 1
    edges.add(new InteractionGraphChart.Edge(0, 1, 0, 50)); // across: counts for neither

    assertThat(InteractionGraphChart.rankCommunities(layers(), edges))
        .isEqualTo(java.util.Map.of(0, 0, 1, 1));
    edges.add(new InteractionGraphChart.Edge(0, 1, 3, 6)); // community 1 now holds 11
    assertThat(InteractionGraphChart.rankCommunities(layers(), edges))
        .isEqualTo(java.util.Map.of(1, 0, 0, 1));
  }

  @Test
  void rejectsLabelsThatDoNotMatchTheDirectionsAndEdgesOffTheLayers() {
    assertThatThrownBy(() -> new InteractionGraphChart.Layer("x", 3, new int[2], null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer x")
        .hasMessageContaining("got 3 directions, 2 frequencies");
    assertThatThrownBy(
            () ->
                InteractionGraphChart.of(
                    layers(), List.of(new InteractionGraphChart.Edge(2, 0, 0, 1)), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaves layer 2");
  }
}
