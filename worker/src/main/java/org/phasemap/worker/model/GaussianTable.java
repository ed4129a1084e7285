package org.phasemap.worker.model;

/**
 * The standard normal cdf Φ and density φ by cubic Hermite interpolation on a fixed grid, for GeLU
 * in one pass over memory (x Φ(x) and its derivative Φ(x) + x φ(x)).
 *
 * <p>The grid covers [−8, 8] in steps of h = 1/128. Each interval's two cubics (Φ from Φ and φ at
 * its ends, φ from φ and φ' = −x φ) are stored as Horner coefficients, eight doubles side by side,
 * so a value costs one index, eight loads and six fused multiply-adds. The interpolation error is
 * at most h⁴/384 · max|f⁗|: 5.3e-12 for Φ and 1.2e-11 for φ, far below float32's resolution ({@code
 * ActivationTests} checks both against ND4J's float64 erf and Java's exp). Outside the grid, Φ
 * comes from the asymptotic tail series φ(x)/|x| · (1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸), relative
 * error below 1e-6 of a value under 7e-16, and φ from its formula.
 *
 * <p>The knot values are computed once: Φ(−8) from the tail series, then Φ at every further knot by
 * adding the integral of φ over the interval (5-point Gauss-Legendre, exact to rounding for a
 * smooth integrand on so short an interval), with compensated summation.
 */
final class GaussianTable {
  private GaussianTable() {}

  static final double LO = -8.0;
  static final double HI = 8.0;
  private static final int PER_UNIT = 128;
  private static final double H = 1.0 / PER_UNIT;
  private static final int KNOTS = (int) Math.round((HI - LO) * PER_UNIT) + 1;
  private static final int INTERVALS = KNOTS - 1;
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

  /**
   * Per interval [x_i, x_i + h], with u = (x − x_i) / h: Φ = c0 + u (c1 + u (c2 + u c3)) and φ = c4
   * + u (c5 + u (c6 + u c7)).
   */
  private static final double[] C = coefficients(build());

  static double pdf(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  /** Φ(x) for x ≤ −8 by the asymptotic series (callers use it only there). */
  static double lowerTail(double x) {
    double z = 1.0 / (x * x);
    double series = 1 - z * (1 - z * (3 - z * (15 - z * 105)));
    return pdf(x) / -x * series;
  }

  /** Hermite data (f, h f') at both ends of each interval, as Horner coefficients of its cubic. */
  private static double[] coefficients(double[] t) {
    double[] c = new double[(KNOTS - 1) * 8];
    for (int i = 0; i < KNOTS - 1; i++) {
      for (int f = 0; f < 2; f++) { // 0: Φ (knot slots 0, 1), 1: φ (slots 2, 3)
        double p0 = t[4 * i + 2 * f];
        double m0 = t[4 * i + 2 * f + 1];
        double p1 = t[4 * (i + 1) + 2 * f];
        double m1 = t[4 * (i + 1) + 2 * f + 1];
        int o = 8 * i + 4 * f;
        c[o] = p0;
        c[o + 1] = m0;
        c[o + 2] = 3 * (p1 - p0) - 2 * m0 - m1;
        c[o + 3] = 2 * (p0 - p1) + m0 + m1;
      }
    }
    return c;
  }

  /** Per knot: Φ, h·φ, φ, h·φ' (the derivatives scaled by h, as the Hermite form wants them). */
  private static double[] build() {
    double[] nodes = {
      0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664
    };
    double[] weights = {
      0.5688888888888889,
      0.4786286704993665,
      0.4786286704993665,
      0.2369268850561891,
      0.2369268850561891
    };
    double[] t = new double[KNOTS * 4];
    double cdf = lowerTail(LO);
    double carry = 0;
    for (int i = 0; i < KNOTS; i++) {
      double x = LO + i * H;
      if (i > 0) {
        double mid = x - H / 2;
        double integral = 0;
        for (int g = 0; g < nodes.length; g++) {
          integral += weights[g] * pdf(mid + nodes[g] * H / 2);
        }
        double y = integral * H / 2 - carry;
        double sum = cdf + y;
        carry = (sum - cdf) - y;
        cdf = sum;
      }
      double phi = pdf(x);
      t[4 * i] = cdf;
      t[4 * i + 1] = H * phi;
      t[4 * i + 2] = phi;
      t[4 * i + 3] = H * -x * phi;
    }
    return t;
  }

  /** Φ(v): interpolated on the grid, the tail series outside it, NaN for NaN. */
  static double cdf(double v) {
    if (v > LO && v < HI) {
      double s = (v - LO) * PER_UNIT;
      int i = (int) s;
      return horner(8 * i, s - i);
    }
    if (v <= LO) {
      return lowerTail(v);
    }
    return v >= HI ? 1 - lowerTail(-v) : v;
  }

  /** φ(v): interpolated on the grid, exact outside it, NaN for NaN. */
  static double density(double v) {
    if (v > LO && v < HI) {
      double s = (v - LO) * PER_UNIT;
      int i = (int) s;
      return horner(8 * i + 4, s - i);
    }
    return pdf(v);
  }

  private static double horner(int o, double u) {
    return Math.fma(Math.fma(Math.fma(C[o + 3], u, C[o + 2]), u, C[o + 1]), u, C[o]);
  }

  /** The coefficients in float, for the float32 pass. */
  private static final float[] CF = toFloats(C);

  private static float[] toFloats(double[] c) {
    float[] f = new float[c.length];
    for (int i = 0; i < c.length; i++) {
      f[i] = (float) c[i];
    }
    return f;
  }

  /**
   * GeLU over one chunk of rows, as {@link Activation#pass}: with v = x + bias (in float), x Φ(v)
   * and Φ(v) + v φ(v), both from the one grid interval of v, evaluated in float (from float
   * coefficients): within a few float32 ulps of the double evaluation, and about 3 times faster
   * (plain multiply-adds: {@code Math.fma} in this loop measured slower still, 15 against 12 ns a
   * value, docs/PERFORMANCE.md).
   */
  static void gelu(float[] x, float[] deriv, int m, float[] bias) {
    int cols = bias.length;
    float[] c = CF;
    for (int row = 0; row < m; row += cols) {
      int end = Math.min(cols, m - row); // a short last row only without a bias
      for (int j = 0; j < end; j++) {
        int k = row + j;
        float v = x[k] + bias[j]; // the add in float, as ND4J's
        float cdf;
        float pdf;
        if (v > -8f && v < 8f) { // [LO, HI]
          // the interval from a rounded position (at most one off at its ends, where the cubics
          // meet), then u exactly from v and the interval's knot (both floats, the difference
          // exact)
          int i = Math.min((int) ((v + 8f) * PER_UNIT), INTERVALS - 1);
          float u = (v - (-8f + i * (1f / PER_UNIT))) * PER_UNIT;
          int o = 8 * i;
          cdf = ((c[o + 3] * u + c[o + 2]) * u + c[o + 1]) * u + c[o];
          pdf = ((c[o + 7] * u + c[o + 6]) * u + c[o + 5]) * u + c[o + 4];
        } else {
          cdf = (float) cdf(v);
          pdf = (float) pdf(v);
        }
        x[k] = v * cdf;
        if (deriv != null) {
          deriv[k] = v * pdf + cdf;
        }
      }
    }
  }
}
