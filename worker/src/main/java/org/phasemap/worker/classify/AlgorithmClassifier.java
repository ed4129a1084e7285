package org.phasemap.worker.classify;

/**
 * Labels a trained run from its measures by the rule of SCIENCE.md 2.4, applied in order:
 *
 * <ol>
 *   <li>{@code no_generalisation} if test accuracy &lt; {@code minTestAccuracy};
 *   <li>{@code non_circular} if circularity &lt; {@code minCircularity};
 *   <li>{@code pizza} if GS ≥ {@code pizzaMinGs} and DI ≤ {@code pizzaMaxDi};
 *   <li>{@code clock} if GS ≤ {@code clockMaxGs} and DI ≥ {@code clockMinDi};
 *   <li>{@code mixed} otherwise,
 * </ol>
 *
 * where DI is the variant named by {@link ClassifierThresholds#diVariant()} ({@code di_maxwrong} by
 * default). All cuts are inclusive on the accepting side, as written in 2.4.
 *
 * <p>Undefined (NaN) measures never satisfy a condition that needs a value: NaN test accuracy gives
 * {@code no_generalisation} (generalisation not shown), NaN circularity gives {@code non_circular}
 * (no circle to read), and a NaN GS or NaN selected DI in a generalising, circular run gives {@code
 * mixed}, the class for "circular but confirmed as neither pizza nor clock". The DI variant not
 * selected is ignored, NaN or not.
 *
 * <p>The label depends on the training step (SCIENCE.md 2.6), so callers store it with its step;
 * only trained, generalising checkpoints are meaningful (untrained models score GS ≈ DI ≈ 1).
 */
public final class AlgorithmClassifier {
  private AlgorithmClassifier() {}

  /** The label of a run with these measures under thresholds {@code t}. */
  public static AlgorithmLabel classify(
      double testAccuracy,
      double circularity,
      double gs,
      double diCorrect,
      double diMaxWrong,
      ClassifierThresholds t) {
    if (t == null) {
      throw new IllegalArgumentException("Cannot classify without thresholds (got null)");
    }
    if (!(testAccuracy >= t.minTestAccuracy())) {
      return AlgorithmLabel.NO_GENERALISATION;
    }
    if (!(circularity >= t.minCircularity())) {
      return AlgorithmLabel.NON_CIRCULAR;
    }
    double di = t.diVariant().select(diCorrect, diMaxWrong);
    if (gs >= t.pizzaMinGs() && di <= t.pizzaMaxDi()) {
      return AlgorithmLabel.PIZZA;
    }
    if (gs <= t.clockMaxGs() && di >= t.clockMinDi()) {
      return AlgorithmLabel.CLOCK;
    }
    return AlgorithmLabel.MIXED;
  }
}
