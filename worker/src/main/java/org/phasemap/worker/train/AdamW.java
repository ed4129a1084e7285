package org.phasemap.worker.train;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AdamW with decoupled weight decay, exactly as PyTorch's {@code torch.optim.AdamW} (non-amsgrad,
 * single-tensor path), under a linear warm-up multiplier min(s / warmup, 1) where s is the number of
 * optimiser steps already taken (so the first update uses lr = 0, as with PyTorch's LambdaLR).
 *
 * <p>For step t = s + 1 with learning rate lr_t = lr * min(s / warmup, 1):
 *
 * <pre>
 *   theta <- theta * (1 - lr_t * wd)
 *   m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2
 *   theta <- theta - (lr_t / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 */
public final class AdamW {
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final int warmupSteps;
  private final Map<String, INDArray> m = new HashMap<>();
  private final Map<String, INDArray> v = new HashMap<>();
  private final Map<String, INDArray> scratch = new HashMap<>();
  private int stepsTaken;

  public AdamW(double lr, double beta1, double beta2, double eps, double weightDecay, int warmupSteps) {
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.warmupSteps = warmupSteps;
  }

  /** The learning rate the next update will use. */
  public double currentLearningRate() {
    double mult = warmupSteps == 0 ? 1.0 : Math.min((double) stepsTaken / warmupSteps, 1.0);
    return lr * mult;
  }

  /** Number of updates applied so far. */
  public int stepsTaken() {
    return stepsTaken;
  }

  /** Applies one update to every parameter in place. */
  public void step(Map<String, INDArray> params, Map<String, INDArray> grads) {
    double lrT = currentLearningRate();
    int t = stepsTaken + 1;
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    double stepSize = lrT / bc1;
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String name = e.getKey();
      INDArray theta = e.getValue();
      INDArray g = grads.get(name);
      if (g == null) {
        throw new IllegalStateException("Cannot update " + name + ": no gradient was computed for it");
      }
      INDArray mi = m.computeIfAbsent(name, k -> theta.ulike().assign(0));
      INDArray vi = v.computeIfAbsent(name, k -> theta.ulike().assign(0));
      INDArray tmp = scratch.computeIfAbsent(name, k -> theta.ulike());
      // everything in place: allocating ND4J arrays every step costs more than this arithmetic
      if (weightDecay != 0) {
        theta.muli(1 - lrT * weightDecay);
      }
      mi.muli(beta1).addi(tmp.assign(g).muli(1 - beta1));
      vi.muli(beta2).addi(tmp.assign(g).muli(g).muli(1 - beta2));
      Transforms.sqrt(tmp.assign(vi), false).divi(bc2Sqrt).addi(eps); // denominator
      theta.subi(tmp.rdivi(mi).muli(stepSize)); // m / denominator, scaled
    }
    stepsTaken = t;
  }
}
