package org.phasemap.worker.analysis;

/**
 * Cheap weight spectra, logged at every logged step (SCIENCE.md 1.4.5, 1.4.7).
 *
 * @param embedFourierNorms per-component Fourier norms of W_E (p values: Const, cos 1, sin 1, ...)
 * @param giniEmbed Gini of {@code embedFourierNorms}
 * @param giniNeuronLogit Gini of the per-component Fourier norms of W_L = W_U^T W_out^T
 */
public record Spectra(double[] embedFourierNorms, double giniEmbed, double giniNeuronLogit) {
  public Spectra {
    embedFourierNorms = embedFourierNorms.clone();
  }

  @Override
  public double[] embedFourierNorms() {
    return embedFourierNorms.clone();
  }
}
