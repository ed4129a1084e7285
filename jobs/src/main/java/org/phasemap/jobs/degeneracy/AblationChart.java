package org.phasemap.jobs.degeneracy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.phasemap.jobs.plot.Charts;

/**
 * Directions kept against accuracy, one panel per node layer: how many leading directions of the
 * interaction basis, and of the PCA basis of the same layer, keep the model's accuracy when the
 * others are set to their mean. The more compact basis reaches the full accuracy with fewer
 * directions; a dashed line marks the share of the full accuracy the "directions needed" count asks
 * for. k = 0 (chance) is left out so that k can be on a log scale.
 */
public final class AblationChart {
  /** Interaction basis: phasemap's blue; PCA: grey. */
  static final Color INTERACTION = new Color(0x0072B2);

  static final Color PCA = new Color(0x8C8C8C);

  /**
   * The curves of one node layer.
   *
   * @param name the layer's name
   * @param interactionK directions kept, interaction basis
   * @param interactionAccuracy accuracy at each of them
   * @param interactionNeeded directions needed (-1: not reached)
   * @param pcaK directions kept, PCA basis
   * @param pcaAccuracy accuracy at each of them
   * @param pcaNeeded directions needed (-1: not reached)
   */
  public record Layer(
      String name,
      int[] interactionK,
      double[] interactionAccuracy,
      int interactionNeeded,
      int[] pcaK,
      double[] pcaAccuracy,
      int pcaNeeded) {

    /** Checks that each basis has one accuracy per k. */
    public Layer {
      Objects.requireNonNull(name, "name");
      if (interactionK.length != interactionAccuracy.length || pcaK.length != pcaAccuracy.length) {
        throw new IllegalArgumentException(
            "Cannot draw the ablation of layer "
                + name
                + ": one accuracy per k is needed (got "
                + interactionK.length
                + " k and "
                + interactionAccuracy.length
                + " accuracies, PCA "
                + pcaK.length
                + " and "
                + pcaAccuracy.length
                + ")");
      }
    }
  }

  private AblationChart() {}

  /**
   * One chart per layer, to be drawn side by side ({@link Charts#png}).
   *
   * @param target the accuracy the "directions needed" counts refer to (a share of the full
   *     accuracy times the full accuracy), drawn as a dashed line
   */
  public static List<JFreeChart> of(List<Layer> layers, double target) {
    Charts.headless();
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("Cannot draw an ablation chart: no layers (got 0)");
    }
    List<JFreeChart> charts = new ArrayList<>();
    for (Layer l : layers) {
      XYSeriesCollection data = new XYSeriesCollection();
      data.addSeries(
          series(
              "interaction (needs " + needed(l.interactionNeeded()) + ")",
              l.interactionK(),
              l.interactionAccuracy()));
      data.addSeries(
          series("PCA (needs " + needed(l.pcaNeeded()) + ")", l.pcaK(), l.pcaAccuracy()));
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
      Color[] colours = {INTERACTION, PCA};
      for (int i = 0; i < colours.length; i++) {
        r.setSeriesPaint(i, colours[i]);
        r.setSeriesStroke(i, new BasicStroke(2f));
        r.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
      }
      LogAxis x = new LogAxis("directions kept");
      x.setBase(2);
      x.setSmallestValue(1);
      x.setLabelFont(Charts.LABEL);
      x.setTickLabelFont(Charts.TICK);
      NumberAxis y = new NumberAxis("accuracy");
      y.setRange(0, 1.02);
      XYPlot plot = new XYPlot(data, x, y, r);
      ValueMarker line = new ValueMarker(target);
      line.setPaint(Color.DARK_GRAY);
      line.setStroke(
          new BasicStroke(
              1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
      plot.addRangeMarker(line);
      charts.add(Charts.chart(l.name(), plot));
    }
    return charts;
  }

  private static XYSeries series(String key, int[] k, double[] accuracy) {
    XYSeries s = new XYSeries(key, true, true);
    for (int i = 0; i < k.length; i++) {
      if (k[i] > 0 && Double.isFinite(accuracy[i])) {
        s.add(k[i], accuracy[i]);
      }
    }
    return s;
  }

  private static String needed(int n) {
    return n < 0 ? "more than all" : String.valueOf(n);
  }
}
