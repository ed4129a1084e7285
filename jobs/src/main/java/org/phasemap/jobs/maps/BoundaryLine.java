package org.phasemap.jobs.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The estimated boundary of one class on a scatter of runs: at each of a row of x positions, where
 * the share of the class crosses one half along y ({@link BoundaryEstimate#alongY}), with the
 * interval that brackets it.
 *
 * <p>The estimate works in coordinates normalised to [0, 1] over the runs' range, logarithmic on an
 * axis drawn logarithmic (so a boundary straight on a log-width axis, as SCIENCE.md 2.6's α*(d), is
 * fitted as straight), and is returned in data units. Positions where the window of runs around x
 * does not hold both the class and another are left out.
 *
 * @param label the class whose share is one half on the line
 * @param x the x positions, data units
 * @param position the estimated crossing at each x
 * @param low the lower end of the bracketing interval at each x
 * @param high the upper end of the bracketing interval at each x
 */
public record BoundaryLine(
    String label, double[] x, double[] position, double[] low, double[] high) {

  /** x positions tried across the range of the runs. */
  public static final int POSITIONS = 41;

  /**
   * Estimates the boundary of {@code label} over {@code points}.
   *
   * @throws IllegalArgumentException if no run or every run has the label, naming the labels seen
   */
  public static BoundaryLine estimate(
      List<ScatterData.Point> points, String label, boolean logX, boolean logY) {
    int with = 0;
    Set<String> seen = new TreeSet<>();
    for (ScatterData.Point p : points) {
      seen.add(String.valueOf(p.label()));
      with += label.equals(p.label()) ? 1 : 0;
    }
    if (with == 0 || with == points.size()) {
      throw new IllegalArgumentException(
          "Cannot draw the boundary of '"
              + label
              + "': it needs runs labelled "
              + label
              + " and runs labelled otherwise (got "
              + with
              + " of "
              + points.size()
              + " runs labelled "
              + label
              + "; labels present: "
              + String.join(", ", seen)
              + ")");
    }
    Range xr = Range.of(points, true, logX);
    Range yr = Range.of(points, false, logY);
    List<LabelledPoint> unit = new ArrayList<>();
    for (ScatterData.Point p : points) {
      unit.add(
          new LabelledPoint(
              new double[] {xr.unit(p.x()), yr.unit(p.y())}, p.label() == null ? "" : p.label()));
    }
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < POSITIONS; i++) {
      double x0 = (double) i / (POSITIONS - 1);
      BoundaryEstimate e;
      try {
        e = BoundaryEstimate.alongY(unit, 0, 1, label, x0);
      } catch (IllegalArgumentException noBothSides) {
        continue;
      }
      rows.add(
          new double[] {
            xr.value(x0), yr.value(e.position()), yr.value(e.low()), yr.value(e.high())
          });
    }
    double[][] cols = new double[4][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < 4; c++) {
        cols[c][i] = rows.get(i)[c];
      }
    }
    return new BoundaryLine(label, cols[0], cols[1], cols[2], cols[3]);
  }

  /** Lines as CSV: {@code x, position, low, high}. */
  public String csv(String xName) {
    StringBuilder sb = new StringBuilder(xName + ",boundary_" + label + ",low,high\n");
    for (int i = 0; i < x.length; i++) {
      sb.append(MapTable.number(x[i]))
          .append(',')
          .append(MapTable.number(position[i]))
          .append(',')
          .append(MapTable.number(low[i]))
          .append(',')
          .append(MapTable.number(high[i]))
          .append('\n');
    }
    return sb.toString();
  }

  /** An axis range and its map to [0, 1]. */
  private record Range(double lo, double hi, boolean log) {
    static Range of(List<ScatterData.Point> points, boolean xAxis, boolean log) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (ScatterData.Point p : points) {
        double v = f(xAxis ? p.x() : p.y(), log);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return new Range(lo, hi, log);
    }

    private static double f(double v, boolean log) {
      return log ? Math.log(v) : v;
    }

    double unit(double v) {
      return hi == lo ? 0.5 : Math.min(Math.max((f(v, log) - lo) / (hi - lo), 0), 1);
    }

    double value(double u) {
      double v = lo + u * (hi - lo);
      return log ? Math.exp(v) : v;
    }
  }
}
