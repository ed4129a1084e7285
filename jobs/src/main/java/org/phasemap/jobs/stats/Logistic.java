package org.phasemap.jobs.stats;

/**
 * Logistic regression P(y = 1 | x) = σ(b0 + b1 x1 + … + bk xk), fitted by Newton's method on the
 * log-likelihood with a small ridge penalty {@value #RIDGE} · (b1² + … + bk²) on the slopes.
 *
 * <p>The penalty changes nothing visible on overlapping classes; on perfectly separated ones (a
 * bootstrap resample of a clean boundary, or a handful of runs) the plain maximum-likelihood slope
 * is infinite, and the penalty keeps it finite, with the crossing inside the gap between the
 * classes.
 */
public final class Logistic {
  /** Weight of the ridge penalty on the slopes. */
  public static final double RIDGE = 1e-3;

  private static final int MAX_ITERATIONS = 100;

  private Logistic() {}

  /**
   * The coefficients (b0, b1, …, bk) for rows {@code x[i]} (k features each) and outcomes {@code
   * y[i]}.
   *
   * @throws IllegalArgumentException when rows and outcomes differ in number or there are none
   */
  public static double[] fit(double[][] x, boolean[] y) {
    int n = x.length;
    if (n == 0 || y.length != n) {
      throw new IllegalArgumentException(
          "A logistic fit needs one outcome per row and at least one row (got "
              + n
              + " rows, "
              + y.length
              + " outcomes)");
    }
    int k = x[0].length + 1;
    double[] b = new double[k];
    double[] grad = new double[k];
    double[][] hess = new double[k][k];
    double[] row = new double[k];
    double objective = objective(x, y, b);
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      java.util.Arrays.fill(grad, 0);
      for (double[] h : hess) {
        java.util.Arrays.fill(h, 0);
      }
      for (int i = 0; i < n; i++) {
        row[0] = 1;
        System.arraycopy(x[i], 0, row, 1, k - 1);
        double p = sigmoid(dot(b, x[i]));
        double target = y[i] ? 1 : 0;
        double w = Math.max(p * (1 - p), 1e-12);
        for (int j = 0; j < k; j++) {
          grad[j] += (target - p) * row[j];
          for (int l = 0; l < k; l++) {
            hess[j][l] += w * row[j] * row[l];
          }
        }
      }
      for (int j = 1; j < k; j++) {
        grad[j] -= 2 * RIDGE * b[j];
        hess[j][j] += 2 * RIDGE;
      }
      double[] delta = solve(hess, grad);
      // damped Newton: halve the step until the penalised log-likelihood does not fall
      double step = 1;
      double[] next = new double[k];
      double nextObjective;
      do {
        for (int j = 0; j < k; j++) {
          next[j] = b[j] + step * delta[j];
        }
        nextObjective = objective(x, y, next);
        step /= 2;
      } while (nextObjective < objective && step > 1e-10);
      if (nextObjective < objective) {
        break;
      }
      b = next;
      boolean converged = nextObjective - objective < 1e-12 * (1 + Math.abs(objective));
      objective = nextObjective;
      if (converged) {
        break;
      }
    }
    return b;
  }

  /** b0 + b1 x1 + … + bk xk. */
  static double dot(double[] b, double[] x) {
    double eta = b[0];
    for (int j = 0; j < x.length; j++) {
      eta += b[j + 1] * x[j];
    }
    return eta;
  }

  /** The penalised log-likelihood. */
  private static double objective(double[][] x, boolean[] y, double[] b) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double eta = dot(b, x[i]);
      sum += y[i] ? logSigmoid(eta) : logSigmoid(-eta);
    }
    for (int j = 1; j < b.length; j++) {
      sum -= RIDGE * b[j] * b[j];
    }
    return sum;
  }

  static double sigmoid(double t) {
    return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  }

  private static double logSigmoid(double t) {
    return t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t));
  }

  /** Solves a x = r for a small symmetric positive definite a (Gaussian elimination, pivoting). */
  private static double[] solve(double[][] a, double[] r) {
    int k = r.length;
    double[][] m = new double[k][k + 1];
    for (int i = 0; i < k; i++) {
      System.arraycopy(a[i], 0, m[i], 0, k);
      m[i][k] = r[i];
    }
    for (int c = 0; c < k; c++) {
      int pivot = c;
      for (int i = c + 1; i < k; i++) {
        if (Math.abs(m[i][c]) > Math.abs(m[pivot][c])) {
          pivot = i;
        }
      }
      double[] t = m[c];
      m[c] = m[pivot];
      m[pivot] = t;
      for (int i = c + 1; i < k; i++) {
        double f = m[i][c] / m[c][c];
        for (int j = c; j <= k; j++) {
          m[i][j] -= f * m[c][j];
        }
      }
    }
    double[] out = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      double s = m[i][k];
      for (int j = i + 1; j < k; j++) {
        s -= m[i][j] * out[j];
      }
      out[i] = s / m[i][i];
    }
    return out;
  }
}
