package org.phasemap.worker.degeneracy;

/**
 * A basis of one node layer: feature i of a row f is f̂_i = (f − μ) · C[:, i], and the row is
 * rebuilt as f = μ + Σ_i f̂_i E[:, i] (exactly, for rows in the span the basis covers). Directions
 * are ordered by decreasing eigenvalue; keeping the first k and setting the others to their mean
 * over the inputs (zero, for a centred layer) gives μ + Σ_{i<k} f̂_i E[:, i].
 *
 * <p>PCA basis: C = E = U (unit eigenvectors of the centred Gram matrix), eigenvalues D.
 * Interaction basis (SCIENCE.md 3.5): C = U D^{-1/2} V Λ^{1/2}, E = U D^{1/2} V Λ^{-1/2} (so Cᵀ E =
 * I), eigenvalues Λ.
 *
 * <p>Public because {@link NodeChain}'s edge methods take bases; it is made only by the analysis.
 *
 * @param mean μ, the layer's mean row (zeros without centring)
 * @param features C [width, directions]
 * @param directions E [width, directions]: how each feature shows in the layer
 * @param eigenvalues one per direction, descending
 */
public record LayerBasis(
    double[] mean, DoubleMatrix features, DoubleMatrix directions, double[] eigenvalues) {

  public LayerBasis {
    mean = mean.clone();
    eigenvalues = eigenvalues.clone();
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  /** Number of directions. */
  public int size() {
    return features.cols();
  }

  /** f̂ = (F − μ) C, [rows, directions]. */
  DoubleMatrix featureValues(DoubleMatrix activations) {
    return activations.minusRow(mean).times(features);
  }

  /** μ + f̂[:, :k] E[:, :k]ᵀ: the rows rebuilt from their first k features. */
  DoubleMatrix rebuild(DoubleMatrix featureValues, int k) {
    if (k == 0) {
      return DoubleMatrix.zeros(featureValues.rows(), mean.length).plusRow(mean);
    }
    return featureValues.columns(0, k).timesTranspose(directions.columns(0, k)).plusRow(mean);
  }

  /** μ + Σ_{i: keep[i]} f̂_i E[:, i]: the rows rebuilt from the features marked to keep. */
  DoubleMatrix rebuild(DoubleMatrix featureValues, boolean[] keep) {
    int[] kept = indices(keep, true);
    if (kept.length == 0) {
      return DoubleMatrix.zeros(featureValues.rows(), mean.length).plusRow(mean);
    }
    return featureValues
        .selectColumns(kept)
        .timesTranspose(directions.selectColumns(kept))
        .plusRow(mean);
  }

  /** The indices i with {@code mask[i] == value}, ascending. */
  static int[] indices(boolean[] mask, boolean value) {
    int n = 0;
    for (boolean b : mask) {
      n += b == value ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] == value) {
        out[k++] = i;
      }
    }
    return out;
  }
}
