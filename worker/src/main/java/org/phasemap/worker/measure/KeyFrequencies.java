package org.phasemap.worker.measure;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The key frequencies of a trained model, read off its MLP neurons (SCIENCE.md 1.4.2 with the
 * [OURS] platform rule).
 *
 * <p>Each neuron's activations over all p² inputs form a p × p table N_n (rows a, columns b). After
 * centring, its 2-D Fourier transform Ñ_n = B N_n Bᵀ is taken, and frac_n(k) = Σ_{i,j∈S_k} Ñ_n[i,j]²
 * / Σ_{i,j} Ñ_n[i,j]² with S_k = {0, 2k−1, 2k} is the share of the neuron's squared norm that
 * frequency k explains (its constant × cos/sin "linear" terms and its four cos/sin × cos/sin
 * "quadratic" terms). The neuron belongs to argmax_k frac_n(k), k = 1 … (p−1)/2 — the last
 * frequency included, unlike PM-code's in-training helper. Dead neurons (constant over all inputs)
 * are skipped, neurons whose best share is below the threshold are "unexplained", and a frequency
 * is key only if it owns at least {@code floorShare} of the live neurons.
 *
 * <p>All neurons are transformed at once with two matrix products, so p = 113 with 512 neurons
 * costs two (113 × 113)·(113 × 57 856) products.
 */
public final class KeyFrequencies {

  /** Best share a neuron needs to be explained by one frequency [C, PM-analysis]. */
  public static final double DEFAULT_THRESHOLD = 0.85;

  /** Share of live neurons a frequency must own to be key [OURS, SCIENCE.md 1.4.2]. */
  public static final double DEFAULT_FLOOR_SHARE = 0.01;

  /**
   * Slack on the floor comparison, so that e.g. 3 of 300 neurons meets a 1 % floor despite 0.01
   * not being exact in binary.
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
      return "KeyFrequencies.Result[frequencies=" + Arrays.toString(frequencies)
          + ", neuronsPerFrequency=" + Arrays.toString(neuronsPerFrequency)
          + ", dead=" + dead + ", unexplained=" + unexplained + ", neurons=" + neurons() + "]";
    }
  }

  /** {@link #of(INDArray, int, double, double)} with the default threshold 0.85 and floor 1 %. */
  public static Result of(INDArray neuronActs, int p) {
    return of(neuronActs, p, DEFAULT_THRESHOLD, DEFAULT_FLOOR_SHARE);
  }

  /**
   * Key frequencies of a model from its MLP activations (SCIENCE.md 1.4.2).
   *
   * @param neuronActs post-ReLU MLP activations at the last position, [p², d_mlp], row a·p + b
   *     for input (a, b), float or double
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
    INDArray x = checkedActivations(neuronActs, p);
    boolean[] dead = deadNeurons(x);
    double[][] shares = shares(x, p, dead);
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
    INDArray x = checkedActivations(neuronActs, p);
    return shares(x, p, deadNeurons(x));
  }

  /** The activations in double, after checking they are [p², d_mlp]. */
  private static INDArray checkedActivations(INDArray neuronActs, int p) {
    FourierBasis.checkModulus(p);
    if (neuronActs.rank() != 2 || neuronActs.rows() != p * p || neuronActs.columns() < 1) {
      throw new IllegalArgumentException(
          "Cannot find key frequencies: expected activations of shape [" + (p * p)
              + ", d_mlp] (got " + Matrices.shape(neuronActs) + ")");
    }
    return Matrices.toDouble(neuronActs);
  }

  /** frac_n(k) of double activations x, zero rows for the dead neurons. */
  private static double[][] shares(INDArray x, int p, boolean[] dead) {
    int m = x.columns();
    double[] t = fourier2d(x, p);
    double[] total = new double[m];
    for (int e = 0; e < p * p; e++) {
      int base = e * m;
      for (int n = 0; n < m; n++) {
        double v = t[base + n];
        total[n] += v * v;
      }
    }
    int frequencies = FourierBasis.frequencies(p);
    double[][] shares = new double[m][frequencies];
    for (int k = 1; k <= frequencies; k++) {
      int[] block = {0, FourierBasis.cosRow(k), FourierBasis.sinRow(k)};
      for (int j : block) {
        for (int i : block) {
          int base = (j * p + i) * m;
          for (int n = 0; n < m; n++) {
            double v = t[base + n];
            shares[n][k - 1] += v * v;
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

  /**
   * The 2-D Fourier coefficients of every centred neuron, flattened c-order as [j, i, n]: entry
   * (j·p + i)·d_mlp + n is Ñ_n[i, j] = (B N_n Bᵀ)[i, j]. Computed as two products with B: first
   * over a (the rows of each table), then, after swapping the two table axes, over b.
   */
  private static double[] fourier2d(INDArray x, int p) {
    long m = x.columns();
    INDArray centred = x.subRowVector(x.mean(0));
    INDArray basis = FourierBasis.matrix(p);
    // [a, (b, n)] -> [i, (b, n)]
    INDArray overA = basis.mmul(centred.reshape('c', new long[] {p, p * m}));
    // [i, b, n] -> [b, i, n] -> [j, (i, n)]
    INDArray swapped =
        overA
            .reshape('c', new long[] {p, p, m})
            .permute(1, 0, 2)
            .dup('c')
            .reshape('c', new long[] {p, p * m});
    INDArray overB = basis.mmul(swapped);
    return overB.reshape('c', new long[] {p * p * m}).toDoubleVector();
  }

  /** Neurons whose activation is the same on every input (zero variance, nothing to explain). */
  private static boolean[] deadNeurons(INDArray x) {
    double[] min = x.min(0).toDoubleVector();
    double[] max = x.max(0).toDoubleVector();
    boolean[] dead = new boolean[min.length];
    for (int n = 0; n < dead.length; n++) {
      dead[n] = min[n] == max[n];
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
