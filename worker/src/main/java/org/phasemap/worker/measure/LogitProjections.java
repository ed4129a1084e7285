package org.phasemap.worker.measure;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Restricted and excluded loss, per-frequency excluded loss and cosine coefficients of a model's
 * logits (SCIENCE.md 1.4.3, 1.4.4 and 1.4.7).
 *
 * <p>Inputs everywhere: the logit table L ∈ ℝ^{p²×p} over all inputs (row a·p + b for input (a, b),
 * column c the logit of class c, exactly p output columns), the modulus p, the key frequencies K ⊂
 * {1 … (p−1)/2} and, where a measure is a training-set loss, the training rows as pair indices a·p
 * + b (the {@code int[]} of {@code ModularAddition.trainIndices()}; their order does not matter).
 * The label of row a·p + b is (a + b) mod p.
 *
 * <p>For frequency k with c_k = B[2k−1], s_k = B[2k] (see {@link FourierBasis}), the unit vectors
 * u_cos,k = (c_k ⊗ c_k − s_k ⊗ s_k)/√2 ∝ cos(w_k(a+b)) and u_sin,k = (s_k ⊗ c_k + c_k ⊗ s_k)/√2 ∝
 * sin(w_k(a+b)) span the frequency-k functions of a + b, and Π = Σ_{k∈K} (u_cos,k u_cos,kᵀ +
 * u_sin,k u_sin,kᵀ) is applied to every column of L. An empty K is allowed: Π is then 0.
 *
 * <p>{@link #measure} computes everything from one decomposition of L (the coefficients of L on all
 * 2·(p−1)/2 directions); the single-purpose functions are conveniences that redo it.
 */
public final class LogitProjections {

  private LogitProjections() {}

  /**
   * All logit-projection measures of one checkpoint. Arrays are copied in and out.
   *
   * @param restrictedLoss CE over all p² inputs of ΠL + 1·mean_rows(L − ΠL)
   * @param restrictedAccuracy accuracy over all p² inputs of the same logits
   * @param excludedLoss CE over the training rows of L − ΠL
   * @param excludedAccuracy accuracy over the training rows of L − ΠL
   * @param excludedLossPerFrequency entry k−1: CE over the training rows of L − Π_{{k}}L, for every
   *     k = 1 … (p−1)/2 (key or not)
   * @param cosineCoefficients entry k−1: γ_k = ⟨C_k, L⟩ for every k = 1 … (p−1)/2
   */
  public record Measures(
      double restrictedLoss,
      double restrictedAccuracy,
      double excludedLoss,
      double excludedAccuracy,
      double[] excludedLossPerFrequency,
      double[] cosineCoefficients) {

    /** Copies the arrays, so a record cannot change after it is made. */
    public Measures {
      excludedLossPerFrequency = excludedLossPerFrequency.clone();
      cosineCoefficients = cosineCoefficients.clone();
    }

    @Override
    public double[] excludedLossPerFrequency() {
      return excludedLossPerFrequency.clone();
    }

    @Override
    public double[] cosineCoefficients() {
      return cosineCoefficients.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Measures m
          && Double.compare(restrictedLoss, m.restrictedLoss) == 0
          && Double.compare(restrictedAccuracy, m.restrictedAccuracy) == 0
          && Double.compare(excludedLoss, m.excludedLoss) == 0
          && Double.compare(excludedAccuracy, m.excludedAccuracy) == 0
          && Arrays.equals(excludedLossPerFrequency, m.excludedLossPerFrequency)
          && Arrays.equals(cosineCoefficients, m.cosineCoefficients);
    }

    @Override
    public int hashCode() {
      return Double.hashCode(restrictedLoss) * 31 + Arrays.hashCode(cosineCoefficients);
    }

    @Override
    public String toString() {
      return "LogitProjections.Measures[restrictedLoss="
          + restrictedLoss
          + ", restrictedAccuracy="
          + restrictedAccuracy
          + ", excludedLoss="
          + excludedLoss
          + ", excludedAccuracy="
          + excludedAccuracy
          + ", excludedLossPerFrequency="
          + Arrays.toString(excludedLossPerFrequency)
          + ", cosineCoefficients="
          + Arrays.toString(cosineCoefficients)
          + "]";
    }
  }

