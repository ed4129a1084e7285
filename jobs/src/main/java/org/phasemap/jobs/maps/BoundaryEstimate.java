package org.phasemap.jobs.maps;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the share of one class crosses one half along an axis, with the interval that brackets it.
 *
 * <p>The fit is a step: along coordinate t the class is predicted on one side of a threshold c, and
 * c (and the side) minimise the number of runs predicted wrongly. That is the maximum likelihood
 * boundary when each run's label is the class with a probability above one half on one side and
 * below on the other, and it needs no assumption on how sharp the transition is. Every threshold
 * with the least errors is a possible crossing; the interval runs from the run just below the
 * lowest such threshold to the run just above the highest (the axis ends where there is none), and
 * the estimate is its midpoint. Noise-free, the interval is the gap between the last run of one
 * class and the first of the other: the bracket that the driver's refinement ({@code
 * org.phasemap.driver.refine.Refiner}) halves.
 *
 * <p>In 2-D ({@link #alongY}) the crossing at x0 uses the runs nearest to x0 in x, enough to hold
 * {@link #MIN_PER_CLASS} of each side, sheared by each slope b of a grid (t = y − b (x − x0)) so
 * that a tilted boundary does not blur the step. The interval is the union over all slopes with the
 * least errors: for a straight boundary (as SCIENCE.md 2.6's α*(d) is on a log-width axis) it is
 * the range of crossings at x0 of all the lines that separate the classes best.
 *
 * @param position the estimated crossing, the midpoint of the interval
 * @param low the lower end of the bracketing interval
 * @param high the upper end of the bracketing interval
 * @param errors runs on the wrong side of the fitted step
 */
public record BoundaryEstimate(double position, double low, double high, int errors) {

  /** Runs of each side a 2-D window must hold. */
  public static final int MIN_PER_CLASS = 8;

  /** Slopes tried in 2-D: dy/dx from −{@value #MAX_SLOPE} to {@value #MAX_SLOPE}. */
  public static final double MAX_SLOPE = 3.0;

  private static final int SLOPES = 301;

  /** Half the width of the bracketing interval. */
  public double uncertainty() {
    return (high - low) / 2;
  }

  /**
   * The crossing along coordinate {@code axis} of the share of runs labelled {@code label}.
   *
   * @throws IllegalArgumentException if the runs do not include both the class and another
   */
  public static BoundaryEstimate along(List<LabelledPoint> points, int axis, String label) {
    double[] t = new double[points.size()];
    boolean[] positive = new boolean[points.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = points.get(i).coordinate(axis);
      positive[i] = points.get(i).label().equals(label);
    }
    return step(t, positive);
  }

  /**
   * The crossing along coordinate {@code yAxis}, at {@code x0} on coordinate {@code xAxis}, of the
   * share of runs labelled {@code label}; see the class comment.
   *
   * @throws IllegalArgumentException if the runs do not include both the class and another
   */
  public static BoundaryEstimate alongY(
      List<LabelledPoint> points, int xAxis, int yAxis, String label, double x0) {
    List<LabelledPoint> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(p -> Math.abs(p.coordinate(xAxis) - x0)));
    int pos = 0;
    int neg = 0;
    int n = 0;
    while (n < sorted.size() && (pos < MIN_PER_CLASS || neg < MIN_PER_CLASS)) {
      // take every run at the same distance as the last one taken, so a grid column stays whole
      double reach = Math.abs(sorted.get(n).coordinate(xAxis) - x0);
      while (n < sorted.size() && Math.abs(sorted.get(n).coordinate(xAxis) - x0) <= reach) {
        if (sorted.get(n).label().equals(label)) {
          pos++;
        } else {
          neg++;
        }
        n++;
      }
    }
    double[] dx = new double[n];
    double[] y = new double[n];
    boolean[] positive = new boolean[n];
    for (int i = 0; i < n; i++) {
      dx[i] = sorted.get(i).coordinate(xAxis) - x0;
      y[i] = sorted.get(i).coordinate(yAxis);
      positive[i] = sorted.get(i).label().equals(label);
    }
    int best = Integer.MAX_VALUE;
    double low = 0;
    double high = 0;
    double[] t = new double[n];
    for (int s = 0; s < SLOPES; s++) {
      double slope = -MAX_SLOPE + 2 * MAX_SLOPE * s / (SLOPES - 1);
      for (int i = 0; i < n; i++) {
        t[i] = y[i] - slope * dx[i];
      }
      BoundaryEstimate e = step(t, positive);
      if (e.errors < best) {
        best = e.errors;
        low = e.low;
        high = e.high;
      } else if (e.errors == best) {
        low = Math.min(low, e.low);
        high = Math.max(high, e.high);
      }
    }
    return new BoundaryEstimate((low + high) / 2, low, high, best);
  }

  /** The least-errors step fit of {@code positive} along t; the ends of the axis are 0 and 1. */
  static BoundaryEstimate step(double[] t, boolean[] positive) {
    int n = t.length;
    Integer[] order = new Integer[n];
    int totalPositive = 0;
    for (int i = 0; i < n; i++) {
      order[i] = i;
      totalPositive += positive[i] ? 1 : 0;
    }
    if (totalPositive == 0 || totalPositive == n) {
      throw new IllegalArgumentException(
          "Cannot estimate a boundary: the "
              + n
              + " runs are all "
              + (totalPositive == 0 ? "outside" : "inside")
              + " the class");
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> t[i]));
    // split k: runs order[0..k) below the threshold; only between distinct values of t. The class
    // is above the threshold (up) or below it, whichever fits better.
    int best = Integer.MAX_VALUE;
    int first = -1;
    int last = -1;
    for (boolean up : new boolean[] {true, false}) {
      int positiveBelow = 0;
      int dirBest = Integer.MAX_VALUE;
      int dirFirst = -1;
      int dirLast = -1;
      for (int k = 0; k <= n; k++) {
        if (k > 0) {
          positiveBelow += positive[order[k - 1]] ? 1 : 0;
        }
        if (k > 0 && k < n && t[order[k]] == t[order[k - 1]]) {
          continue;
        }
        int negativeBelow = k - positiveBelow;
        int positiveAbove = totalPositive - positiveBelow;
        int negativeAbove = (n - k) - positiveAbove;
        int errors = up ? positiveBelow + negativeAbove : negativeBelow + positiveAbove;
        if (errors < dirBest) {
          dirBest = errors;
          dirFirst = k;
          dirLast = k;
        } else if (errors == dirBest) {
          dirLast = k;
        }
      }
      if (dirBest < best) {
        best = dirBest;
        first = dirFirst;
        last = dirLast;
      }
    }
    double low = first == 0 ? Math.min(0, t[order[0]]) : t[order[first - 1]];
    double high = last == n ? Math.max(1, t[order[n - 1]]) : t[order[last]];
    return new BoundaryEstimate((low + high) / 2, low, high, best);
  }
}
