package org.phasemap.jobs.maps;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYDataset;
import org.jfree.data.xy.XYDataset;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.jobs.plot.ColourScale;
import org.phasemap.jobs.plot.GridAxes;
import org.phasemap.jobs.plot.Palette;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * Draws a {@link MapTable} as a heatmap: one rectangle per cell, centred on its (x, y) and reaching
 * halfway to the neighbouring values, so an irregular grid keeps its true spacing.
 *
 * <p>By class: the cell's colour is its dominant label's, shaded by that label's share (full colour
 * = every run agrees, pale = a weak majority), with the number of runs and the share written in the
 * cell when it is large enough. By a numeric column: the colour of the cell mean on a viridis
 * scale, with a colour bar, and the mean and the count written in the cell.
 */
public final class HeatmapChart {
  private HeatmapChart() {}

  /** The heatmap of {@code table}; {@code caption} (may be empty) goes under the title. */
  public static JFreeChart of(MapTable table, Scale xScale, Scale yScale, String caption) {
    Charts.headless();
    if (table.cells().isEmpty()) {
      throw new IllegalArgumentException("Cannot draw a map: no cells (got an empty table)");
    }
    double[] xs = table.xValues();
    double[] ys = table.yValues();
    boolean logX = xScale.isLog(xs, table.x());
    boolean logY = yScale.isLog(ys, table.y());
    double[] xe = GridAxes.edges(xs, logX);
    double[] ye = GridAxes.edges(ys, logY);
    ColourScale scale = table.color() == null ? null : ColourScale.forValues(means(table));

    List<Box> boxes = new ArrayList<>();
    double[][] centres = new double[2][table.cells().size()];
    int k = 0;
    for (MapTable.Cell c : table.cells()) {
      int i = Arrays.binarySearch(xs, c.x());
      int j = Arrays.binarySearch(ys, c.y());
      Color fill;
      List<String> lines = new ArrayList<>();
      if (scale == null) {
        fill = Palette.shade(Palette.of(c.dominant()), c.dominantShare());
        lines.add("n=" + c.n());
        lines.add(
            c.dominant() == null
                ? "no label"
                : percent(c.dominantShare()) + " " + shortName(c.dominant()));
        String second = runnerUp(c);
        if (second != null) {
          lines.add(percent(c.share(second)) + " " + shortName(second));
        }
      } else {
        fill = scale.colour(c.mean());
        lines.add(Double.isNaN(c.mean()) ? "–" : Charts.number(round3(c.mean())));
        lines.add("n=" + c.n());
      }
      boxes.add(new Box(xe[i], xe[i + 1], ye[j], ye[j + 1], fill, lines));
      centres[0][k] = c.x();
      centres[1][k] = c.y();
      k++;
    }
    DefaultXYDataset data = new DefaultXYDataset();
    data.addSeries("cells", centres);

    ValueAxis xAxis = GridAxes.axis(table.x(), xs, logX);
    xAxis.setRange(xe[0], xe[xe.length - 1]);
    ValueAxis yAxis = GridAxes.axis(table.y(), ys, logY);
    yAxis.setRange(ye[0], ye[ye.length - 1]);
    XYPlot plot = new XYPlot(data, xAxis, yAxis, new CellRenderer(boxes));
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);

