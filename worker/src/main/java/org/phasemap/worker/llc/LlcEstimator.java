package org.phasemap.worker.llc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Estimates the local learning coefficient λ̂(w*) at the current parameters of a {@link
 * LossGradient}, with devinterp's bookkeeping (SCIENCE.md 3.1–3.3):
 *
 * <ol>
 *   <li>The training indices are split once into fixed minibatches of {@code batchSize} (a
 *       Fisher–Yates shuffle seeded from the settings' seed; the last batch holds the remainder),
 *       or one batch of all n in order for full batch. Each chain cycles through them from the
 *       first, as devinterp cycles its loader.
 *   <li>L_0 = mean of the minibatch losses at w* over the first min(chains, #batches) batches.
 *   <li>Each chain starts from a copy of w* and takes burn-in + draws × steps-between-draws SGLD
 *       steps ({@link SgldSampler}); the minibatch loss is computed before each step's update, and
 *       after burn-in every {@code numStepsBetweenDraws}-th one is recorded as a draw.
 *   <li>λ̂_c = nβ (mean of chain c's draws − L_0); the result holds their mean and sample standard
 *       deviation.
 * </ol>
 *
 * <p>Chain c's noise comes from the (c + 2)-th {@link SplittableRandom#split()} of a generator
 * seeded with the settings' seed (the first split shuffles the minibatches), so a chain does not
 * depend on how many chains run. The parameters are restored bit for bit afterwards, also when an
 * exception is thrown: the estimator never changes the model. A chain whose loss becomes non-finite
 * stops; its remaining draws and its λ̂ are NaN.
 */
public final class LlcEstimator {
  private final LlcSettings settings;

  public LlcEstimator(LlcSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("Cannot build LLC estimator: settings are null");
    }
    this.settings = settings;
  }

  public LlcSettings settings() {
    return settings;
  }

  /** The estimate at the current parameters of {@code model}, which are left unchanged. */
  public LlcResult estimate(LossGradient model) {
    LlcSettings s = settings;
    int n = model.size();
    if (s.batchSize() > n) {
      throw new IllegalArgumentException(
          "Cannot estimate LLC: batchSize must be at most the training-set size "
              + n
              + " (got "
              + s.batchSize()
              + "); use 0 for full batch");
    }
    SplittableRandom root = new SplittableRandom(s.seed());
    int[][] batches = partition(n, s.batchSize(), root.split());
    int m = batches[0].length;
    if (s.nBetaRule() != NBetaRule.FIXED && (s.nBetaRule() == NBetaRule.BATCH_SIZE ? m : n) < 2) {
      throw new IllegalArgumentException(
          "Cannot estimate LLC: nβ rule "
              + s.nBetaRule()
              + " needs at least 2 examples (got "
              + (s.nBetaRule() == NBetaRule.BATCH_SIZE ? m : n)
              + ")");
    }
    double nBeta = s.nBetaRule().resolve(n, m, s.nBeta());

    Map<String, INDArray> parameters = model.parameters();
    Map<String, INDArray> centre = new LinkedHashMap<>();
    parameters.forEach((k, v) -> centre.put(k, v.dup()));

    List<String> warnings = new ArrayList<>();
    if (s.numBurnin() < s.numDraws()) {
      warnings.add(
          "burn-in ("
              + s.numBurnin()
              + ") is shorter than the number of draws ("
              + s.numDraws()
              + "): estimates will likely be underestimates");
    }
    double[] perChain = new double[s.numChains()];
    double[][] trace = new double[s.numChains()][s.numDraws()];
    double l0;
    try {
      int l0Batches = Math.min(s.numChains(), batches.length);
      double sum = 0;
      for (int b = 0; b < l0Batches; b++) {
        sum += model.loss(batches[b]);
      }
      l0 = sum / l0Batches;

      SgldSampler sampler = new SgldSampler(parameters, centre, s, nBeta);
      for (int c = 0; c < s.numChains(); c++) {
        restore(parameters, centre);
        double[] draws = runChain(model, sampler, batches, root.split());
        double mean = 0;
        for (int k = 0; k < draws.length; k++) {
          trace[c][k] = nBeta * (draws[k] - l0);
          mean += draws[k];
        }
        perChain[c] = nBeta * (mean / draws.length - l0);
        if (!Double.isFinite(perChain[c])) {
          warnings.add("chain " + c + " diverged (non-finite loss): lower epsilon");
        }
      }
    } finally {
      restore(parameters, centre);
    }
    return new LlcResult(
        mean(perChain), sampleStd(perChain), perChain, trace, l0, nBeta, n, m, s, warnings);
  }

  private double[] runChain(
      LossGradient model, SgldSampler sampler, int[][] batches, SplittableRandom rng) {
    LlcSettings s = settings;
    double[] draws = new double[s.numDraws()];
    Arrays.fill(draws, Double.NaN);
    int steps = s.stepsPerChain();
    for (int t = 0; t < steps; t++) {
      LossGradient.Evaluation ev = model.lossAndGradient(batches[t % batches.length]);
      int sinceBurnin = t - s.numBurnin();
      if (sinceBurnin >= 0 && sinceBurnin % s.numStepsBetweenDraws() == 0) {
        draws[sinceBurnin / s.numStepsBetweenDraws()] = ev.loss();
      }
      if (!Double.isFinite(ev.loss())) {
        break;
      }
      sampler.step(ev.gradients(), rng);
    }
    return draws;
  }

  /**
   * Fixed minibatches of the indices 0..n−1: all of them in order for {@code batchSize} 0 (or n),
   * else consecutive slices of a seeded Fisher–Yates shuffle, the last one holding the remainder.
   */
  static int[][] partition(int n, int batchSize, SplittableRandom rng) {
    if (n < 1) {
      throw new IllegalArgumentException(
          "Cannot estimate LLC: the training set is empty (got n = " + n + ")");
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (batchSize == 0 || batchSize >= n) {
      return new int[][] {order};
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int count = (n + batchSize - 1) / batchSize;
    int[][] batches = new int[count][];
    for (int b = 0; b < count; b++) {
      batches[b] = Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
    }
    return batches;
  }

  private static void restore(Map<String, INDArray> parameters, Map<String, INDArray> centre) {
    parameters.forEach((k, v) -> v.assign(centre.get(k)));
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Standard deviation with divisor len − 1 (torch.std's default); NaN for one value. */
  static double sampleStd(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double mu = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - mu) * (x - mu);
    }
    return Math.sqrt(ss / (v.length - 1));
  }
}
