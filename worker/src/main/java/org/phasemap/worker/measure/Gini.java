package org.phasemap.worker.measure;

import java.util.Arrays;

/**
 * The Gini coefficient of a vector of non-negative values (SCIENCE.md 1.4.5), used on Fourier norms
 * of W_E and W_L to measure how concentrated a weight matrix is on a few frequencies.
 */
public final class Gini {

  private Gini() {}

  /**
   * Gini(x_1 … x_n) = 2 Σ_i i·x_(i) / (n Σ_i x_i) − (n+1)/n, with x sorted ascending and i 1-based
   * (equivalently Σ_i Σ_j |x_i − x_j| / (2 n Σ_i x_i)). 0 means perfectly spread; the maximum,
   * (n−1)/n, means all mass in one entry. Order of the input does not matter.
   *
   * <p>An all-zero vector has no mass to be unequal about; it returns 0 (rather than the 0/0 of the
   * formula), so a dead weight matrix reads as "not concentrated".
   *
   * @throws IllegalArgumentException if x is empty or holds a negative or non-finite value
   */
  public static double of(double[] x) {
    if (x.length == 0) {
      throw new IllegalArgumentException(
          "Cannot compute a Gini coefficient: no values (got length 0)");
    }
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] >= 0) || Double.isInfinite(x[i])) {
        throw new IllegalArgumentException(
            "Cannot compute a Gini coefficient: values must be finite and non-negative (got "
                + x[i]
                + " at index "
                + i
                + ")");
      }
    }
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double total = 0;
    double weighted = 0;
    for (int i = 0; i < n; i++) {
      total += sorted[i];
      weighted += (i + 1) * sorted[i];
    }
    if (total == 0) {
      return 0;
    }
    return 2 * weighted / (n * total) - (n + 1.0) / n;
  }
}
