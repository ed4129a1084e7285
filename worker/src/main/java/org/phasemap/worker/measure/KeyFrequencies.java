package org.phasemap.worker.measure;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The key frequencies of a trained model, read off its MLP neurons (SCIENCE.md 1.4.2 with the
 * [OURS] platform rule).
 *
 * <p>Each neuron's activations over all p² inputs form a p × p table N_n (rows a, columns b). After
 * centring, its 2-D Fourier transform Ñ_n = B N_n Bᵀ is taken, and frac_n(k) = Σ_{i,j∈S_k}
 * Ñ_n[i,j]² / Σ_{i,j} Ñ_n[i,j]² with S_k = {0, 2k−1, 2k} is the share of the neuron's squared norm
 * that frequency k explains (its constant × cos/sin "linear" terms and its four cos/sin × cos/sin
 * "quadratic" terms). The neuron belongs to argmax_k frac_n(k), k = 1 … (p−1)/2 — the last
 * frequency included, unlike PM-code's in-training helper. Dead neurons (constant over all inputs)
 * are skipped, neurons whose best share is below the threshold are "unexplained", and a frequency
 * is key only if it owns at least {@code floorShare} of the live neurons.
 *
 * <p>All neurons are transformed at once: one ND4J product (113 × 113)·(113 × 57 856) for p = 113
 * and 512 neurons, then a short loop for the block entries (see {@code shares}).
 */
public final class KeyFrequencies {

  /** Best share a neuron needs to be explained by one frequency [C, PM-analysis]. */
  public static final double DEFAULT_THRESHOLD = 0.85;

  /** Share of live neurons a frequency must own to be key [OURS, SCIENCE.md 1.4.2]. */
  public static final double DEFAULT_FLOOR_SHARE = 0.01;

  /**
   * Slack on the floor comparison, so that e.g. 3 of 300 neurons meets a 1 % floor despite 0.01 not
   * being exact in binary.
   */
  private static final double FLOOR_SLACK = 1e-9;

  private KeyFrequencies() {}

  /**
   * The outcome of the clustering. Arrays are copied in and out, so a result cannot change.
   *
   * @param frequencies key frequencies, ascending
   * @param neuronsPerFrequency explained neurons owned by each key frequency (aligned)
   * @param bestFrequency argmax_k frac_n(k) per neuron, 0 for dead neurons
   * @param bestShare max_k frac_n(k) per neuron, 0 for dead neurons
   * @param dead neurons with constant activations (zero variance)
   * @param unexplained live neurons whose best share is below the threshold
   */
  public record Result(
      int[] frequencies,
      int[] neuronsPerFrequency,
      int[] bestFrequency,
      double[] bestShare,
      int dead,
      int unexplained) {

    /** Copies the arrays, so a record cannot change after it is made. */
    public Result {
      frequencies = frequencies.clone();
      neuronsPerFrequency = neuronsPerFrequency.clone();
      bestFrequency = bestFrequency.clone();
      bestShare = bestShare.clone();
    }

    @Override
    public int[] frequencies() {
      return frequencies.clone();
    }

    @Override
    public int[] neuronsPerFrequency() {
      return neuronsPerFrequency.clone();
    }

    @Override
    public int[] bestFrequency() {
      return bestFrequency.clone();
    }

    @Override
    public double[] bestShare() {
      return bestShare.clone();
    }

    /** Number of neurons (d_mlp). */
    public int neurons() {
      return bestFrequency.length;
    }

    /** Neurons that are not dead. */
    public int live() {
      return bestFrequency.length - dead;
    }

    /**
     * Explained neurons whose frequency fell below the floor, so that {@code dead + unexplained +
     * belowFloor + Σ neuronsPerFrequency = neurons}.
     */
    public int belowFloor() {
      return live() - unexplained - Arrays.stream(neuronsPerFrequency).sum();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result r
          && Arrays.equals(frequencies, r.frequencies)
          && Arrays.equals(neuronsPerFrequency, r.neuronsPerFrequency)
          && Arrays.equals(bestFrequency, r.bestFrequency)
          && Arrays.equals(bestShare, r.bestShare)
          && dead == r.dead
          && unexplained == r.unexplained;
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(frequencies) + Arrays.hashCode(bestFrequency);
    }

    @Override
    public String toString() {
      return "KeyFrequencies.Result[frequencies="
          + Arrays.toString(frequencies)
          + ", neuronsPerFrequency="
          + Arrays.toString(neuronsPerFrequency)
          + ", dead="
          + dead
          + ", unexplained="
          + unexplained
          + ", neurons="
          + neurons()
          + "]";
    }
  }