  /** {@link #measure(INDArray, int, int[], int[])} for logits held as a Java array. */
  public static Measures measure(double[][] logits, int p, int[] keyFrequencies, int[] trainRows) {
    return measure(Nd4j.create(logits), p, keyFrequencies, trainRows);
  }

  /**
   * Every measure of {@link Measures} from one decomposition of L.
   *
   * @param logits L, [p², p], float or double
   * @param p the modulus (odd, at least 3)
   * @param keyFrequencies K, distinct values in [1, (p−1)/2], any order, possibly empty
   * @param trainRows pair indices a·p + b of the training set, non-empty
   * @throws IllegalArgumentException on a wrong shape, frequency or row
   */
  public static Measures measure(INDArray logits, int p, int[] keyFrequencies, int[] trainRows) {
    checkKeys(keyFrequencies, p);
    checkRows(trainRows, p);
    Decomposition d = Decomposition.of(logits, p);
    INDArray projected = d.projected(keyFrequencies);
    INDArray restricted = restricted(d.logits, projected);
    INDArray excluded = d.logits.sub(projected);
    double[][] restrictedRows = Matrices.rows(restricted);
    double[][] excludedTrainRows = rows(excluded, trainRows);
    int[] allLabels = labels(allRows(p), p);
    int[] trainLabels = labels(trainRows, p);
    return new Measures(
        CrossEntropy.loss(restrictedRows, allLabels),
        CrossEntropy.accuracy(restrictedRows, allLabels),
        CrossEntropy.loss(excludedTrainRows, trainLabels),
        CrossEntropy.accuracy(excludedTrainRows, trainLabels),
        d.excludedLossPerFrequency(trainRows),
        cosineCoefficients(d.logits, p));
  }

  /**
   * ΠL: every column of L projected on the cos/sin(w_k(a+b)) directions of the key frequencies
   * (SCIENCE.md 1.4.3).
   *
   * @throws IllegalArgumentException on a wrong shape or frequency
   */
  public static INDArray project(INDArray logits, int p, int[] keyFrequencies) {
    checkKeys(keyFrequencies, p);
    INDArray l = checkedLogits(logits, p);
    if (keyFrequencies.length == 0) {
      return Nd4j.zerosLike(l);
    }
    INDArray u = directions(p, keyFrequencies);
    return u.mmul(u.transpose().mmul(l));
  }

  /**
   * L_res = ΠL + 1·mean_rows(L − ΠL): the key-frequency part of L plus, per output column, the mean
   * over all p² inputs of what was removed (the "bias correction", SCIENCE.md 1.4.3).
   */
  public static INDArray restrictedLogits(INDArray logits, int p, int[] keyFrequencies) {
    return restricted(checkedLogits(logits, p), project(logits, p, keyFrequencies));
  }

  /** L_exc = L − ΠL, with no bias correction (SCIENCE.md 1.4.4); all p² rows. */
  public static INDArray excludedLogits(INDArray logits, int p, int[] keyFrequencies) {
    return checkedLogits(logits, p).sub(project(logits, p, keyFrequencies));
  }

  /** Restricted loss: CE_all(L_res) over all p² inputs (SCIENCE.md 1.4.3, PM-code default). */
  public static double restrictedLoss(INDArray logits, int p, int[] keyFrequencies) {
    return CrossEntropy.loss(
        Matrices.rows(restrictedLogits(logits, p, keyFrequencies)), labels(allRows(p), p));
  }

  /** Restricted accuracy: share of all p² inputs where argmax L_res is the label. */
  public static double restrictedAccuracy(INDArray logits, int p, int[] keyFrequencies) {
    return CrossEntropy.accuracy(
        Matrices.rows(restrictedLogits(logits, p, keyFrequencies)), labels(allRows(p), p));
  }

  /** Excluded loss: CE_T(L − ΠL) over the training rows (SCIENCE.md 1.4.4). */
  public static double excludedLoss(INDArray logits, int p, int[] keyFrequencies, int[] trainRows) {
    checkRows(trainRows, p);
    return CrossEntropy.loss(
        rows(excludedLogits(logits, p, keyFrequencies), trainRows), labels(trainRows, p));
  }

