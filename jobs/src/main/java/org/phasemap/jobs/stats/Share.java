package org.phasemap.jobs.stats;

import java.util.Locale;

/**
 * A share of runs, {@code hits} of {@code trials}, with its 95 % Wilson score interval.
 *
 * <p>The Wilson interval (Wilson 1927) inverts the normal test of a proportion: it is the set of
 * shares q for which |hits/trials − q| ≤ z √(q (1 − q) / trials). Unlike the plain p ± z √(p (1 −
 * p) / n), it stays inside [0, 1] and is not empty at 0 of n or n of n, which is what a
 * phase-diagram bin of a dozen runs often holds.
 *
 * @param hits runs with the property, 0 ≤ hits ≤ trials
 * @param trials runs in all
 */
public record Share(long hits, long trials) {

  /** The two-sided 95 % normal quantile. */
  public static final double Z95 = 1.959963984540054;

  public Share {
    if (trials < 0 || hits < 0 || hits > trials) {
      throw new IllegalArgumentException(
          "A share needs 0 <= hits <= trials (got " + hits + " of " + trials + ")");
    }
  }

  /** hits / trials; NaN when there are no trials. */
  public double value() {
    return trials == 0 ? Double.NaN : (double) hits / trials;
  }

  /** The lower end of the 95 % Wilson interval; NaN when there are no trials. */
  public double low() {
    return bound(-1);
  }

  /** The upper end of the 95 % Wilson interval; NaN when there are no trials. */
  public double high() {
    return bound(1);
  }

  private double bound(int sign) {
    if (trials == 0) {
      return Double.NaN;
    }
    double n = trials;
    double p = hits / n;
    double z2 = Z95 * Z95;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // at 0 of n and n of n the formula gives the end exactly up to rounding: pin it
    if (sign < 0 && hits == 0) {
      return 0;
    }
    if (sign > 0 && hits == trials) {
      return 1;
    }
    return centre + sign * half;
  }

  /** "0.62 [0.45, 0.77]", or "–" when there are no trials. */
  public String format() {
    if (trials == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", value(), low(), high());
  }
}
