package org.phasemap.jobs.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;

/**
 * Axes over the values of a sweep's grid. With a few distinct values (at most {@link
 * #MAX_VALUE_TICKS}) the ticks sit exactly on them, labelled as written in the spec ({@code 32, 64,
 * 128} rather than {@code 40, 80, 120}); with more, the usual automatic ticks. Either axis can be
 * logarithmic.
 */
public final class GridAxes {
  /** Up to this many distinct values get one tick each. */
  public static final int MAX_VALUE_TICKS = 24;

  /**
   * A consecutive ratio above this, roughly constant, makes values log-spaced (e.g. 32, 64, 128 or
   * 1e-4, 3e-4, 1e-3); {@link #ROUGHLY_CONSTANT} says how far the ratios may differ.
   */
  public static final double LOG_RATIO = 1.5;

  /** Largest ratio between the largest and the smallest consecutive ratio of log-spaced values. */
  public static final double ROUGHLY_CONSTANT = 1.5;

  private GridAxes() {}

  /**
   * True when {@code values} (distinct, any order) look log-spaced: at least three, all positive,
   * every ratio of consecutive sorted values above {@value #LOG_RATIO} and the largest such ratio
   * at most {@value #ROUGHLY_CONSTANT} times the smallest. Two values are not enough to tell.
   */
  public static boolean isLogSpaced(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    if (v.length < 3 || !(v[0] > 0)) {
      return false;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (int i = 1; i < v.length; i++) {
      double r = v[i] / v[i - 1];
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
    return lo > LOG_RATIO && hi <= ROUGHLY_CONSTANT * lo;
  }

  /**
   * Boundaries of the cells centred on sorted distinct {@code values}: halfway between neighbours
   * (geometrically on a log axis), the outer ones as far out as the inner ones. One value gets a
   * cell of width 1 around it (a factor of 2 on a log axis).
   */
  public static double[] edges(double[] sortedValues, boolean log) {
    int n = sortedValues.length;
    if (n == 0) {
      throw new IllegalArgumentException("Cannot place cells: no values (got an empty array)");
    }
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = log ? Math.log(sortedValues[i]) : sortedValues[i];
    }
    double[] e = new double[n + 1];
    if (n == 1) {
      double half = log ? Math.log(2) / 2 : 0.5;
      e[0] = t[0] - half;
      e[1] = t[0] + half;
    } else {
      for (int i = 1; i < n; i++) {
        e[i] = (t[i - 1] + t[i]) / 2;
      }
      e[0] = t[0] - (e[1] - t[0]);
      e[n] = t[n - 1] + (t[n - 1] - e[n - 1]);
    }
    if (log) {
      for (int i = 0; i <= n; i++) {
        e[i] = Math.exp(e[i]);
      }
    }
    return e;
  }

  /** An axis labelled {@code label} over these distinct values, linear or log. */
  public static ValueAxis axis(String label, double[] distinctValues, boolean log) {
    double[] v = distinctValues.clone();
    Arrays.sort(v);
    boolean valueTicks = v.length > 0 && v.length <= MAX_VALUE_TICKS;
    if (log) {
      return styled(valueTicks ? new ValueLogAxis(label, v) : new LogAxis(label));
    }
    return styled(valueTicks ? new ValueNumberAxis(label, v) : new NumberAxis(label));
  }

  /**
   * An axis labelled {@code label} with automatic ticks, linear or log; for measured values, whose
   * distinct values are not a grid.
   */
  public static ValueAxis autoAxis(String label, boolean log) {
    return styled(log ? new LogAxis(label) : new NumberAxis(label));
  }

  /** The project's look of an axis: plain decimals on log axes, no forced zero, fonts. */
  private static ValueAxis styled(ValueAxis axis) {
    if (axis instanceof LogAxis a) {
      a.setNumberFormatOverride(
          new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(Locale.ROOT)));
      a.setSmallestValue(1e-300);
    } else if (axis instanceof NumberAxis a) {
      a.setAutoRangeIncludesZero(false);
    }
    axis.setLabelFont(Charts.LABEL);
    axis.setTickLabelFont(Charts.TICK);
    return axis;
  }

  /** A colour bar for {@code scale}, titled {@code label}, to the right of the plot. */
  public static PaintScaleLegend colourBar(String label, ColourScale scale) {
    NumberAxis axis = new NumberAxis(label);
    axis.setRange(scale.getLowerBound(), scale.getUpperBound());
    if (scale.getLowerBound() == 0 && scale.getUpperBound() == 1) {
      axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.1));
    }
    axis.setLabelFont(Charts.LABEL);
    axis.setTickLabelFont(Charts.TICK);
    PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    legend.setStripWidth(14);
    legend.setSubdivisionCount(128);
    legend.setMargin(new RectangleInsets(40, 8, 40, 8));
    legend.setStripOutlineVisible(true);
    return legend;
  }

  /** Ticks at {@code values}, dropping labels that would overlap their left/lower neighbour. */
  static List<NumberTick> valueTicks(
      ValueAxis axis, double[] values, Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    boolean vertical = RectangleEdge.isLeftOrRight(edge);
    TextAnchor anchor =
        vertical
            ? (edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT)
            : (edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
    java.awt.FontMetrics fm = g2.getFontMetrics(axis.getTickLabelFont());
    List<NumberTick> ticks = new ArrayList<>();
    double lastPos = Double.NaN;
    double lastHalf = 0;
    for (double value : values) {
      if (!axis.getRange().contains(value)) {
        continue;
      }
      String label = Charts.number(value);
      double pos = axis.valueToJava2D(value, dataArea, edge);
      double half = vertical ? fm.getHeight() / 2.0 : fm.stringWidth(label) / 2.0;
      boolean fits = Double.isNaN(lastPos) || Math.abs(pos - lastPos) >= half + lastHalf + 4;
      if (fits) {
        lastPos = pos;
        lastHalf = half;
      }
      ticks.add(new NumberTick(TickType.MAJOR, value, fits ? label : "", anchor, anchor, 0.0));
    }
    return ticks;
  }

  /** A linear axis with one tick per grid value. */
  static final class ValueNumberAxis extends NumberAxis {
    private static final long serialVersionUID = 1L;
    private final double[] values;

    ValueNumberAxis(String label, double[] values) {
      super(label);
      this.values = values;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List refreshTicks(
        Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
      return valueTicks(this, values, g2, dataArea, edge);
    }
  }

  /** A log axis with one tick per grid value. */
  static final class ValueLogAxis extends LogAxis {
    private static final long serialVersionUID = 1L;
    private final double[] values;

    ValueLogAxis(String label, double[] values) {
      super(label);
      this.values = values;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List refreshTicks(
        Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
      return valueTicks(this, values, g2, dataArea, edge);
    }
  }
}
