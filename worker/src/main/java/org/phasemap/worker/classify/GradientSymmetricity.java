package org.phasemap.worker.classify;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient symmetricity (GS), SCIENCE.md 2.3.1: how alike the gradients of one logit are with
 * respect to the two input token embeddings.
 *
 * <pre>GS = mean over triples (a, b, c) in S of cos(∂Q_abc/∂E_a, ∂Q_abc/∂E_b),
 * cos(u, v) = u·v / (‖u‖‖v‖)</pre>
 *
 * <p>Q_abc is the logit of class c (any class, not only the correct one) for input (a, b), and E_a,
 * E_b are the token-embedding vectors as they enter the model (before the positional embedding).
 * The gradients are computed on the model side; this class only reduces them. The triple set S is
 * chosen by {@link GsSampling} / {@link TripleSample}.
 *
 * <p>A triple whose gradient pair contains a zero vector (exactly zero norm, e.g. a logit that no
 * live unit reaches) has no direction and no cosine: it is skipped and counted in {@link
 * Summary#skipped()}, and the mean is over the remaining triples. If every triple is skipped the
 * mean is NaN. Non-finite gradients are not skipped: they make the mean NaN, because a diverged
 * model should not receive a GS.
 *
 * <p>GS ≈ 1 says the model treats a and b alike; it separates clock from non-clock but cannot by
 * itself tell pizza from other symmetric algorithms (every α = 0 model scores ≈ 0.99), which is why
 * the classifier also needs distance irrelevance.
 */
public final class GradientSymmetricity {
  private GradientSymmetricity() {}

  /**
   * Mean cosine and its bookkeeping.
   *
   * @param mean mean cosine over the counted triples; NaN if none was counted
   * @param counted triples that entered the mean
   * @param skipped triples left out because one of their two gradients had zero norm
   */
  public record Summary(double mean, int counted, int skipped) {}

  /**
   * GS of gradient pairs: row i of {@code gradA} is ∂Q/∂E_a and row i of {@code gradB} is ∂Q/∂E_b
   * for triple i. Zero-norm pairs are skipped (see the class comment).
   */
  public static double meanCosine(double[][] gradA, double[][] gradB) {
    return summarise(gradA, gradB).mean();
  }

  /**
   * {@link #meanCosine(double[][], double[][])} for {@code [n, d_model]} arrays of any float type.
   */
  public static double meanCosine(INDArray gradA, INDArray gradB) {
    return meanCosine(Matrices.toDouble(gradA, "gradA"), Matrices.toDouble(gradB, "gradB"));
  }

  /** Mean cosine with the number of counted and skipped triples. */
  public static Summary summarise(double[][] gradA, double[][] gradB) {
    if (gradA.length != gradB.length) {
      throw new IllegalArgumentException(
          "Cannot compare gradients: gradA has "
              + gradA.length
              + " rows and gradB has "
              + gradB.length
              + "; row i of each must belong to triple i");
    }
    double sum = 0;
    int counted = 0;
    int skipped = 0;
    for (int i = 0; i < gradA.length; i++) {
      if (maxAbs(gradA[i]) == 0 || maxAbs(gradB[i]) == 0) {
        skipped++;
      } else {
        sum += cosine(gradA[i], gradB[i]);
        counted++;
      }
    }
    return new Summary(counted == 0 ? Double.NaN : sum / counted, counted, skipped);
  }

  /**
   * cos(u, v) = u·v / (‖u‖‖v‖), clamped to [−1, 1] against rounding; NaN when either vector has
   * zero norm or any entry is non-finite. Each vector is first divided by its largest |entry|
   * (cosine is scale-free), so tiny float32 gradients cannot underflow to a zero norm.
   */
  public static double cosine(double[] u, double[] v) {
    if (u.length != v.length) {
      throw new IllegalArgumentException(
          "Cannot take the cosine of vectors of lengths " + u.length + " and " + v.length);
    }
    double su = maxAbs(u);
    double sv = maxAbs(v);
    if (su == 0 || sv == 0 || !Double.isFinite(su) || !Double.isFinite(sv)) {
      return Double.NaN;
    }
    double dot = 0;
    double uu = 0;
    double vv = 0;
    for (int k = 0; k < u.length; k++) {
      double x = u[k] / su;
      double y = v[k] / sv;
      dot += x * y;
      uu += x * x;
      vv += y * y;
    }
    double cos = dot / (Math.sqrt(uu) * Math.sqrt(vv));
    return Math.max(-1.0, Math.min(1.0, cos));
  }

  /** Largest |entry|; NaN if any entry is NaN, so a NaN vector is never taken for a zero one. */
  private static double maxAbs(double[] u) {
    double m = 0;
    for (double x : u) {
      if (Double.isNaN(x)) {
        return Double.NaN;
      }
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
