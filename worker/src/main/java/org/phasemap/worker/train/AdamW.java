package org.phasemap.worker.train;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.model.Rows;

/**
 * AdamW with decoupled weight decay, exactly as PyTorch's {@code torch.optim.AdamW} (non-amsgrad,
 * single-tensor path), under a linear warm-up multiplier min(s / warmup, 1) where s is the number
 * of optimiser steps already taken (so the first update uses lr = 0, as with PyTorch's LambdaLR).
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
  private final Map<String, double[]> m = new HashMap<>();
  private final Map<String, double[]> v = new HashMap<>();
  private double[] theta = new double[0];
  private double[] grad = new double[0];
  private int stepsTaken;

  public AdamW(
      double lr, double beta1, double beta2, double eps, double weightDecay, int warmupSteps) {
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

  /**
   * Applies one update to every parameter in place. The update of a tensor is one pass in Java over
   * its values (moments kept in double): a tensor here has at most a few hundred thousand values,
   * where the nine ND4J calls per tensor of an element-wise formulation cost more in call overhead
   * than the arithmetic (measured: about 1.5 ms a step at width 32).
   */
  public void step(Map<String, INDArray> params, Map<String, INDArray> grads) {
    double lrT = currentLearningRate();
    int t = stepsTaken + 1;
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    double stepSize = lrT / bc1;
    double decay = 1 - lrT * weightDecay;
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String name = e.getKey();
      INDArray th = e.getValue();
      INDArray g = grads.get(name);
      if (g == null) {
        throw new IllegalStateException(
            "Cannot update " + name + ": no gradient was computed for it");
      }
      int n = Math.toIntExact(th.length());
      if (g.length() != n) {
        throw new IllegalStateException(
            "Cannot update "
                + name
                + ": its gradient has "
                + g.length()
                + " values, the parameter "
                + n);
      }
      double[] mi = m.computeIfAbsent(name, k -> new double[n]);
      double[] vi = v.computeIfAbsent(name, k -> new double[n]);
      if (theta.length < n) {
        theta = new double[n];
        grad = new double[n];
      }
      read(th, theta, n);
      read(g, grad, n);
      for (int j = 0; j < n; j++) {
        double gj = grad[j];
        double mj = beta1 * mi[j] + (1 - beta1) * gj;
        double vj = beta2 * vi[j] + (1 - beta2) * gj * gj;
        mi[j] = mj;
        vi[j] = vj;
        theta[j] = theta[j] * decay - stepSize * mj / (Math.sqrt(vj) / bc2Sqrt + eps);
      }
      write(theta, n, th);
    }
    stepsTaken = t;
  }

  /**
   * The values of {@code a} in c order into {@code dst} (a copy when {@code a} is a strided view).
   */
  private static void read(INDArray a, double[] dst, int n) {
    Rows.read(isContiguous(a) ? a : a.dup('c'), dst);
  }

  /** Writes {@code src} into the parameter {@code a}, in place. */
  private static void write(double[] src, int n, INDArray a) {
    if (isContiguous(a)) {
      Rows.write(src, 0, a);
    } else {
      a.assign(Nd4j.create(java.util.Arrays.copyOf(src, n), a.shape(), 'c').castTo(a.dataType()));
    }
  }

  private static boolean isContiguous(INDArray a) {
    return a.offset() == 0
        && a.ordering() == 'c'
        && a.data().length() == a.length()
        && Shape.hasDefaultStridesForShape(a);
  }
}
