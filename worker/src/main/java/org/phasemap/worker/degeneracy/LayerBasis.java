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
 * @param mean μ, the layer's mean row (zeros without centring)
 * @param features C [width, directions]
 * @param directions E [width, directions]: how each feature shows in the layer
 * @param eigenvalues one per direction, descending
 */
record LayerBasis(
    double[] mean, DoubleMatrix features, DoubleMatrix directions, double[] eigenvalues) {

  int size() {
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
}
