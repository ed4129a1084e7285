package org.phasemap.worker.classify;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Distance irrelevance (DI, "q"), SCIENCE.md 2.3.2: how much a logit still varies with the sum a +
 * b once the difference a − b is fixed, relative to its overall spread.
 *
 * <p>For every input (a, b) put one logit into a p × p table at M[s, d] with s = (a + b) mod p and
 * d = (a − b) mod p, then
 *
 * <pre>DI = mean_d( std_s M[s, d] ) / std(all entries of M)</pre>
 *
 * with population standard deviations (ddof 0). Clock: the logit does not depend on a − b, DI ≈ 1.
 * Pizza: the correct logit is ∝ |cos(w(a − b)/2)|, a function of d, so DI is small.
 *
 * <p>Two variants, both stored by the platform:
 *
 * <ul>
 *   <li>{@link #correct} ({@code di_correct}): the logit of the correct class (a + b) mod p, the
 *       paper's definition;
 *   <li>{@link #maxWrong} ({@code di_maxwrong}): the largest <em>incorrect</em> logit of each
 *       input, which is what the released sweep table and phase figures contain.
 * </ul>
 *
 * <p>Inputs: logits {@code [p², p]}, row {@code a·p + b}, column c = logit of class c (the model
 * has exactly p output logits). Any ND4J floating type is accepted; arithmetic is in double.
 *
 * <p>Undefined cases: when every entry of M is equal (max = min) the denominator is zero and the
 * result is {@link Double#NaN}, which callers must treat as "undefined", not as 0 or 1. (Exact
 * equality is tested, not a small std, because the mean of equal floats is not always exactly that
 * float and rounding would otherwise produce an arbitrary ratio.) A non-finite logit also gives
 * NaN.
 *
 * <p>p must be odd: (a, b) ↦ (a + b, a − b) mod p is a bijection of the p² inputs onto the table
 * only when 2 is invertible mod p; for even p two inputs would claim the same cell.
 */
public final class DistanceIrrelevance {
  private DistanceIrrelevance() {}

  /** {@code di_correct}: DI of the correct-class logit (paper definition, SCIENCE.md 2.3.2). */
  public static double correct(INDArray logits, int p) {
    return correct(Matrices.toDouble(logits, "logits"), p);
  }

  /** {@code di_correct} for logits given as {@code double[p²][p]}. */
  public static double correct(double[][] logits, int p) {
    return ofTable(correctLogitTable(logits, p));
  }

  /**
   * {@code di_maxwrong}: DI of the largest incorrect logit of each input (the released-CSV and
   * phase-figure variant, SCIENCE.md 2.3.2 "Discrepancy to handle").
   */
  public static double maxWrong(INDArray logits, int p) {
    return maxWrong(Matrices.toDouble(logits, "logits"), p);
  }

  /** {@code di_maxwrong} for logits given as {@code double[p²][p]}. */
  public static double maxWrong(double[][] logits, int p) {
    return ofTable(maxWrongLogitTable(logits, p));
  }

  /** M[s][d] = logit of class s for the input (a, b) with a + b ≡ s and a − b ≡ d (mod p). */
  public static double[][] correctLogitTable(double[][] logits, int p) {
    requireShape(logits, p);
    double[][] m = new double[p][p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        int s = (a + b) % p;
        m[s][difference(a, b, p)] = logits[a * p + b][s];
      }
    }
    return m;
  }

  /**
   * M[s][d] = max over c ≠ s of the logit of class c for the input (a, b) with a + b ≡ s and a − b
   * ≡ d (mod p); the same as taking the top logit after setting the correct one to −∞.
   */
  public static double[][] maxWrongLogitTable(double[][] logits, int p) {
    requireShape(logits, p);
    double[][] m = new double[p][p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        int s = (a + b) % p;
        double[] row = logits[a * p + b];
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < p; c++) {
          if (c != s) {
            best = Math.max(best, row[c]); // Math.max propagates NaN
          }
        }
        m[s][difference(a, b, p)] = best;
      }
    }
    return m;
  }

  /**
   * DI of a table {@code m[s][d]}: mean over columns d of the population std over s, divided by the
   * population std of all entries. NaN when all entries are equal or any is non-finite.
   */
  public static double ofTable(double[][] m) {
    int rows = m.length;
    if (rows == 0) {
      throw new IllegalArgumentException("Cannot compute distance irrelevance of an empty table");
    }
    int cols = m[0].length;
    Matrices.requireRectangular(m, cols, "distance-irrelevance table");
    double[] all = new double[rows * cols];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < rows; s++) {
      for (int d = 0; d < cols; d++) {
        double v = m[s][d];
        if (!Double.isFinite(v)) {
          return Double.NaN;
        }
        all[s * cols + d] = v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min == max) {
      return Double.NaN;
    }
    double sumOfColumnStds = 0;
    double[] column = new double[rows];
    for (int d = 0; d < cols; d++) {
      for (int s = 0; s < rows; s++) {
        column[s] = m[s][d];
      }
      sumOfColumnStds += Matrices.populationStd(column);
    }
    return (sumOfColumnStds / cols) / Matrices.populationStd(all);
  }

  private static int difference(int a, int b, int p) {
    return Math.floorMod(a - b, p);
  }

  private static void requireShape(double[][] logits, int p) {
    if (p < 3 || p % 2 == 0) {
      throw new IllegalArgumentException(
          "Cannot compute distance irrelevance for p = "
              + p
              + ": p must be odd and at least 3, so that (a + b, a − b) mod p maps the p² inputs"
              + " one-to-one onto the table");
    }
    int cols = logits.length == 0 || logits[0] == null ? 0 : logits[0].length;
    if (logits.length != p * p || cols != p) {
      throw new IllegalArgumentException(
          "Cannot compute distance irrelevance: logits must have shape [p², p] = ["
              + p * p
              + ", "
              + p
              + "] (got ["
              + logits.length
              + ", "
              + cols
              + "])");
    }
    Matrices.requireRectangular(logits, p, "logits");
  }
}
