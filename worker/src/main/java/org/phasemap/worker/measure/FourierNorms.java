package org.phasemap.worker.measure;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Norms of the Fourier components of the embedding and of the neuron-to-logit map (SCIENCE.md 1.4.5
 * and 1.4.7), in the TransformerLens weight layout of {@code model.Parameters}.
 *
 * <p>Both per-component vectors have p entries, one per row of {@link FourierBasis} (Const, cos 1,
 * sin 1, …); {@link #pooled(double[])} turns them into (p−1)/2 per-frequency norms. Feed either to
 * {@link Gini#of(double[])}: SCIENCE.md logs the per-component version.
 */
public final class FourierNorms {

  private FourierNorms() {}

  /**
   * Fourier norms of the token embedding: e_i = ‖(E Bᵀ)[:, i]‖₂ for i = 0 … p−1, with E = the first
   * p rows of W_E transposed (d_model × p). Row p of W_E, the '=' token of the {@code nanda2023}
   * preset, is dropped when present.
   *
   * @param wE {@code embed.W_E}, [p or p+1, d_model], float or double
   * @param p the modulus (odd, at least 3)
   * @throws IllegalArgumentException if W_E is not a matrix with p or p+1 rows
   */
  public static double[] embedding(INDArray wE, int p) {
    FourierBasis.checkModulus(p);
    if (wE.rank() != 2 || (wE.rows() != p && wE.rows() != p + 1)) {
      throw new IllegalArgumentException(
          "Cannot take Fourier norms of W_E: expected shape ["
              + p
              + " or "
              + (p + 1)
              + ", d_model] (got "
              + Matrices.shape(wE)
              + ")");
    }
    INDArray tokens = Matrices.toDouble(wE).get(NDArrayIndex.interval(0, p), NDArrayIndex.all());
    // (E Bᵀ)[:, i] = (B Eᵀ)[i, :] and Eᵀ is the p × d_model token block of W_E itself.
    return rowNorms(FourierBasis.matrix(p).mmul(tokens));
  }

  /**
   * Fourier norms of the neuron-logit map along the output axis: W_L = W_Uᵀ · W_outᵀ (p × d_mlp,
   * how each neuron's activation moves each logit) and ℓ_i = ‖(B W_L)[i, :]‖₂ for i = 0 … p−1.
   *
   * @param wU {@code unembed.W_U}, [d_model, p] (the model has exactly p output logits)
   * @param wOut {@code blocks.0.mlp.W_out}, [d_mlp, d_model]
   * @param p the modulus (odd, at least 3)
   * @throws IllegalArgumentException if the shapes do not fit together
   */
  public static double[] neuronLogit(INDArray wU, INDArray wOut, int p) {
    FourierBasis.checkModulus(p);
    if (wU.rank() != 2 || wU.columns() != p) {
      throw new IllegalArgumentException(
          "Cannot take Fourier norms of W_L: expected W_U of shape [d_model, "
              + p
              + "] (got "
              + Matrices.shape(wU)
              + ")");
    }
    if (wOut.rank() != 2 || wOut.columns() != wU.rows()) {
      throw new IllegalArgumentException(
          "Cannot take Fourier norms of W_L: expected W_out of shape [d_mlp, "
              + wU.rows()
              + "] to match W_U (got "
              + Matrices.shape(wOut)
              + ")");
    }
    INDArray wL = Matrices.toDouble(wU).transpose().mmul(Matrices.toDouble(wOut).transpose());
    return rowNorms(FourierBasis.matrix(p).mmul(wL));
  }

  /**
   * Per-frequency norms √(‖cos k‖² + ‖sin k‖²) for k = 1 … (p−1)/2 of a per-component vector
   * (length p, ordered as the rows of {@link FourierBasis}); the constant component is dropped.
   *
   * @throws IllegalArgumentException if the length is not an odd number of at least 3
   */
  public static double[] pooled(double[] perComponent) {
    int p = perComponent.length;
    if (p < 3 || p % 2 == 0) {
      throw new IllegalArgumentException(
          "Cannot pool Fourier norms: expected one value per basis row, an odd count of at least 3 "
              + "(got "
              + p
              + ")");
    }
    double[] pooled = new double[(p - 1) / 2];
    for (int k = 1; k <= pooled.length; k++) {
      double c = perComponent[FourierBasis.cosRow(k)];
      double s = perComponent[FourierBasis.sinRow(k)];
      pooled[k - 1] = Math.sqrt(c * c + s * s);
    }
    return pooled;
  }

  /** Euclidean norm of each row of a matrix. */
  private static double[] rowNorms(INDArray m) {
    return m.norm2(1).toDoubleVector();
  }
}
