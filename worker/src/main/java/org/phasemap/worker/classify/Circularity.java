package org.phasemap.worker.classify;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Circularity of a token embedding, SCIENCE.md 2.3.3: the mean, over the first four principal
 * components, of the share of each component's energy carried by its best single Fourier frequency.
 *
 * <ol>
 *   <li>Take the embedding as tokens × d_model ({@code embed.W_E} is already {@code [d_vocab,
 *       d_model]}) with <b>all</b> vocabulary rows, as the authors' code does. For {@code
 *       nanda2023} (vocab p + 1) the '=' row therefore takes part in the centring, the PCA and the
 *       norm of each score vector, but not in the Fourier sum, exactly as the authors' code treats
 *       its {@code eqn_sign} variant (vocab p + 1). A caller who wants only the number tokens (e.g.
 *       the {@code diff_vocab} variant, whose 2p rows would roughly halve the value) passes rows
 *       0…p−1 only.
 *   <li>Centred PCA; the score vectors of the first {@value #COMPONENTS} principal components.
 *   <li>For each score vector v: v̂ = v / (‖v‖·√p), c = max_{k=1…p−1} 2·|Σ_{t=0}^{p−1} v̂_t
 *       e^{2πikt/p}|², clipped to [0, 1] ({@link #fourierConcentration}).
 *   <li>Circularity = mean of c over the components.
 * </ol>
 *
 * <p>Components whose variance is at most {@value #DEGENERATE_RELATIVE_VARIANCE} times the largest
 * are degenerate (numerically zero, e.g. d_model &lt; 4 or vocab &lt; 5): their score vector is
 * noise and is left out, so the mean is over the non-degenerate components among the first four. An
 * embedding with no variance at all has no components and circularity NaN (undefined). Real models
 * (d_model ≥ 32, vocab ≥ 59) always have four.
 *
 * <p>PCA is an eigen-decomposition, in pure Java ({@link SymmetricEigen}), of the smaller of the
 * two Gram matrices: XᵀX (d_model²) when d_model &lt; vocab, else XXᵀ (vocab²) whose unit
 * eigenvectors are the score vectors up to scale. Scale and sign of a score vector do not change c.
 * Within a repeated eigenvalue (a perfect circle's cos/sin pair) any rotation of the pair is
 * returned, and every such rotation has the same c.
 */
public final class Circularity {
  /** Number of leading principal components averaged (SCIENCE.md 2.3.3 step 2). */
  public static final int COMPONENTS = 4;

  /** Variance ratio to the leading component at or below which a component is degenerate. */
  public static final double DEGENERATE_RELATIVE_VARIANCE = 1e-10;

  private Circularity() {}

  /** Circularity of an embedding {@code [vocab, d_model]} (any floating type), vocab ≥ p. */
  public static double of(INDArray embedding, int p) {
    return of(Matrices.toDouble(embedding, "embedding"), p);
  }

  /** Circularity of an embedding given as {@code double[vocab][d_model]}; NaN if no variance. */
  public static double of(double[][] embedding, int p) {
    double[] c = components(embedding, p);
    if (c.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (double x : c) {
      sum += x;
    }
    return sum / c.length;
  }

  /**
   * Per-component circularity c of the first (up to) {@value #COMPONENTS} non-degenerate principal
   * components, leading component first; a fresh array of length 0 to 4.
   */
  public static double[] components(INDArray embedding, int p) {
    return components(Matrices.toDouble(embedding, "embedding"), p);
  }

  /**
   * {@link #components(INDArray, int)} for an embedding given as {@code double[vocab][d_model]}.
   */
  public static double[] components(double[][] embedding, int p) {
    requireEmbedding(embedding, p);
    double[][] scores = principalScores(embedding, COMPONENTS);
    double[] c = new double[scores.length];
    for (int j = 0; j < scores.length; j++) {
      c[j] = fourierConcentration(scores[j], p);
    }
    return c;
  }

  /**
   * Score vectors (length vocab, ‖score_j‖² = variance·vocab of component j) of the first {@code
   * count} non-degenerate principal components of the column-centred {@code x}.
   */
  static double[][] principalScores(double[][] x, int count) {
    int n = x.length;
    int d = x[0].length;
    double[][] xc = centreColumns(x);
    boolean featureSide = d < n;
    double[][] gram = featureSide ? gramOfColumns(xc) : gramOfRows(xc);
    SymmetricEigen eig = SymmetricEigen.of(gram);
    double largest = eig.values[0];
    int kept = 0;
    while (kept < Math.min(count, eig.values.length)
        && largest > 0
        && eig.values[kept] > DEGENERATE_RELATIVE_VARIANCE * largest) {
      kept++;
    }
    double[][] scores = new double[kept][n];
    for (int j = 0; j < kept; j++) {
      double[] u = eig.vectors[j];
      if (featureSide) { // score = Xc · v_j
        for (int i = 0; i < n; i++) {
          double s = 0;
          for (int k = 0; k < d; k++) {
            s += xc[i][k] * u[k];
          }
          scores[j][i] = s;
        }
      } else { // Xc Xcᵀ u = σ² u, so the score is σ·u
        double sigma = Math.sqrt(eig.values[j]);
        for (int i = 0; i < n; i++) {
          scores[j][i] = sigma * u[i];
        }
      }
    }
    return scores;
  }

  /**
   * The share of v's energy in its best frequency pair ±k over the first p entries, SCIENCE.md
   * 2.3.3 step 3: with v̂ = v / (‖v‖·√p), where ‖v‖ is over the whole vector (all vocab rows),
   *
   * <pre>c = max_{k=1…p−1} 2·|Σ_{t=0}^{p−1} v̂_t e^{2πikt/p}|², clipped to [0, 1].</pre>
   *
   * <p>NaN for a zero vector (no direction, no share).
   */
  public static double fourierConcentration(double[] v, int p) {
    if (p < 2 || v.length < p) {
      throw new IllegalArgumentException(
          "Cannot compute a Fourier share over p = "
              + p
              + " entries of a vector of length "
              + v.length
              + ": need 2 ≤ p ≤ length");
    }
    double norm2 = 0;
    for (double x : v) {
      norm2 += x * x;
    }
    if (norm2 == 0) {
      return Double.NaN;
    }
    double scale = 1 / (Math.sqrt(norm2) * Math.sqrt(p));
    double[] cos = new double[p];
    double[] sin = new double[p];
    for (int m = 0; m < p; m++) { // e^{2πi m/p}, indexed by (k·t) mod p for accuracy
      cos[m] = Math.cos(2 * Math.PI * m / p);
      sin[m] = Math.sin(2 * Math.PI * m / p);
    }
    double best = 0;
    for (int k = 1; k < p; k++) {
      double re = 0;
      double im = 0;
      for (int t = 0; t < p; t++) {
        int m = (int) ((long) k * t % p);
        re += v[t] * cos[m];
        im += v[t] * sin[m];
      }
      best = Math.max(best, 2 * (re * re + im * im) * scale * scale);
    }
    return Math.min(1.0, best);
  }

  private static double[][] centreColumns(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[][] xc = new double[n][d];
    for (int k = 0; k < d; k++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[k];
      }
      mean /= n;
      for (int i = 0; i < n; i++) {
        xc[i][k] = x[i][k] - mean;
      }
    }
    return xc;
  }

  private static double[][] gramOfColumns(double[][] xc) { // Xcᵀ Xc, d × d
    int n = xc.length;
    int d = xc[0].length;
    double[][] g = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += xc[i][a] * xc[i][b];
        }
        g[a][b] = s;
        g[b][a] = s;
      }
    }
    return g;
  }

  private static double[][] gramOfRows(double[][] xc) { // Xc Xcᵀ, n × n
    int n = xc.length;
    double[][] g = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = a; b < n; b++) {
        double s = 0;
        for (int k = 0; k < xc[a].length; k++) {
          s += xc[a][k] * xc[b][k];
        }
        g[a][b] = s;
        g[b][a] = s;
      }
    }
    return g;
  }

  private static void requireEmbedding(double[][] e, int p) {
    if (p < 2) {
      throw new IllegalArgumentException(
          "Cannot compute circularity for p = " + p + ": p must be ≥ 2");
    }
    int d = e.length == 0 || e[0] == null ? 0 : e[0].length;
    if (e.length < p || d < 1) {
      throw new IllegalArgumentException(
          "Cannot compute circularity: the embedding must be [vocab, d_model] with vocab ≥ p = "
              + p
              + " and d_model ≥ 1 (got ["
              + e.length
              + ", "
              + d
              + "])");
    }
    Matrices.requireRectangular(e, d, "embedding");
  }
}
