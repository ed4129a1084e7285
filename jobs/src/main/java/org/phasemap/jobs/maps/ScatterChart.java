package org.phasemap.jobs.maps;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.jobs.plot.ColourScale;
import org.phasemap.jobs.plot.GridAxes;
import org.phasemap.jobs.plot.Palette;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * The papers' scatter style (Zhong et al. 2023, SCIENCE.md 2.5): one dot per run. Coloured by a
 * numeric column it is two panels, like the paper's figure: y coloured by C, and C coloured by y
 * (for the defaults: DI coloured by GS, and GS coloured by DI, over the attention rate). Coloured
 * by label it is one panel with a legend.
 */
public final class ScatterChart {
  private ScatterChart() {}

  /** The panels for {@code data}; {@code caption} (may be empty) goes under each title. */
  public static List<JFreeChart> of(ScatterData data, Scale xScale, Scale yScale, String caption) {
    return of(data, xScale, yScale, caption, null);
  }

  /**
   * The panels for {@code data}; coloured by label or by a column, with {@code boundary} (may be
   * null) drawn over the runs of the first panel as a line with its bracketing band.
   */
  public static List<JFreeChart> of(
      ScatterData data, Scale xScale, Scale yScale, String caption, BoundaryLine boundary) {
    Charts.headless();
    if (data.points().isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot draw a scatter: no run has " + data.x() + " and " + data.y() + " (got 0 points)");
    }
    double[] xs = column(data, 0);
    double[] ys = column(data, 1);
    if (data.color() == null) {
      return List.of(byLabel(data, xs, ys, xScale, yScale, caption, boundary));
    }
    double[] cs = column(data, 2);
    return List.of(
        byValue(data.x(), xs, xScale, data.y(), ys, yScale, data.color(), cs, caption, boundary),
        byValue(data.x(), xs, xScale, data.color(), cs, Scale.AUTO, data.y(), ys, caption, null));
  }

  private static double[] column(ScatterData data, int which) {
    return data.points().stream()
        .mapToDouble(p -> which == 0 ? p.x() : which == 1 ? p.y() : p.c())
        .toArray();
  }

  private static JFreeChart byValue(
      String xName,
      double[] xs,
      Scale xScale,
      String yName,
      double[] ys,
      Scale yScale,
      String cName,
      double[] cs,
      String caption,
      BoundaryLine boundary) {
    DefaultXYZDataset dataset = new DefaultXYZDataset();
    dataset.addSeries("runs", new double[][] {xs, ys, cs});
    ColourScale scale = ColourScale.forValues(cs);
    XYShapeRenderer renderer = new XYShapeRenderer();
    renderer.setPaintScale(scale);
    double r = dotRadius(xs.length);
    renderer.setDefaultShape(new Ellipse2D.Double(-r, -r, 2 * r, 2 * r));
    renderer.setDrawOutlines(true);
    renderer.setUseOutlinePaint(true);
    renderer.setDefaultOutlinePaint(new Color(0, 0, 0, 90));
    renderer.setDefaultOutlineStroke(new BasicStroke(0.6f));
    XYPlot plot = new XYPlot(dataset, axis(xName, xs, xScale), axis(yName, ys, yScale), renderer);
    addBoundary(plot, boundary);
    JFreeChart chart = Charts.chart(yName + " vs " + xName, plot);
    chart.removeLegend();
    Charts.subtitle(
        chart,
        "colour: "
            + cName
            + " · "
            + xs.length
            + " runs"
            + (boundary == null
                ? ""
                : " · line: where the share of "
                    + boundary.label().replace('_', ' ')
                    + " crosses 1/2, band: bracketing interval"));
    if (caption != null && !caption.isEmpty()) {
      Charts.subtitle(chart, caption);
    }
    chart.addSubtitle(GridAxes.colourBar(cName, scale));
    return chart;
  }

