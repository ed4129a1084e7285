package org.phasemap.driver.sampling;

/** How evenly a point set covers the unit cube. */
public final class Discrepancy {
  private Discrepancy() {}

  /**
   * The L2-star discrepancy T of points in [0, 1]^d: the root mean square, over anchored boxes [0,
   * y), of the difference between the share of points in the box and its volume. By Warnock's
   * formula (T. T. Warnock, "Computational investigations of low-discrepancy point sets", 1972):
   *
   * <pre>
   *   T² = 3^-d − (2^(1−d) / N) Σ_i Π_k (1 − x_ik²) + (1 / N²) Σ_i Σ_j Π_k (1 − max(x_ik, x_jk))
   * </pre>
   *
   * For N independent uniform points E[T²] = (2^-d − 3^-d) / N; low-discrepancy sets reach about
   * (log N)^d / N. O(N² d).
   *
   * @throws IllegalArgumentException if there are no points or they differ in dimension
   */
  public static double l2Star(double[][] points) {
    int n = points.length;
    if (n == 0) {
      throw new IllegalArgumentException("Cannot compute a discrepancy: no points");
    }
    int d = points[0].length;
    double single = 0;
    double pairs = 0;
    for (int i = 0; i < n; i++) {
      if (points[i].length != d) {
        throw new IllegalArgumentException(
            "Cannot compute a discrepancy: point "
                + i
                + " has "
                + points[i].length
                + " coordinates, point 0 has "
                + d);
      }
      double p = 1;
      for (int k = 0; k < d; k++) {
        p *= 1 - points[i][k] * points[i][k];
      }
      single += p;
      for (int j = 0; j < n; j++) {
        double q = 1;
        for (int k = 0; k < d; k++) {
          q *= 1 - Math.max(points[i][k], points[j][k]);
        }
        pairs += q;
      }
    }
    double t2 = Math.pow(3, -d) - Math.pow(2, 1 - d) / n * single + pairs / ((double) n * n);
    return Math.sqrt(Math.max(t2, 0));
  }
}