  /** Excluded accuracy: share of training rows where argmax (L − ΠL) is the label. */
  public static double excludedAccuracy(
      INDArray logits, int p, int[] keyFrequencies, int[] trainRows) {
    checkRows(trainRows, p);
    return CrossEntropy.accuracy(
        rows(excludedLogits(logits, p, keyFrequencies), trainRows), labels(trainRows, p));
  }

  /**
   * Excluded loss of each single frequency: entry k−1 is CE_T(L − Π_{{k}}L) for k = 1 … (p−1)/2,
   * the "excluded loss 2D" trace of SCIENCE.md 1.4.4.
   */
  public static double[] excludedLossPerFrequency(INDArray logits, int p, int[] trainRows) {
    checkRows(trainRows, p);
    return Decomposition.of(logits, p).excludedLossPerFrequency(trainRows);
  }

  /**
   * Cosine coefficients γ_k = ⟨C_k, L⟩ for k = 1 … (p−1)/2 (SCIENCE.md 1.4.4, 3-D variant), with
   * C_k(a, b, c) = cos(w_k(a+b−c)) / ‖cos(w_k(a+b−c))‖ normalised over all p³ entries.
   *
   * <p>Computed without forming C_k: L is summed over the inputs of equal a + b and then over equal
   * (a + b − c) mod p into H[d], and γ_k = Σ_d H[d] cos(w_k d) / √(p² Σ_d cos²(w_k d)).
   */
  public static double[] cosineCoefficients(INDArray logits, int p) {
    double[][] l = Matrices.rows(checkedLogits(logits, p));
    double[] byDifference = new double[p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        double[] row = l[a * p + b];
        int s = (a + b) % p;
        for (int c = 0; c < p; c++) {
          byDifference[Math.floorMod(s - c, p)] += row[c];
        }
      }
    }
    double[] gamma = new double[FourierBasis.frequencies(p)];
    for (int k = 1; k <= gamma.length; k++) {
      double dot = 0;
      double squares = 0;
      for (int d = 0; d < p; d++) {
        double cos = Math.cos(2 * Math.PI * ((long) k * d % p) / p);
        dot += byDifference[d] * cos;
        squares += cos * cos;
      }
      gamma[k - 1] = dot / Math.sqrt((double) p * p * squares);
    }
    return gamma;
  }

  /**
   * The unit directions of the given frequencies as columns of a [p², 2·|frequencies|] matrix:
   * column 2i is u_cos,k and column 2i+1 is u_sin,k for k = frequencies[i] (SCIENCE.md 1.3).
   *
   * @throws IllegalArgumentException if no frequency is given or one is out of [1, (p−1)/2]
   */
  public static INDArray directions(int p, int[] frequencies) {
    if (frequencies.length == 0) {
      throw new IllegalArgumentException("Cannot build sum directions: no frequencies (got 0)");
    }
    int max = FourierBasis.frequencies(p);
    for (int k : frequencies) {
      if (k < 1 || k > max) {
        throw new IllegalArgumentException(
            "Cannot build sum directions: frequencies must be in [1, " + max + "] (got " + k + ")");
      }
    }
    double[][] basis = FourierBasis.of(p);
    int columns = 2 * frequencies.length;
    double[] u = new double[p * p * columns];
    double root2 = Math.sqrt(2);
    for (int i = 0; i < frequencies.length; i++) {
      double[] c = basis[FourierBasis.cosRow(frequencies[i])];
      double[] s = basis[FourierBasis.sinRow(frequencies[i])];
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          int row = (a * p + b) * columns;
          u[row + 2 * i] = (c[a] * c[b] - s[a] * s[b]) / root2;
          u[row + 2 * i + 1] = (s[a] * c[b] + c[a] * s[b]) / root2;
        }
      }
    }
    return Matrices.matrix(u, p * p, columns);
  }

  /**
   * L and its coefficients on the directions of all frequencies, so that any Π_K L and every
   * single-frequency exclusion are cheap slices of one product.
   */
  private record Decomposition(INDArray logits, int p, INDArray units, INDArray coefficients) {

    static Decomposition of(INDArray logits, int p) {
      INDArray l = checkedLogits(logits, p);
      INDArray u = directions(p, allFrequencies(p));
      return new Decomposition(l, p, u, u.transpose().mmul(l));
    }

    /** Π_K L from the stored coefficients. */
    INDArray projected(int[] keys) {
      if (keys.length == 0) {
        return Nd4j.zerosLike(logits);
      }
      int[] columns = new int[2 * keys.length];
      for (int i = 0; i < keys.length; i++) {
        columns[2 * i] = 2 * (keys[i] - 1);
        columns[2 * i + 1] = 2 * (keys[i] - 1) + 1;
      }
      return units.getColumns(columns).mmul(coefficients.getRows(columns));
    }

    /** CE_T(L − Π_{{k}}L) for every k, as a rank-2 update of each training row. */
    double[] excludedLossPerFrequency(int[] trainRows) {
      double[][] l = rows(logits, trainRows);
      double[][] u = rows(units, trainRows);
      double[][] coef = Matrices.rows(coefficients);
      int[] labels = labels(trainRows, p);
      double[] losses = new double[FourierBasis.frequencies(p)];
      double[] row = new double[p];
      for (int k = 1; k <= losses.length; k++) {
        double[] cosCoef = coef[2 * (k - 1)];
        double[] sinCoef = coef[2 * (k - 1) + 1];
        double sum = 0;
        for (int r = 0; r < l.length; r++) {
          double uc = u[r][2 * (k - 1)];
          double us = u[r][2 * (k - 1) + 1];
          for (int c = 0; c < p; c++) {
            row[c] = l[r][c] - uc * cosCoef[c] - us * sinCoef[c];
          }
          sum += CrossEntropy.rowLoss(row, labels[r]);
        }
        losses[k - 1] = sum / l.length;
      }
      return losses;
    }
  }

  private static INDArray restricted(INDArray logits, INDArray projected) {
    return projected.addRowVector(logits.sub(projected).mean(0));
  }

  private static INDArray checkedLogits(INDArray logits, int p) {
    FourierBasis.checkModulus(p);
    if (logits.rank() != 2 || logits.rows() != p * p || logits.columns() != p) {
      throw new IllegalArgumentException(
          "Cannot project logits: expected shape ["
              + (p * p)
              + ", "
              + p
              + "] (got "
              + Matrices.shape(logits)
              + ")");
    }
    return Matrices.toDouble(logits);
  }

  private static void checkKeys(int[] keys, int p) {
    int max = FourierBasis.frequencies(p);
    boolean[] seen = new boolean[max + 1];
    for (int k : keys) {
      if (k < 1 || k > max) {
        throw new IllegalArgumentException(
            "Cannot project logits: key frequencies must be in [1, " + max + "] (got " + k + ")");
      }
      if (seen[k]) {
        throw new IllegalArgumentException(
            "Cannot project logits: key frequencies must be distinct (got "
                + k
                + " twice in "
                + Arrays.toString(keys)
                + ")");
      }
      seen[k] = true;
    }
  }

  private static void checkRows(int[] rows, int p) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("Cannot evaluate on training rows: none given (got 0)");
    }
    for (int r : rows) {
      if (r < 0 || r >= p * p) {
        throw new IllegalArgumentException(
            "Cannot evaluate on training rows: pair index must be in [0, "
                + (p * p)
                + ") (got "
                + r
                + ")");
      }
    }
  }

  private static int[] allFrequencies(int p) {
    int[] all = new int[FourierBasis.frequencies(p)];
    for (int k = 1; k <= all.length; k++) {
      all[k - 1] = k;
    }
    return all;
  }

  private static int[] allRows(int p) {
    int[] all = new int[p * p];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Label (a + b) mod p of each pair index a·p + b. */
  private static int[] labels(int[] pairRows, int p) {
    int[] labels = new int[pairRows.length];
    for (int i = 0; i < pairRows.length; i++) {
      labels[i] = (pairRows[i] / p + pairRows[i] % p) % p;
    }
    return labels;
  }

  private static double[][] rows(INDArray m, int[] rows) {
    double[][] all = Matrices.rows(m);
    double[][] picked = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      picked[i] = all[rows[i]];
    }
    return picked;
  }
}
