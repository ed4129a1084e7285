package org.phasemap.worker.llc;

/**
 * How the inverse temperature times sample size, nβ, is chosen (SCIENCE.md 3.1, 3.3). The two
 * public conventions differ by a large factor (n/ln n ≈ 464 against m/ln m ≈ 82 for n = 3830, m =
 * 512), so the rule is recorded with every estimate.
 */
public enum NBetaRule {
  /** nβ = n / ln n with n the training-set size: Lau et al.'s β* = 1 / ln n. The default. */
  DATASET_SIZE,
  /** nβ = m / ln m with m the minibatch size: devinterp's {@code default_nbeta}. */
  BATCH_SIZE,
  /** nβ given explicitly in {@link LlcSettings#nBeta()}. */
  FIXED;

  /**
   * nβ for a training set of n examples and minibatches of m ({@code fixed} for {@link #FIXED}).
   * Public so that a calibration grid can be written as multiples of a rule's value.
   */
  public double resolve(int n, int m, double fixed) {
    switch (this) {
      case DATASET_SIZE:
        return n / Math.log(n);
      case BATCH_SIZE:
        return m / Math.log(m);
      default:
        return fixed;
    }
  }
}