    String title =
        scale == null
            ? "Learned algorithm by " + table.x() + " and " + table.y()
            : "Mean " + table.color() + " by " + table.x() + " and " + table.y();
    JFreeChart chart = Charts.chart(title, plot);
    Charts.style(plot);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    if (scale == null) {
      plot.setFixedLegendItems(legend(table));
      Charts.subtitle(
          chart,
          "colour: most common final_label in the cell; shade: its share (pale = weak majority)");
    } else {
      chart.removeLegend();
      chart.addSubtitle(GridAxes.colourBar("mean " + table.color(), scale));
    }
    if (caption != null && !caption.isEmpty()) {
      Charts.subtitle(chart, caption);
    }
    return chart;
  }

  private static double[] means(MapTable table) {
    return table.cells().stream().mapToDouble(MapTable.Cell::mean).toArray();
  }

  private static double round3(double v) {
    return Math.abs(v) >= 1000
        ? Math.round(v)
        : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", v));
  }

  private static String percent(double share) {
    return Math.round(100 * share) + "%";
  }

  /** The label with the second largest share (ties: the one listed first), null if none has any. */
  static String runnerUp(MapTable.Cell c) {
    String best = null;
    for (String l : AlgorithmLabel.labels()) {
      if (!l.equals(c.dominant())
          && c.share(l) > 0
          && (best == null || c.share(l) > c.share(best))) {
        best = l;
      }
    }
    return best;
  }

  /** A label as a cell can hold it: {@code non_circular} → {@code non-circ.}. */
  static String shortName(String label) {
    if (AlgorithmLabel.NON_CIRCULAR.label().equals(label)) {
      return "non-circ.";
    }
    return AlgorithmLabel.NO_GENERALISATION.label().equals(label) ? "no gen." : label;
  }

  private static LegendItemCollection legend(MapTable table) {
    LegendItemCollection items = new LegendItemCollection();
    for (String l : AlgorithmLabel.labels()) {
      items.add(item(l.replace('_', ' '), Palette.of(l)));
    }
    if (table.cells().stream().anyMatch(c -> c.dominant() == null)) {
      items.add(item("no label (failed runs)", Palette.UNLABELLED));
    }
    return items;
  }

  private static LegendItem item(String name, Color colour) {
    LegendItem item =
        new LegendItem(name, null, null, null, new Rectangle2D.Double(-6, -6, 12, 12), colour);
    item.setLabelFont(Charts.LABEL);
    return item;
  }

  /** A cell in data coordinates with its fill and its lines of text, most important first. */
  record Box(double x0, double x1, double y0, double y1, Color fill, List<String> lines) {}

  /** Draws each item of the dataset as its {@link Box}; works on linear and log axes alike. */
  static final class CellRenderer extends AbstractXYItemRenderer {
    private static final long serialVersionUID = 1L;
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private final List<Box> boxes;

    CellRenderer(List<Box> boxes) {
      this.boxes = List.copyOf(boxes);
    }

    @Override
    public void drawItem(
        Graphics2D g2,
        XYItemRendererState state,
        Rectangle2D dataArea,
        PlotRenderingInfo info,
        XYPlot plot,
        ValueAxis domainAxis,
        ValueAxis rangeAxis,
        XYDataset dataset,
        int series,
        int item,
        CrosshairState crosshairState,
        int pass) {
      Box b = boxes.get(item);
      RectangleEdge xEdge = plot.getDomainAxisEdge();
      RectangleEdge yEdge = plot.getRangeAxisEdge();
      double px0 = domainAxis.valueToJava2D(b.x0(), dataArea, xEdge);
      double px1 = domainAxis.valueToJava2D(b.x1(), dataArea, xEdge);
      double py0 = rangeAxis.valueToJava2D(b.y0(), dataArea, yEdge);
      double py1 = rangeAxis.valueToJava2D(b.y1(), dataArea, yEdge);
      Rectangle2D r =
          new Rectangle2D.Double(
              Math.min(px0, px1), Math.min(py0, py1), Math.abs(px1 - px0), Math.abs(py1 - py0));
      g2.setPaint(b.fill());
      g2.fill(r);
      g2.setPaint(Color.WHITE);
      g2.setStroke(new BasicStroke(1.5f));
      g2.draw(r);

      g2.setFont(TEXT);
      FontMetrics fm = g2.getFontMetrics();
      int lineHeight = fm.getHeight();
      // as many lines as fit, most important first
      int shown = 0;
      while (shown < b.lines().size()
          && (shown + 1) * lineHeight + 4 <= r.getHeight()
          && fm.stringWidth(b.lines().get(shown)) <= r.getWidth() - 6) {
        shown++;
      }
      g2.setPaint(Palette.textOn(b.fill()));
      double y = r.getCenterY() - (shown - 1) * lineHeight / 2.0;
      for (int k = 0; k < shown; k++) {
        drawCentred(g2, fm, b.lines().get(k), r.getCenterX(), y + k * lineHeight);
      }
    }

    private static void drawCentred(Graphics2D g2, FontMetrics fm, String s, double cx, double cy) {
      float x = (float) (cx - fm.stringWidth(s) / 2.0);
      float y = (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0);
      g2.drawString(s, x, y);
    }
  }
}
