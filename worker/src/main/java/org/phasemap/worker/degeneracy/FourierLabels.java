package org.phasemap.worker.degeneracy;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.measure.KeyFrequencies;

/**
 * The dominant Fourier frequency of each basis direction of a layer: the direction's feature f̂_i
 * over the p × p grid of inputs (a, b) (summed over positions for a layer with several) is
 * transformed with the project's 2-D Fourier basis exactly as a neuron is for the key frequencies
 * (SCIENCE.md 1.4.2, {@link KeyFrequencies#blockShares}): centred, then the share of its squared
 * norm in the block {const, cos k, sin k}² of each frequency k = 1 … (p−1)/2. The label is the k
 * with the largest share.
 *
 * @param frequency per direction, 1 … (p−1)/2; 0 for a feature that is constant over the inputs
 * @param share per direction, the share of its squared norm that frequency explains (0 for a
 *     constant feature)
 */
public record FourierLabels(int[] frequency, double[] share) {

  public FourierLabels {
    frequency = frequency.clone();
    share = share.clone();
  }

  @Override
  public int[] frequency() {
    return frequency.clone();
  }

  @Override
  public double[] share() {
    return share.clone();
  }

  /**
   * Labels of the directions of {@code basis} at layer {@code l}; null if the chain is not on a
   * grid.
   */
  static FourierLabels of(NodeChain chain, int l, LayerBasis basis) {
    int p = chain.gridModulus();
    if (p == 0) {
      return null;
    }
    int k = basis.size();
    if (k == 0) {
      return new FourierLabels(new int[0], new double[0]);
    }
    DoubleMatrix values = basis.featureValues(chain.activations(l));
    int t = chain.positions(l);
    int n = chain.inputs();
    double[] summed = new double[n * k];
    double[] v = values.data();
    for (int x = 0; x < n; x++) {
      for (int s = 0; s < t; s++) {
        for (int i = 0; i < k; i++) {
          summed[x * k + i] += v[(x * t + s) * k + i];
        }
      }
    }
    double[][] shares =
        KeyFrequencies.blockShares(Nd4j.create(summed, new long[] {n, k}, DataType.DOUBLE), p);
    int[] frequency = new int[k];
    double[] share = new double[k];
    for (int i = 0; i < k; i++) {
      for (int f = 0; f < shares[i].length; f++) {
        if (shares[i][f] > share[i]) {
          share[i] = shares[i][f];
          frequency[i] = f + 1;
        }
      }
    }
    return new FourierLabels(frequency, share);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FourierLabels f
        && Arrays.equals(frequency, f.frequency)
        && Arrays.equals(share, f.share);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(frequency) + Arrays.hashCode(share);
  }

  @Override
  public String toString() {
    return "FourierLabels[frequency=" + Arrays.toString(frequency) + "]";
  }
}
