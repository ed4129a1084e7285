package org.phasemap.worker.degeneracy;

import java.util.Map;

/**
 * A network seen as a chain of node layers f_0 → f_1 → … → f_L over a fixed batch of inputs, in
 * float64: what the interaction basis of Bushnaq et al. 2024 (SCIENCE.md 3.5) needs from a model.
 * Layer L is the output (the logits); every other layer's activations determine the next layer's
 * completely, so a layer can be modified (projected onto a few directions) and the rest of the
 * network run from it.
 *
 * <p>Rows. A layer's activations are a matrix of {@code inputs() × positions(l)} rows and {@code
 * width(l)} columns, input-major (row {@code x · positions(l) + s}). A layer with several positions
 * (a transformer's residual stream before attention, which attention mixes across the sequence)
 * shares one basis across its positions, as RIB does: every (input, position) row is a sample of
 * the same vector space.
 *
 * <p>Jacobians. {@link #jacobianGram} returns M'_l = (1 / rows) Σ_rows J_rowᵀ R Rᵀ J_row with J_row
 * = ∂f_{l+1}(x) / ∂(row of f_l) at the chain's own activations, x the row's input: for R = C_{l+1}
 * (the next layer's interaction basis) this is SCIENCE.md 3.5 step 2, Σ_i J_iᵀ J_i over the
 * features f̂_{l+1,i} = C_{l+1}ᵀ f_{l+1}; for R = I it is the Gram matrix of the plain Jacobian.
 * Implementations compute it exactly (hand-derived derivatives), not by finite differences.
 */
public interface NodeChain {

  /** Number of node layers, the output included (at least 2). */
  int layers();

  /** Name of layer {@code l}, for reports. */
  String name(int l);

  /** Coordinates of one row of layer {@code l}. */
  int width(int l);

  /**
   * Rows per input at layer {@code l}: 1, or the sequence length for a layer shared by positions.
   */
  int positions(int l);

  /** Number of inputs n. */
  int inputs();

  /** Class label of each input, for loss and accuracy of the logits. */
  int[] labels();

  /**
   * The modulus p when the inputs are all p² pairs (a, b), row a·p + b (so a feature can be read as
   * a p × p table and Fourier-transformed); 0 otherwise.
   */
  int gridModulus();

  /** Activations of layer {@code l}, [inputs × positions(l), width(l)]. */
  DoubleMatrix activations(int l);

  /** Layer {@code l + 1} computed from (possibly modified) activations of layer {@code l < L}. */
  DoubleMatrix next(int l, DoubleMatrix activations);

  /** The logits [inputs, classes] computed from (possibly modified) activations of layer l. */
  default DoubleMatrix output(int l, DoubleMatrix activations) {
    DoubleMatrix f = activations;
    for (int k = l; k < layers() - 1; k++) {
      f = next(k, f);
    }
    return f;
  }

  /**
   * M'_l = (1 / rows) Σ_rows J_rowᵀ R Rᵀ J_row, [width(l), width(l)], for l < L (see the class
   * comment).
   *
   * @param nextBasis R, [width(l + 1), k]
   */
  DoubleMatrix jacobianGram(int l, DoubleMatrix nextBasis);

  /**
   * The interaction graph's edge weights between the interaction features of layer l (basis {@code
   * in}) and those of layer l + 1 (basis {@code out}), for l < L: RIB's squared attribution with
   * plain gradients (its {@code edge_formula: squared} at {@code integration_method: gradient}),
   *
   * <pre>
   *   E[i][j] = 1/(n · T_l) Σ_x Σ_t ( Σ_s ∂f̂_{l+1,i}(x, t) / ∂f̂_{l,j}(x, s) · f̂_{l,j}(x, s) )²
   * </pre>
   *
   * over inputs x, output positions t and input positions s (T_l = positions(l)), at the chain's
   * own activations; f̂ = Cᵀ(f − μ), and f̂_{l,j} moves layer l along E[:, j]. Exact (hand-derived
   * derivatives), [out.size(), in.size()]. {@link InteractionGraph} says why this formula.
   */
  DoubleMatrix edges(int l, LayerBasis in, LayerBasis out);

  /**
   * Layer l + 1's features (basis {@code out}) when the edge from input feature j to output feature
   * i is kept only where {@code keep[i][j]}: output feature i is read from the step run on layer l
   * rebuilt from its kept input features alone, the others at their mean (f̂_j = 0), as RIB ablates
   * edges. {@code features} are layer l's features [inputs × positions(l), in.size()] (the chain's
   * own, or already ablated upstream); the result is [inputs × positions(l + 1), out.size()]. The
   * default runs {@link #next} once per distinct row of {@code keep}; implementations may do the
   * same work faster.
   */
  default DoubleMatrix ablatedNext(
      int l, LayerBasis in, DoubleMatrix features, LayerBasis out, boolean[][] keep) {
    return GraphEdges.groupedNext(this, l, in, features, out, keep);
  }

  /**
   * Pre-activations [rows, neurons] of the chain's element-wise non-linearities (ReLU or GeLU
   * neurons), by layer name, in chain order: where synchronised neurons are looked for. Rows are
   * those of the named layer (one per input, or per (input, position) of a layer with several
   * positions). A neuron "fires" on a row when its pre-activation is positive.
   */
  Map<String, DoubleMatrix> neuronPreActivations();
}
