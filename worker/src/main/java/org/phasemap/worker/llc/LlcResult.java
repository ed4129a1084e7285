package org.phasemap.worker.llc;

import java.util.List;

/**
 * One LLC estimate (SCIENCE.md 3.3): λ̂ per chain, their mean and spread, the per-draw traces, and
 * everything needed to compare it with another estimate (L_0, nβ, n, m, the settings).
 *
 * @param mean mean of {@code perChain}
 * @param std sample standard deviation of {@code perChain} (divisor chains − 1, as devinterp's
 *     {@code torch.std}); NaN for a single chain
 * @param perChain λ̂_c = nβ · (mean of chain c's draws − L_0)
 * @param trace {@code trace[c][k]} = nβ · (L_k − L_0) for draw k of chain c (the online estimate
 *     devinterp records, for convergence checks); NaN after a chain diverged
 * @param l0 L_0, the mean minibatch loss at w* over the first min(chains, #batches) batches
 * @param nBeta the nβ used, resolved from {@code settings.nBetaRule()}
 * @param trainingSize n
 * @param batchSize m, the size of the first minibatch (n for full batch)
 * @param settings the settings of the estimate
 * @param warnings devinterp's caveats that applied (burn-in shorter than draws, a chain diverged)
 */
public record LlcResult(
    double mean,
    double std,
    double[] perChain,
    double[][] trace,
    double l0,
    double nBeta,
    int trainingSize,
    int batchSize,
    LlcSettings settings,
    List<String> warnings) {

  public LlcResult {
    perChain = perChain.clone();
    trace = deepCopy(trace);
    warnings = List.copyOf(warnings);
  }

  /** λ̂ per chain (a copy). */
  @Override
  public double[] perChain() {
    return perChain.clone();
  }

  /** Per-draw trace nβ (L_k − L_0), [chains][draws] (a copy). */
  @Override
  public double[][] trace() {
    return deepCopy(trace);
  }

  /** Whether every chain produced a finite estimate. */
  public boolean finite() {
    for (double v : perChain) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return Double.isFinite(l0);
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
