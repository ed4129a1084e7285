package org.phasemap.worker.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.phasemap.worker.RunConfig;

/**
 * The MLP non-linearity of the exact steps, applied in place over ND4J buffers: ReLU, or GeLU as
 * PyTorch's default {@code F.gelu}, 0.5 x (1 + erf(x / sqrt 2)) (the same formula and the same erf
 * op as {@link TransformerGraph}'s, so both formulations round alike). With a derivative buffer it
 * also leaves act'(pre) there for the backward pass.
 */
enum Activation {
  RELU {
    @Override
    void apply(INDArray x, INDArray derivative, INDArray scratch) {
      if (derivative != null) {
        derivative.assign(x);
        Transforms.step(derivative, false);
      }
      Transforms.relu(x, false);
    }
  },
  GELU {
    private final double invSqrt2 = 1.0 / Math.sqrt(2.0);
    private final double invSqrt2Pi = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** cdf = 0.5 (1 + erf(x / sqrt 2)); gelu = x cdf; gelu' = cdf + x phi(x). */
    @Override
    void apply(INDArray x, INDArray derivative, INDArray scratch) {
      scratch.assign(x).muli(invSqrt2);
      Nd4j.exec(new Erf(scratch, scratch));
      scratch.addi(1.0).muli(0.5);
      if (derivative != null) {
        derivative.assign(x).muli(x).muli(-0.5);
        Transforms.exp(derivative, false);
        derivative.muli(x).muli(invSqrt2Pi).addi(scratch);
      }
      x.muli(scratch);
    }
  };

  /**
   * Replaces {@code x} (pre-activations) by act(x); when {@code derivative} is not null it receives
   * act'(x). {@code scratch} has x's shape (GeLU uses it; ReLU ignores it and accepts null).
   */
  abstract void apply(INDArray x, INDArray derivative, INDArray scratch);

  /** Whether {@link #apply} needs its scratch buffer. */
  boolean needsScratch() {
    return this == GELU;
  }

  static Activation of(RunConfig c) {
    return c.activation() == RunConfig.Activation.GELU ? GELU : RELU;
  }
}
