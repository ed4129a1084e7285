package org.phasemap.worker.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The function a model computes on a batch, with its gradients: the loss (mean cross-entropy from
 * float64 log-softmax), the logits over the p number tokens at the last position, and the gradient
 * of the loss for every parameter tensor. Three implementations compute the same function: {@link
 * TransformerGraph} (SameDiff, every position through every layer: the reference, any depth, kept
 * as the tests' reference), {@link ExactOneLayer} (the exact reformulation of SCIENCE.md section 6,
 * one layer) and {@link ExactMultiLayer} (hand-derived, any depth).
 */
public interface ModelFunction {

  /** A batch of examples: flattened tokens [n * n_ctx] and labels [n]. */
  final class Batch {
    private final int[] tokens;
    private final int[] labels;

    public Batch(int[] tokens, int[] labels) {
      this.tokens = tokens.clone();
      this.labels = labels.clone();
    }

    public int[] tokens() {
      return tokens;
    }

    public int[] labels() {
      return labels;
    }

    public int size() {
      return labels.length;
    }
  }

  /** Loss and logits [n, p] of a batch; the logits are owned by the caller. */
  record Output(double loss, INDArray logits) {}

  /**
   * Loss, logits and the gradient of every parameter, by parameter name. The logits and gradients
   * may be buffers of the model function: read them before its next call.
   */
  record OutputAndGradients(double loss, INDArray logits, Map<String, INDArray> gradients) {}

  /**
   * What the analysis needs from a forward pass, all of the last layer at the last position: loss,
   * logits [n, p], the MLP input [n, d_model] (the residual stream after the attention block has
   * been added, before the MLP: the vector W_in reads), the post-activation MLP neurons [n, d_mlp],
   * and the attention pattern from the last position, softmax part before the attention-rate mix,
   * as a flat [n, n_heads, n_ctx] array. For a model of several layers, the MLP input is that of
   * the last layer (earlier layers' MLP inputs are not exposed).
   */
  record Probe(
      double loss, INDArray logits, INDArray mlpIn, INDArray mlpPost, double[] attention) {}

  Output evaluate(Batch batch);

  Probe probe(Batch batch);

  OutputAndGradients lossAndGradients(Batch batch);

  /** Name of the implementation, recorded with every run ({@code step_impl}). */
  String implementation();

  /** The parameters this function reads (live: updating them updates the model). */
  Parameters parameters();

  /**
   * The function for {@code config}: the exact one-layer reformulation for one layer, the exact
   * multi-layer step for more. The system property {@code phasemap.step=reference} forces the
   * reference graph (for benchmarks and cross-checks), {@code phasemap.step=multi-layer} the
   * multi-layer step at any depth.
   */
  static ModelFunction create(org.phasemap.worker.RunConfig config, Parameters parameters) {
    String forced = System.getProperty("phasemap.step", "");
    if (forced.equals("reference")) {
      return TransformerGraph.build(config, parameters);
    }
    if (!forced.equals("multi-layer") && ExactOneLayer.supports(config)) {
      return new ExactOneLayer(config, parameters);
    }
    return new ExactMultiLayer(config, parameters);
  }
}
