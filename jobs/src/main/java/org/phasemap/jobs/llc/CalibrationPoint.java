package org.phasemap.jobs.llc;

/**
 * One cell of an LLC calibration grid, as the pictures need it.
 *
 * @param epsilon SGLD step size ε
 * @param nBeta nβ
 * @param mean λ̂, the mean over chains; NaN when a chain diverged
 * @param std sample standard deviation over chains; NaN for one chain or a diverged cell
 * @param diverged whether a chain's loss became non-finite
 * @param meanTrace nβ (L_k − L_0) at each draw k, averaged over the chains still finite (NaN where
 *     none is)
 */
public record CalibrationPoint(
    double epsilon, double nBeta, double mean, double std, boolean diverged, double[] meanTrace) {

  public CalibrationPoint {
    meanTrace = meanTrace.clone();
  }

  @Override
  public double[] meanTrace() {
    return meanTrace.clone();
  }
}
