package org.phasemap.worker.llc;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The empirical loss of a model as the LLC estimator sees it: the mean loss L_B(w) over a minibatch
 * B of training examples, and its gradient, at the current (live) parameters.
 *
 * <p>Minibatches are given as arrays of training-example indices in [0, {@link #size()}). The
 * estimator builds one fixed partition and passes the same index arrays again and again, so an
 * implementation may cache per-batch work keyed by their contents.
 */
public interface LossGradient {

  /**
   * A minibatch loss and its gradient by parameter name. The gradient arrays may be buffers of the
   * implementation: read them before its next call.
   */
  record Evaluation(double loss, Map<String, INDArray> gradients) {}

  /** n, the number of training examples (the n of L_n and of nβ = n / ln n). */
  int size();

  /** Mean loss over the examples {@code batch} at the current parameters. */
  double loss(int[] batch);

  /** Mean loss over the examples {@code batch} and its gradient, at the current parameters. */
  Evaluation lossAndGradient(int[] batch);

  /**
   * The parameter tensors by name, live: the sampler moves the model by updating them in place and
   * the estimator restores them afterwards.
   */
  Map<String, INDArray> parameters();
}
