package org.phasemap.worker.llc;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The SGLD update exactly as devinterp's {@code optim/sgld.py} implements it (SCIENCE.md 3.2), in
 * place on every parameter tensor w with centre w*:
 *
 * <pre>
 *   g = nβ ∇L_B(w) + λ_wd w + γ (w − w*)
 *   w ← w − (ε/2) g + √ε σ ξ,   ξ ~ N(0, I)
 *   optionally w ← clamp(w, w* − b, w* + b)
 * </pre>
 *
 * <p>The terms of g are accumulated in devinterp's order. ξ is drawn in double from the given
 * {@link SplittableRandom}, tensor by tensor in the order of the parameter map and element by
 * element in row-major order, and written into a preallocated array: a chain is reproducible from
 * its seed alone, independent of ND4J's global generator. All buffers are allocated once here; a
 * step allocates no ND4J arrays (allocation costs more than the arithmetic at these sizes).
 */
public final class SgldSampler {
  private final Map<String, INDArray> parameters;
  private final Map<String, INDArray> centre;
  private final Map<String, INDArray> drift = new LinkedHashMap<>();
  private final Map<String, INDArray> scratch = new LinkedHashMap<>();
  private final double epsilon;
  private final double gamma;
  private final double nBeta;
  private final double noiseLevel;
  private final double weightDecay;
  private final double boundingBox;

  /**
   * A sampler moving {@code parameters} (live, updated in place) around {@code centre} (w*, not
   * modified; same names and shapes), with the SGLD settings of {@code settings} and the resolved
   * {@code nBeta}.
   */
  public SgldSampler(
      Map<String, INDArray> parameters,
      Map<String, INDArray> centre,
      LlcSettings settings,
      double nBeta) {
    if (!(nBeta > 0 && Double.isFinite(nBeta))) {
      throw new IllegalArgumentException(
          "Cannot build SGLD sampler: nBeta must be finite and > 0 (got " + nBeta + ")");
    }
    this.parameters = parameters;
    this.centre = centre;
    this.epsilon = settings.epsilon();
    this.gamma = settings.gamma();
    this.nBeta = nBeta;
    this.noiseLevel = settings.noiseLevel();
    this.weightDecay = settings.weightDecay();
    this.boundingBox = settings.boundingBox();
    for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
      INDArray w = e.getValue();
      INDArray c = centre.get(e.getKey());
      if (c == null || !java.util.Arrays.equals(c.shape(), w.shape())) {
        throw new IllegalArgumentException(
            "Cannot build SGLD sampler: centre has no tensor of shape "
                + java.util.Arrays.toString(w.shape())
                + " for "
                + e.getKey());
      }
      drift.put(e.getKey(), Nd4j.create(w.dataType(), w.shape()));
      scratch.put(e.getKey(), Nd4j.create(w.dataType(), w.shape()));
    }
  }

  /** One SGLD update of every parameter, from the gradients of the minibatch loss at w. */
  public void step(Map<String, INDArray> gradients, SplittableRandom rng) {
    double noiseScale = Math.sqrt(epsilon) * noiseLevel;
    for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      INDArray w = e.getValue();
      INDArray grad = gradients.get(name);
      if (grad == null) {
        throw new IllegalStateException(
            "Cannot take SGLD step for " + name + ": no gradient was computed for it");
      }
      INDArray g = drift.get(name);
      INDArray tmp = scratch.get(name);
      INDArray c = centre.get(name);
      g.assign(grad).muli(nBeta);
      if (weightDecay != 0) {
        g.addi(tmp.assign(w).muli(weightDecay));
      }
      if (gamma != 0) {
        g.addi(tmp.assign(w).subi(c).muli(gamma));
      }
      w.subi(g.muli(epsilon / 2));
      if (noiseScale != 0) {
        fillGaussian(tmp, rng);
        w.addi(tmp.muli(noiseScale));
      }
      if (boundingBox > 0) {
        Transforms.min(w, tmp.assign(c).addi(boundingBox), false);
        Transforms.max(w, tmp.assign(c).subi(boundingBox), false);
      }
    }
  }

  /** Fills the contiguous array {@code a} (allocated here) with standard normal draws. */
  static void fillGaussian(INDArray a, SplittableRandom rng) {
    long n = a.length();
    if (a.dataType() == DataType.DOUBLE) {
      DoubleBuffer b = a.data().asNioDouble();
      for (int i = 0; i < n; i++) {
        b.put(i, rng.nextGaussian());
      }
    } else if (a.dataType() == DataType.FLOAT) {
      FloatBuffer b = a.data().asNioFloat();
      for (int i = 0; i < n; i++) {
        b.put(i, (float) rng.nextGaussian());
      }
    } else {
      for (long i = 0; i < n; i++) {
        a.data().put(i, rng.nextGaussian());
      }
    }
  }
}
