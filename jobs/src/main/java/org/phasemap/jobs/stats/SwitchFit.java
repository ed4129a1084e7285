package org.phasemap.jobs.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a yes/no property of runs switches along the attention rate α: the α* at which a logistic
 * fit of its probability crosses one half, with a percentile bootstrap interval. This is how Zhong
 * et al.'s transition is quoted (SCIENCE.md 2.6: α* ≈ 0.53 for GS &lt; 0.95 and 0.59 for DI ≥ 0.6
 * at width 128; α*(d) ≈ 0.28 + 0.15 log₂(d/32) over widths).
 *
 * <p>One-dimensional: P = σ(b0 + b1 α), α* = −b0 / b1. With a second coordinate t (log₂(d/32) for
 * the width): P = σ(b0 + b1 α + b2 t), so the boundary is the line α*(t) = c0 + c1 t with c0 = −b0
 * / b1 and c1 = −b2 / b1. The interval of each quantity is the 2.5 and 97.5 percentiles over {@code
 * resamples} fits to runs drawn with replacement (a fixed seed, so the same runs give the same
 * interval); resamples that cannot place a switch (one outcome only, or one attention rate) are
 * left out and counted.
 *
 * <p>When the runs are <em>separated</em> (the fit puts every run on its side of the switch, as a
 * coarse grid with a clean boundary does), the likelihood has no maximum and the switch is only
 * known to lie in the gap between the classes: in 1-D the estimate is the gap's midpoint and the
 * interval the gap itself (the bootstrap would report the ridge's tie-break, not a confidence); in
 * 2-D the intervals are NaN.
 *
 * @param runs runs fitted
 * @param positives runs with the property
 * @param intercept α* (1-D) or c0, the line's α at t = 0 (2-D)
 * @param slope c1, the change of α* per unit of t; null in 1-D
 * @param at α*(t) at each queried t (2-D); empty in 1-D
 * @param resamples bootstrap fits used for the intervals
 * @param degenerate resamples left out because they could not place a switch
 * @param separated every run lies on its class's side of the fitted switch; see above
 */
public record SwitchFit(
    int runs,
    int positives,
    Estimate intercept,
    Estimate slope,
    List<Estimate> at,
    int resamples,
    int degenerate,
    boolean separated) {

  /** A value with its 95 % bootstrap percentile interval. */
  public record Estimate(double value, double low, double high) {
    /** "0.55 [0.49, 0.61]", or "0.55" when there is no interval. */
    public String format() {
      if (Double.isNaN(low) || Double.isNaN(high)) {
        return String.format(Locale.ROOT, "%.2f [–]", value);
      }
      return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", value, low, high);
    }
  }

  /**
   * Fits the switch along {@code alpha} (1-D when {@code t} is null) of {@code positive}, and
   * evaluates the 2-D line at {@code queries}.
   *
   * @throws IllegalArgumentException when the runs hold one outcome only, or the arrays differ in
   *     length
   */
  public static SwitchFit fit(
      double[] alpha, double[] t, boolean[] positive, double[] queries, int resamples, long seed) {
    int n = alpha.length;
    if (positive.length != n || (t != null && t.length != n)) {
      throw new IllegalArgumentException(
          "A switch fit needs one outcome and one coordinate per run (got "
              + n
              + " rates, "
              + positive.length
              + " outcomes)");
    }
    int positives = 0;
    for (boolean p : positive) {
      positives += p ? 1 : 0;
    }
    if (Arrays.stream(alpha).distinct().count() < 2) {
      throw new IllegalArgumentException(
          "Cannot place a switch: all " + n + " runs are at one attention rate");
    }
    if (positives == 0 || positives == n) {
      throw new IllegalArgumentException(
          "Cannot place a switch: all "
              + n
              + " runs "
              + (positives == 0 ? "lack" : "have")
              + " the property");
    }
    double[] queryPoints = t == null ? new double[0] : queries;
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = t == null ? new double[] {alpha[i]} : new double[] {alpha[i], t[i]};
    }
    double[] b = Logistic.fit(x, positive);
    double[] full = quantities(b, t != null, queryPoints);
    if (separated(b, x, positive)) {
      List<Estimate> e = new ArrayList<>();
      if (t == null) {
        double[] gap = gap(alpha, positive);
        e.add(new Estimate((gap[0] + gap[1]) / 2, gap[0], gap[1]));
      } else {
        for (double v : full) {
          e.add(new Estimate(v, Double.NaN, Double.NaN));
        }
      }
      return new SwitchFit(
          n,
          positives,
          e.get(0),
          t == null ? null : e.get(1),
          t == null ? List.of() : List.copyOf(e.subList(2, e.size())),
          0,
          0,
          true);
    }
    int m = full.length;
    double[][] boot = new double[m][resamples];
    int kept = 0;
    int degenerate = 0;
    SplittableRandom random = new SplittableRandom(seed);
    double[][] xr = new double[n][];
    boolean[] yr = new boolean[n];
    for (int r = 0; r < resamples; r++) {
      int hits = 0;
      for (int i = 0; i < n; i++) {
        int pick = random.nextInt(n);
        xr[i] = x[pick];
        yr[i] = positive[pick];
        hits += yr[i] ? 1 : 0;
      }
      if (hits == 0 || hits == n) {
        degenerate++;
        continue;
      }
      double[] q = quantities(Logistic.fit(xr, yr), t != null, queryPoints);
      if (!Arrays.stream(q).allMatch(Double::isFinite)) {
        degenerate++; // e.g. every drawn run at one attention rate: no slope to divide by
        continue;
      }
      for (int j = 0; j < m; j++) {
        boot[j][kept] = q[j];
      }
      kept++;
    }
    List<Estimate> estimates = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      double[] sorted = Arrays.copyOf(boot[j], kept);
      Arrays.sort(sorted);
      estimates.add(
          kept == 0
              ? new Estimate(full[j], Double.NaN, Double.NaN)
              : new Estimate(full[j], percentile(sorted, 0.025), percentile(sorted, 0.975)));
    }
    return new SwitchFit(
        n,
        positives,
        estimates.get(0),
        t == null ? null : estimates.get(1),
        t == null ? List.of() : List.copyOf(estimates.subList(2, m)),
        kept,
        degenerate,
        false);
  }

  /** Whether the fit {@code b} puts every run on its class's side. */
  private static boolean separated(double[] b, double[][] x, boolean[] positive) {
    for (int i = 0; i < x.length; i++) {
      if ((Logistic.dot(b, x[i]) > 0) != positive[i]) {
        return false;
      }
    }
    return true;
  }

  /** The gap between two separated classes along α: {highest of the lower, lowest of the upper}. */
  private static double[] gap(double[] alpha, boolean[] positive) {
    double maxPos = Double.NEGATIVE_INFINITY;
    double minPos = Double.POSITIVE_INFINITY;
    double maxNeg = Double.NEGATIVE_INFINITY;
    double minNeg = Double.POSITIVE_INFINITY;
    for (int i = 0; i < alpha.length; i++) {
      if (positive[i]) {
        maxPos = Math.max(maxPos, alpha[i]);
        minPos = Math.min(minPos, alpha[i]);
      } else {
        maxNeg = Math.max(maxNeg, alpha[i]);
        minNeg = Math.min(minNeg, alpha[i]);
      }
    }
    return maxNeg <= minPos ? new double[] {maxNeg, minPos} : new double[] {maxPos, minNeg};
  }

  /** [α*] (1-D), or [c0, c1, α*(q) for each query] (2-D), from the coefficients {@code b}. */
  private static double[] quantities(double[] b, boolean twoD, double[] queries) {
    if (!twoD) {
      return new double[] {-b[0] / b[1]};
    }
    double[] out = new double[2 + queries.length];
    out[0] = -b[0] / b[1];
    out[1] = -b[2] / b[1];
    for (int q = 0; q < queries.length; q++) {
      out[2 + q] = out[0] + out[1] * queries[q];
    }
    return out;
  }

  /** Linear interpolation between order statistics (the "type 7" definition). */
  static double percentile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