  /** {@link #of(INDArray, int, double, double)} with the default threshold 0.85 and floor 1 %. */
  public static Result of(INDArray neuronActs, int p) {
    return of(neuronActs, p, DEFAULT_THRESHOLD, DEFAULT_FLOOR_SHARE);
  }

  /**
   * Key frequencies of a model from its MLP activations (SCIENCE.md 1.4.2).
   *
   * @param neuronActs post-ReLU MLP activations at the last position, [p², d_mlp], row a·p + b for
   *     input (a, b), float or double
   * @param p the modulus (odd, at least 3)
   * @param threshold best share a neuron needs to be explained, in (0, 1]
   * @param floorShare share of the live neurons a frequency must own to be key, in [0, 1]
   * @throws IllegalArgumentException on a wrong shape or an out-of-range threshold or floor
   */
  public static Result of(INDArray neuronActs, int p, double threshold, double floorShare) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException(
          "Cannot find key frequencies: threshold must be in (0, 1] (got " + threshold + ")");
    }
    if (!(floorShare >= 0 && floorShare <= 1)) {
      throw new IllegalArgumentException(
          "Cannot find key frequencies: floorShare must be in [0, 1] (got " + floorShare + ")");
    }
    double[] x = checkedActivations(neuronActs, p);
    int m = neuronActs.columns();
    boolean[] dead = deadNeurons(x, m);
    double[][] shares = shares(x, p, m, dead);
    int neurons = shares.length;
    int[] bestFrequency = new int[neurons];
    double[] bestShare = new double[neurons];
    int[] owned = new int[FourierBasis.frequencies(p) + 1];
    int deadCount = 0;
    int unexplained = 0;
    for (int n = 0; n < neurons; n++) {
      if (dead[n]) {
        deadCount++;
        continue;
      }
      int k = argmax(shares[n]) + 1;
      bestFrequency[n] = k;
      bestShare[n] = shares[n][k - 1];
      if (bestShare[n] < threshold) {
        unexplained++;
      } else {
        owned[k]++;
      }
    }
    double floor = floorShare * (neurons - deadCount) - FLOOR_SLACK;
    int[] keys = new int[owned.length];
    int[] counts = new int[owned.length];
    int size = 0;
    for (int k = 1; k < owned.length; k++) {
      if (owned[k] > 0 && owned[k] >= floor) {
        keys[size] = k;
        counts[size] = owned[k];
        size++;
      }
    }
    return new Result(
        Arrays.copyOf(keys, size),
        Arrays.copyOf(counts, size),
        bestFrequency,
        bestShare,
        deadCount,
        unexplained);
  }

  /**
   * frac_n(k) for every neuron n and frequency k = 1 … (p−1)/2, as {@code shares[n][k − 1]}: the
   * share of the centred neuron's squared 2-D Fourier norm in the block {0, 2k−1, 2k}². A dead
   * (constant) neuron has no norm to share and gets a row of zeros.
   *
   * @param neuronActs [p², d_mlp], row a·p + b, float or double
   * @param p the modulus (odd, at least 3)
   * @throws IllegalArgumentException if the shape is not [p², d_mlp]
   */
  public static double[][] blockShares(INDArray neuronActs, int p) {
    double[] x = checkedActivations(neuronActs, p);
    int m = neuronActs.columns();
    return shares(x, p, m, deadNeurons(x, m));
  }

  /** The activations as a c-order double array [p² · d_mlp], after checking the shape. */
  private static double[] checkedActivations(INDArray neuronActs, int p) {
    FourierBasis.checkModulus(p);
    if (neuronActs.rank() != 2 || neuronActs.rows() != p * p || neuronActs.columns() < 1) {
      throw new IllegalArgumentException(
          "Cannot find key frequencies: expected activations of shape ["
              + (p * p)
              + ", d_mlp] (got "
              + Matrices.shape(neuronActs)
              + ")");
    }
    return Matrices.flat(neuronActs);
  }

  /**
   * frac_n(k) of activations x ([p², m], c order), zero rows for the dead neurons.
   *
   * <p>Ñ_n = B N_n Bᵀ in two steps. The product over a, Y_n = B N_n, is one ND4J matrix product of
   * B with the centred activations seen as [a, (b, n)]; it is the only expensive step (p³·m
   * multiply-adds). The product over b is then needed only for the ~4p entries (i, j) that lie in
   * some block (i and j of the same frequency, or one of them constant), so it is a plain loop. The
   * denominator Σ_{i,j} Ñ_n[i,j]² equals Σ_{i,b} Y_n[i,b]² because B is orthonormal.
   */
  private static double[][] shares(double[] x, int p, int m, boolean[] dead) {
    double[] y =
        Matrices.flat(FourierBasis.matrix(p).mmul(Matrices.matrix(centre(x, m), p, p * m)));
    double[][] basis = FourierBasis.of(p);
    int frequencies = FourierBasis.frequencies(p);
    double[] total = new double[m];
    for (int e = 0; e < p * p; e++) {
      int base = e * m;
      for (int n = 0; n < m; n++) {
        total[n] += y[base + n] * y[base + n];
      }
    }
    double[][] shares = new double[m][frequencies];
    double[] entry = new double[m];
    for (int i = 0; i < p; i++) {
      int ki = frequencyOfRow(i);
      for (int j = 0; j < p; j++) {
        int kj = frequencyOfRow(j);
        if (ki != 0 && kj != 0 && ki != kj) {
          continue; // (i, j) lies in no block
        }
        // entry[n] = Ñ_n[i, j] = Σ_b Y_n[i, b] · B[j, b]
        Arrays.fill(entry, 0);
        for (int b = 0; b < p; b++) {
          double coefficient = basis[j][b];
          int base = (i * p + b) * m;
          for (int n = 0; n < m; n++) {
            entry[n] += coefficient * y[base + n];
          }
        }
        // (0, 0) belongs to every block; any other entry to the one frequency it involves.
        int from = ki == 0 && kj == 0 ? 1 : Math.max(ki, kj);
        int to = ki == 0 && kj == 0 ? frequencies : from;
        for (int k = from; k <= to; k++) {
          for (int n = 0; n < m; n++) {
            shares[n][k - 1] += entry[n] * entry[n];
          }
        }
      }
    }
    for (int n = 0; n < m; n++) {
      for (int k = 0; k < frequencies; k++) {
        shares[n][k] = dead[n] ? 0 : shares[n][k] / total[n];
      }
    }
    return shares;
  }

  /** Frequency k of basis row 2k−1 or 2k; 0 for the constant row. */
  private static int frequencyOfRow(int row) {
    return (row + 1) / 2;
  }

  /** x ([rows, m], c order) minus the mean of each column. */
  private static double[] centre(double[] x, int m) {
    int rows = x.length / m;
    double[] mean = new double[m];
    for (int r = 0; r < rows; r++) {
      for (int n = 0; n < m; n++) {
        mean[n] += x[r * m + n];
      }
    }
    for (int n = 0; n < m; n++) {
      mean[n] /= rows;
    }
    double[] centred = new double[x.length];
    for (int r = 0; r < rows; r++) {
      for (int n = 0; n < m; n++) {
        centred[r * m + n] = x[r * m + n] - mean[n];
      }
    }
    return centred;
  }

  /** Neurons whose activation is the same on every input (zero variance, nothing to explain). */
  private static boolean[] deadNeurons(double[] x, int m) {
    boolean[] dead = new boolean[m];
    Arrays.fill(dead, true);
    for (int e = m; e < x.length; e++) {
      int n = e % m;
      if (dead[n] && x[e] != x[n]) {
        dead[n] = false;
      }
    }
    return dead;
  }

  /** Index of the largest entry; the lowest index wins a tie. */
  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
