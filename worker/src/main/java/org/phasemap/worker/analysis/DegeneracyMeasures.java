package org.phasemap.worker.analysis;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.llc.GramRank;

/**
 * Cheap degeneracy indicators of a checkpoint (SCIENCE.md 3.5, docs/LLC.md), over all p² inputs at
 * the last position of the last layer: how many independent directions the MLP reads and writes,
 * and how many of its neurons never fire.
 *
 * @param gramRankMlpIn numerical rank of the Gram matrix of the MLP input (the residual stream
 *     after attention), at most d_model
 * @param gramRankMlpPost numerical rank of the Gram matrix of the post-activation neurons, at most
 *     d_mlp
 * @param deadNeurons neurons whose post-activation is exactly zero on every input (ReLU; a GeLU
 *     neuron is never exactly zero, so 0 there)
 */
public record DegeneracyMeasures(int gramRankMlpIn, int gramRankMlpPost, int deadNeurons) {

  /**
   * The measures of one forward pass's MLP input [n, d_model] and post-activations [n, d_mlp], with
   * {@link GramRank#DEFAULT_RELATIVE_THRESHOLD}; null when either holds a non-finite value (a model
   * that overflowed has no meaningful rank).
   */
  public static DegeneracyMeasures of(INDArray mlpIn, INDArray mlpPost) {
    if (!finite(mlpIn) || !finite(mlpPost)) {
      return null;
    }
    return new DegeneracyMeasures(
        GramRank.numericalRank(mlpIn),
        GramRank.numericalRank(mlpPost),
        GramRank.deadNeurons(mlpPost));
  }

  /**
   * NaN and infinities propagate through a sum, so a finite sum means finite entries (a sum that
   * overflows needs activations near 1e30: a blown-up model, rightly without a rank). One pass,
   * against 60 ms for ND4J's isNaN/isInfinite masks of a 12 769 × 512 array.
   */
  private static boolean finite(INDArray a) {
    return Double.isFinite(a.sumNumber().doubleValue());
  }
}
