package org.phasemap.jobs.llc;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.jobs.plot.ColourScale;
import org.phasemap.jobs.plot.GridAxes;

/**
 * The two pictures of an LLC calibration (docs/LLC.md, "Calibrating").
 *
 * <ul>
 *   <li>{@link #llcAgainstEpsilon}: λ̂ ± its chain-to-chain std against ε (log axis, one tick per
 *       grid value), one line per nβ. A cell whose chains diverged has no λ̂: it is drawn as a red
 *       cross on a dashed "diverged" line above the finite values, so a missing point can never be
 *       mistaken for a small one.
 *   <li>{@link #traces}: one panel per nβ, the chain-mean trace nβ (L_k − L_0) of every ε against
 *       the draw index; a trace that still climbs at the right edge has not equilibrated.
 * </ul>
 */
public final class CalibrationChart {
  /** Okabe–Ito colours for the nβ lines (the label colours' palette, in another order). */
  static final Color[] LINES = {
    new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
    new Color(0x56B4E9), new Color(0xD55E00), new Color(0x000000), new Color(0xF0E442)
  };

  static final Color DIVERGED = new Color(0xC00000);

  private CalibrationChart() {}

  /** λ̂ against ε, one line per nβ, diverged cells marked. */
  public static JFreeChart llcAgainstEpsilon(
      List<CalibrationPoint> points, String title, String subtitle) {
    Charts.headless();
    requirePoints(points);
    double[] nBetas = distinct(points, true);
    double[] epsilons = distinct(points, false);
    YIntervalSeriesCollection lines = new YIntervalSeriesCollection();
    double hi = Double.NEGATIVE_INFINITY;
    double lo = Double.POSITIVE_INFINITY;
    for (double nBeta : nBetas) {
      YIntervalSeries s = new YIntervalSeries("nβ = " + Charts.number(nBeta));
      for (CalibrationPoint p : points) {
        if (p.nBeta() == nBeta && !p.diverged() && Double.isFinite(p.mean())) {
          double spread = Double.isFinite(p.std()) ? p.std() : 0;
          s.add(p.epsilon(), p.mean(), p.mean() - spread, p.mean() + spread);
          hi = Math.max(hi, p.mean() + spread);
          lo = Math.min(lo, p.mean() - spread);
        }
      }
      lines.addSeries(s);
    }
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setDrawYError(true);
    r.setDefaultLinesVisible(true);
    r.setDefaultShapesVisible(true);
    r.setErrorStroke(new BasicStroke(1.2f));
    LegendItemCollection legend = new LegendItemCollection();
    for (int i = 0; i < nBetas.length; i++) {
      Color c = LINES[i % LINES.length];
      r.setSeriesPaint(i, c);
      r.setSeriesStroke(i, new BasicStroke(2f));
      r.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
      legend.add(
          new LegendItem(
              lines.getSeriesKey(i).toString(),
              null,
              null,
              null,
              new Line2D.Double(-8, 0, 8, 0),
              new BasicStroke(3f),
              c));
    }
    ValueAxis x = GridAxes.axis("SGLD step size ε", epsilons, true);
    NumberAxis y = new NumberAxis("λ̂ (mean over chains ± std)");
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(lines, x, y, r);

    long divergedCount = points.stream().filter(CalibrationPoint::diverged).count();
    if (divergedCount > 0) {
      double span = hi > lo ? hi - lo : Math.max(1, Math.abs(hi));
      double level = Double.isFinite(hi) ? hi + 0.12 * span : 0;
      XYSeriesCollection crosses = new XYSeriesCollection();
      XYLineAndShapeRenderer cr = new XYLineAndShapeRenderer(false, true);
      int k = 0;
      for (int i = 0; i < nBetas.length; i++) {
        XYSeries s = new XYSeries("diverged " + i, true, true);
        for (CalibrationPoint p : points) {
          if (p.nBeta() == nBetas[i] && (p.diverged() || !Double.isFinite(p.mean()))) {
            s.add(p.epsilon(), level);
          }
        }
        if (s.getItemCount() > 0) {
          crosses.addSeries(s);
          cr.setSeriesPaint(k, DIVERGED);
          cr.setSeriesShape(k, cross(7));
          cr.setSeriesStroke(k, new BasicStroke(2.5f));
          cr.setSeriesOutlineStroke(k, new BasicStroke(2.5f));
          k++;
        }
      }
      cr.setDefaultShapesFilled(false);
      cr.setUseOutlinePaint(false);
      cr.setDrawOutlines(true);
      cr.setUseFillPaint(false);
      plot.setDataset(1, crosses);
      plot.setRenderer(1, cr);
      ValueMarker m =
          new ValueMarker(
              level,
              DIVERGED,
              new BasicStroke(
                  1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
      m.setLabel("diverged (λ̂ = NaN)");
      m.setLabelFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
      m.setLabelPaint(DIVERGED);
      m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addRangeMarker(m);
      if (Double.isFinite(hi)) {
        y.setRange(lo - 0.08 * span, level + 0.1 * span);
      }
      legend.add(
          new LegendItem(
              "diverged: no λ̂ (" + divergedCount + " of " + points.size() + ")",
              null,
              null,
              null,
              cross(6),
              DIVERGED,
              new BasicStroke(2.5f),
              DIVERGED));
    }
    plot.setFixedLegendItems(legend);
    JFreeChart chart = Charts.chart(title, plot);
    if (subtitle != null && !subtitle.isEmpty()) {
      Charts.subtitle(chart, subtitle);
    }
    return chart;
  }

  /** One panel per nβ: the chain-mean trace of every ε against the draw index. */
  public static JFreeChart traces(List<CalibrationPoint> points, String title, String subtitle) {
    Charts.headless();
    requirePoints(points);
    double[] nBetas = distinct(points, true);
    double[] epsilons = distinct(points, false);
    NumberAxis drawAxis = new NumberAxis("draw (after burn-in)");
    drawAxis.setAutoRangeIncludesZero(true);
    drawAxis.setLabelFont(Charts.LABEL);
    drawAxis.setTickLabelFont(Charts.TICK);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(drawAxis);
    combined.setGap(10);
    ColourScale viridis = new ColourScale(0, 1);
    LegendItemCollection legend = new LegendItemCollection();
    for (int e = 0; e < epsilons.length; e++) {
      legend.add(
          new LegendItem(
              "ε = " + Charts.number(epsilons[e]),
              null,
              null,
              null,
              new Line2D.Double(-8, 0, 8, 0),
              new BasicStroke(3f),
              epsilonColour(viridis, e, epsilons.length)));
    }
    for (double nBeta : nBetas) {
      XYSeriesCollection data = new XYSeriesCollection();
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
      int k = 0;
      for (int e = 0; e < epsilons.length; e++) {
        for (CalibrationPoint p : points) {
          if (p.nBeta() != nBeta || p.epsilon() != epsilons[e]) {
            continue;
          }
          XYSeries s = new XYSeries("ε " + e, true, true);
          double[] t = p.meanTrace();
          for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(t[i])) {
              s.add(i, t[i]);
            }
          }
          data.addSeries(s);
          r.setSeriesPaint(k, epsilonColour(viridis, e, epsilons.length));
          r.setSeriesStroke(k, new BasicStroke(1.3f));
          k++;
        }
      }
      NumberAxis y = new NumberAxis("nβ (L − L₀), nβ = " + Charts.number(nBeta));
      y.setAutoRangeIncludesZero(false);
      y.setLabelFont(Charts.LABEL);
      y.setTickLabelFont(Charts.TICK);
      XYPlot panel = new XYPlot(data, null, y, r);
      Charts.style(panel);
      combined.add(panel, 1);
    }
    combined.setFixedLegendItems(legend);
    JFreeChart chart = Charts.chart(title, combined);
    if (subtitle != null && !subtitle.isEmpty()) {
      Charts.subtitle(chart, subtitle);
    }
    return chart;
  }

  /** Viridis from dark (smallest ε) to green-yellow, short of the palest end. */
  private static Color epsilonColour(ColourScale viridis, int index, int count) {
    return viridis.colour(count == 1 ? 0 : 0.85 * index / (count - 1));
  }

  /** An × of half-width {@code h}. */
  static java.awt.Shape cross(double h) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-h, -h);
    p.lineTo(h, h);
    p.moveTo(-h, h);
    p.lineTo(h, -h);
    return p;
  }

  private static double[] distinct(List<CalibrationPoint> points, boolean nBeta) {
    TreeSet<Double> values = new TreeSet<>();
    for (CalibrationPoint p : points) {
      values.add(nBeta ? p.nBeta() : p.epsilon());
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void requirePoints(List<CalibrationPoint> points) {
    if (points == null || points.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot draw an LLC calibration: no grid cells (got none)");
    }
  }
}
