package org.phasemap.worker.degeneracy;

import java.util.Arrays;
import java.util.List;

/**
 * The PCA and interaction bases of every node layer of a chain, built from the output backwards
 * (SCIENCE.md 3.5, as RIB implements it with {@code basis_formula: jacobian}).
 *
 * <p>Per layer l, with F the activations (rows × width) and μ their mean row (centring on):
 *
 * <ol>
 *   <li>G = (F − μ)ᵀ(F − μ) / rows = U D Uᵀ; directions with D above the Gram threshold (relative
 *       to the largest) are kept: the Gram rank r, and the PCA basis U_r.
 *   <li>M' = E_rows Jᵀ R Rᵀ J ({@link NodeChain#jacobianGram}), R the next layer's interaction
 *       features C_{l+1}, or the identity when the next layer is the output (the logits themselves,
 *       as RIB's {@code rotate_final_node_layer: false}). For the output layer itself M' = I:
 *       nothing follows it, every logit counts.
 *   <li>M = (U_r D^{1/2})ᵀ M' (U_r D^{1/2}) = V Λ Vᵀ; directions with Λ above the interaction
 *       threshold (relative) are kept.
 *   <li>C = U_r D^{-1/2} V Λ^{1/2}: f̂ = Cᵀ(f − μ) has Gram matrix Λ and its Jacobians have Gram
 *       matrix I, so Λ_i measures how much feature i both varies and matters downstream.
 * </ol>
 *
 * For the output layer step 3 gives V = I, Λ = D: its interaction basis is its PCA basis (RIB's
 * {@code rotate_final_node_layer: true}). A direction with zero Jacobian (one later layers ignore)
 * has Λ = 0 and is dropped, which is the invariance to degeneracy the construction is for.
 */
final class InteractionBases {

  /**
   * What the construction found at one layer.
   *
   * @param gramEigenvalues all eigenvalues of G, descending
   * @param gramRank eigenvalues above the Gram threshold
   * @param pca the PCA basis (gramRank directions)
   * @param jacobianEigenvalues all eigenvalues of M', descending
   * @param jacobianRank eigenvalues of M' above the Jacobian threshold
   * @param interactionEigenvalues all eigenvalues Λ of M (gramRank of them), descending
   * @param interaction the interaction basis (the Λ above the interaction threshold)
   */
  record Layer(
      double[] gramEigenvalues,
      int gramRank,
      LayerBasis pca,
      double[] jacobianEigenvalues,
      int jacobianRank,
      double[] interactionEigenvalues,
      LayerBasis interaction) {}

  private InteractionBases() {}

  static List<Layer> build(NodeChain chain, DegeneracyOptions options) {
    int last = chain.layers() - 1;
    Layer[] out = new Layer[last + 1];
    for (int l = last; l >= 0; l--) {
      DoubleMatrix mDash;
      if (l == last) {
        mDash = DoubleMatrix.identity(chain.width(l));
      } else {
        DoubleMatrix r =
            l + 1 == last
                ? DoubleMatrix.identity(chain.width(last))
                : out[l + 1].interaction().features();
        mDash = chain.jacobianGram(l, r);
      }
      out[l] = layer(chain.activations(l), mDash, options);
    }
    return List.of(out);
  }

  /** Steps 1–4 for one layer from its activations and its M'. */
  static Layer layer(DoubleMatrix activations, DoubleMatrix mDash, DegeneracyOptions options) {
    int width = activations.cols();
    double[] mean = options.centre() ? activations.columnMeans() : new double[width];
    DoubleMatrix centred = activations.minusRow(mean);
    DoubleMatrix gram = centred.transposeTimes(centred).scale(1.0 / activations.rows());
    SymmetricEigenvectors g = SymmetricEigenvectors.of(gram);
    int r = SymmetricEigenvectors.countAbove(g.values(), options.gramThreshold());
    DoubleMatrix u = g.vectors().columns(0, r);
    double[] d = Arrays.copyOf(g.values(), r);
    LayerBasis pca = new LayerBasis(mean, u, u, d);

    SymmetricEigenvectors j = SymmetricEigenvectors.of(mDash);
    int jacobianRank = SymmetricEigenvectors.countAbove(j.values(), options.jacobianThreshold());

    double[] sqrtD = power(d, 0.5);
    DoubleMatrix a = u.scaleColumns(sqrtD); // U D^{1/2}
    SymmetricEigenvectors m = SymmetricEigenvectors.of(a.transposeTimes(mDash).times(a));
    int k = SymmetricEigenvectors.countAbove(m.values(), options.interactionThreshold());
    DoubleMatrix v = m.vectors().columns(0, k);
    double[] lambda = Arrays.copyOf(m.values(), k);
    DoubleMatrix features =
        u.scaleColumns(power(d, -0.5)).times(v).scaleColumns(power(lambda, 0.5));
    DoubleMatrix directions = a.times(v).scaleColumns(power(lambda, -0.5));
    LayerBasis interaction = new LayerBasis(mean, features, directions, lambda);
    return new Layer(g.values(), r, pca, j.values(), jacobianRank, m.values(), interaction);
  }

  private static double[] power(double[] x, double e) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.pow(x[i], e);
    }
    return y;
  }
}
