package org.phasemap.worker.llc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.ModelFunction.Batch;

/**
 * The training loss of a transformer ({@link ModelFunction}: mean cross-entropy, float64 reduction)
 * on the training set of its {@link ModularAddition} split, for the LLC estimator. Example i is the
 * i-th training pair in the split's stored (shuffled) order.
 *
 * <p>Each distinct minibatch becomes one {@link Batch}, built on first use and reused afterwards:
 * model functions keep their per-batch buffers by batch identity, so a new batch per step would
 * allocate (and retain) a full set of buffers every step. The estimator passes a fixed partition,
 * so at most #batches batches are ever built; together they hold the buffers of one full batch.
 */
public final class ModelLossGradient implements LossGradient {
  private final ModelFunction model;
  private final ModularAddition data;
  private final int[] train;
  private final Map<IndexSet, Batch> batches = new HashMap<>();

  public ModelLossGradient(ModelFunction model, ModularAddition data) {
    this.model = model;
    this.data = data;
    this.train = data.trainIndices();
  }

  @Override
  public int size() {
    return train.length;
  }

  @Override
  public double loss(int[] batch) {
    return model.evaluate(batch(batch)).loss();
  }

  @Override
  public Evaluation lossAndGradient(int[] batch) {
    ModelFunction.OutputAndGradients og = model.lossAndGradients(batch(batch));
    return new Evaluation(og.loss(), og.gradients());
  }

  @Override
  public Map<String, INDArray> parameters() {
    return model.parameters().asMap();
  }

  /** The reusable batch of training examples {@code indices}. */
  Batch batch(int[] indices) {
    Batch b = batches.get(new IndexSet(indices));
    if (b == null) {
      int[] own = indices.clone(); // the caller's array may change; the key must not
      b = build(own);
      batches.put(new IndexSet(own), b);
    }
    return b;
  }

  private Batch build(int[] indices) {
    int[] pairs = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= train.length) {
        throw new IllegalArgumentException(
            "Cannot build minibatch: example index must be in [0, "
                + train.length
                + ") (got "
                + indices[i]
                + ")");
      }
      pairs[i] = train[indices[i]];
    }
    return new Batch(data.tokens(pairs), data.labels(pairs));
  }

  /** Index arrays compared by content: the cache key of a minibatch. */
  private static final class IndexSet {
    final int[] indices;
    final int hash;

    IndexSet(int[] indices) {
      this.indices = indices;
      this.hash = Arrays.hashCode(indices);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IndexSet && Arrays.equals(indices, ((IndexSet) o).indices);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
