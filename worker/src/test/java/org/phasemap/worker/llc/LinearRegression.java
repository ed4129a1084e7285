package org.phasemap.worker.llc;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A regular model with a known learning coefficient λ = d/2: y = x·w + N(0, σ²) with known σ, L_n
 * the mean Gaussian negative log-likelihood, w* the least-squares solution (the exact minimiser of
 * L_n). Pure Java apart from the parameter and gradient arrays.
 */
final class LinearRegression implements LossGradient {
  private final double[][] x;
  private final double[] y;
  private final double sigma;
  private final INDArray w;
  private final INDArray grad;

  private LinearRegression(double[][] x, double[] y, double sigma, double[] wStar) {
    this.x = x;
    this.y = y;
    this.sigma = sigma;
    this.w = Nd4j.createFromArray(wStar);
    this.grad = Nd4j.zeros(DataType.DOUBLE, wStar.length);
  }

  /** n examples of d standard-normal features, true weights N(0, 1), noise σ; w = w*. */
  static LinearRegression sample(int n, int d, double sigma, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] wTrue = new double[d];
    for (int j = 0; j < d; j++) {
      wTrue[j] = rng.nextGaussian();
    }
    double[][] x = new double[n][d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = rng.nextGaussian();
        y[i] += x[i][j] * wTrue[j];
      }
      y[i] += sigma * rng.nextGaussian();
    }
    return new LinearRegression(x, y, sigma, leastSquares(x, y));
  }

  /** Solves XᵀX w = Xᵀy by Gaussian elimination with partial pivoting. */
  private static double[] leastSquares(double[][] x, double[] y) {
    int d = x[0].length;
    double[][] a = new double[d][d + 1];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          a[j][k] += x[i][j] * x[i][k];
        }
        a[j][d] += x[i][j] * y[i];
      }
    }
    for (int c = 0; c < d; c++) {
      int piv = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
          piv = r;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      for (int r = 0; r < d; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= d; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = a[j][d] / a[j][j];
    }
    return w;
  }

  @Override
  public int size() {
    return y.length;
  }

  @Override
  public double loss(int[] batch) {
    return lossAndMaybeGradient(batch, null);
  }

  @Override
  public Evaluation lossAndGradient(int[] batch) {
    double[] g = new double[(int) w.length()];
    double loss = lossAndMaybeGradient(batch, g);
    for (int j = 0; j < g.length; j++) {
      grad.putScalar(j, g[j]);
    }
    return new Evaluation(loss, Map.of("w", grad));
  }

  private double lossAndMaybeGradient(int[] batch, double[] g) {
    double[] wv = w.toDoubleVector();
    double s2 = sigma * sigma;
    double constant = 0.5 * Math.log(2 * Math.PI * s2);
    double sum = 0;
    for (int i : batch) {
      double r = y[i];
      for (int j = 0; j < wv.length; j++) {
        r -= x[i][j] * wv[j];
      }
      sum += r * r / (2 * s2) + constant;
      if (g != null) {
        for (int j = 0; j < wv.length; j++) {
          g[j] -= r * x[i][j] / (s2 * batch.length);
        }
      }
    }
    return sum / batch.length;
  }

  @Override
  public Map<String, INDArray> parameters() {
    return Map.of("w", w);
  }
}
