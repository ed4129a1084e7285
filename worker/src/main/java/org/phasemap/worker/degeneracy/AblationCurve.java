package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.phasemap.worker.measure.CrossEntropy;

/**
 * Loss and accuracy of the model when one node layer keeps only its first k basis directions, the
 * others set to their mean over the inputs (their value at μ, see {@link LayerBasis}), and the rest
 * of the network runs from there; over all the chain's inputs, against its labels.
 *
 * @param directions the k of each point: 0, 1, then growing geometrically (× growth, rounded up),
 *     and the basis's full size last
 * @param loss mean cross-entropy in nats, from float64 log-softmax
 * @param accuracy share of inputs whose largest logit is the label
 * @param directionsNeeded the smallest k whose accuracy is at least the requested share of the full
 *     model's (bisection between the two schedule points that bracket it, which assumes accuracy
 *     does not fall as k grows inside that bracket); -1 if not even the full basis reaches it
 * @param fullBasisError max |logits rebuilt from the full basis − the model's logits| / max |the
 *     model's logits|: what the directions below the thresholds carried (about the square root of
 *     the relative eigenvalue cut when the spectrum has no gap; rounding, 1e-14 or so, when the
 *     dropped eigenvalues are numerical zeros)
 */
public record AblationCurve(
    int[] directions,
    double[] loss,
    double[] accuracy,
    int directionsNeeded,
    double fullBasisError) {

  public AblationCurve {
    directions = directions.clone();
    loss = loss.clone();
    accuracy = accuracy.clone();
  }

  @Override
  public int[] directions() {
    return directions.clone();
  }

  @Override
  public double[] loss() {
    return loss.clone();
  }

  @Override
  public double[] accuracy() {
    return accuracy.clone();
  }

  /** Number of points. */
  public int size() {
    return directions.length;
  }

  /** The k of the schedule for a basis of {@code size} directions. */
  static int[] schedule(int size, double growth) {
    List<Integer> ks = new ArrayList<>();
    ks.add(0);
    int k = 1;
    while (k < size) {
      ks.add(k);
      k = Math.max(k + 1, (int) Math.ceil(k * growth));
    }
    if (size > 0) {
      ks.add(size);
    }
    return ks.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The curve of {@code basis} at layer {@code l} of {@code chain}. */
  static AblationCurve measure(
      NodeChain chain, int l, LayerBasis basis, double fullAccuracy, DegeneracyOptions options) {
    int[] labels = chain.labels();
    DoubleMatrix featureValues = basis.featureValues(chain.activations(l));
    DoubleMatrix model = chain.activations(chain.layers() - 1);
    double[] error = new double[1];
    Map<Integer, double[]> cache = new HashMap<>();
    java.util.function.IntFunction<double[]> fit =
        k ->
            cache.computeIfAbsent(
                k,
                kk -> {
                  DoubleMatrix out = chain.output(l, basis.rebuild(featureValues, kk));
                  if (kk == basis.size()) {
                    error[0] =
                        out.minus(model).maxAbs() / Math.max(model.maxAbs(), Double.MIN_NORMAL);
                  }
                  double[][] logits = out.toArray();
                  return new double[] {
                    CrossEntropy.loss(logits, labels), CrossEntropy.accuracy(logits, labels)
                  };
                });
    int[] ks = schedule(basis.size(), options.ablationGrowth());
    double[] loss = new double[ks.length];
    double[] accuracy = new double[ks.length];
    for (int i = 0; i < ks.length; i++) {
      double[] f = fit.apply(ks[i]);
      loss[i] = f[0];
      accuracy[i] = f[1];
    }
    double target = options.accuracyShare() * fullAccuracy;
    int first = 0;
    while (first < ks.length && accuracy[first] < target) {
      first++;
    }
    int needed;
    if (first == ks.length) {
      needed = -1;
    } else if (first == 0) {
      needed = ks[0];
    } else {
      int lo = ks[first - 1]; // below the target
      int hi = ks[first]; // at or above it
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (fit.apply(mid)[1] >= target) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      needed = hi;
    }
    return new AblationCurve(ks, loss, accuracy, needed, error[0]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AblationCurve c
        && Arrays.equals(directions, c.directions)
        && Arrays.equals(loss, c.loss)
        && Arrays.equals(accuracy, c.accuracy)
        && directionsNeeded == c.directionsNeeded
        && Double.compare(fullBasisError, c.fullBasisError) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(directions) + Arrays.hashCode(accuracy);
  }

  @Override
  public String toString() {
    return "AblationCurve[directions="
        + Arrays.toString(directions)
        + ", accuracy="
        + Arrays.toString(accuracy)
        + ", directionsNeeded="
        + directionsNeeded
        + ", fullBasisError="
        + fullBasisError
        + "]";
  }
}