  private static JFreeChart byLabel(
      ScatterData data,
      double[] xs,
      double[] ys,
      Scale xScale,
      Scale yScale,
      String caption,
      BoundaryLine boundary) {
    Set<String> order = new LinkedHashSet<>(AlgorithmLabel.labels());
    order.add("unlabelled");
    XYSeriesCollection dataset = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    double r = dotRadius(xs.length);
    int refined = 0;
    for (boolean design : new boolean[] {true, false}) {
      for (String label : order) {
        String name = label.replace('_', ' ') + (design ? "" : " (refined)");
        XYSeries s = new XYSeries(name, false, true);
        for (ScatterData.Point p : data.points()) {
          String l =
              p.label() == null || !AlgorithmLabel.labels().contains(p.label())
                  ? "unlabelled"
                  : p.label();
          if (l.equals(label) && (p.round() == 0) == design) {
            s.add(p.x(), p.y());
          }
        }
        if (s.getItemCount() == 0) {
          continue;
        }
        int i = dataset.getSeriesCount();
        dataset.addSeries(s);
        renderer.setSeriesPaint(i, Palette.of(label));
        if (design) {
          renderer.setSeriesShape(i, new Ellipse2D.Double(-r, -r, 2 * r, 2 * r));
        } else {
          // refined runs: diamonds, so the rounds' placement along the boundary shows
          refined += s.getItemCount();
          double q = r * 1.3;
          Path2D.Double diamond = new Path2D.Double();
          diamond.moveTo(0, -q);
          diamond.lineTo(q, 0);
          diamond.lineTo(0, q);
          diamond.lineTo(-q, 0);
          diamond.closePath();
          renderer.setSeriesShape(i, diamond);
        }
      }
    }
    XYPlot plot =
        new XYPlot(dataset, axis(data.x(), xs, xScale), axis(data.y(), ys, yScale), renderer);
    addBoundary(plot, boundary);
    JFreeChart chart = Charts.chart(data.y() + " vs " + data.x(), plot);
    Charts.subtitle(
        chart,
        "colour: final_label · "
            + xs.length
            + " runs"
            + (refined == 0 ? "" : " (" + refined + " added by refinement, diamonds)")
            + (boundary == null ? "" : " · line: estimated boundary, band: bracketing interval"));
    if (caption != null && !caption.isEmpty()) {
      Charts.subtitle(chart, caption);
    }
    return chart;
  }

  /** Draws {@code boundary} (if any) over the plot's runs: a black line in a grey band. */
  private static void addBoundary(XYPlot plot, BoundaryLine boundary) {
    if (boundary == null || boundary.x().length == 0) {
      return;
    }
    YIntervalSeries line =
        new YIntervalSeries("boundary: share of " + boundary.label().replace('_', ' ') + " = 1/2");
    for (int i = 0; i < boundary.x().length; i++) {
      line.add(boundary.x()[i], boundary.position()[i], boundary.low()[i], boundary.high()[i]);
    }
    YIntervalSeriesCollection lines = new YIntervalSeriesCollection();
    lines.addSeries(line);
    DeviationRenderer band = new DeviationRenderer(true, false);
    band.setSeriesPaint(0, Color.BLACK);
    band.setSeriesFillPaint(0, new Color(0, 0, 0));
    band.setAlpha(0.15f);
    band.setSeriesStroke(0, new BasicStroke(2f));
    plot.setDataset(1, lines);
    plot.setRenderer(1, band);
  }

  /** Dots shrink as runs get many, so that thousands stay legible. */
  static double dotRadius(int n) {
    return n <= 100 ? 4.5 : n <= 1000 ? 3.5 : 2.5;
  }

  /** An axis over these values; [0, 1] with a small margin when they all lie in it. */
  static ValueAxis axis(String name, double[] values, Scale scale) {
    TreeSet<Double> distinct = new TreeSet<>();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      distinct.add(v);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double[] d = distinct.stream().mapToDouble(Double::doubleValue).toArray();
    boolean log = scale.isLog(d, name);
    // grid values (widths on a log axis) get a tick each; measured values get automatic ticks
    ValueAxis axis = log ? GridAxes.axis(name, d, true) : GridAxes.autoAxis(name, false);
    if (!log && min >= 0 && max <= 1 && max - min >= 0.25) {
      // shares and scores: the whole unit interval, so panels compare at a glance
      axis.setRange(-0.04, 1.04);
      ((org.jfree.chart.axis.NumberAxis) axis)
          .setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.1));
    } else if (d.length == 1 || min == max) {
      double pad = log ? min / 2 : Math.max(Math.abs(min) * 0.1, 0.5);
      axis.setRange(min - pad, max + pad);
    } else if (log) {
      axis.setRange(min / Math.pow(max / min, 0.06), max * Math.pow(max / min, 0.06));
    } else {
      double pad = (max - min) * 0.06;
      axis.setRange(min - pad, max + pad);
    }
    return axis;
  }
}
