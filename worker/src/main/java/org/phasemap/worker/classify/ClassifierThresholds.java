package org.phasemap.worker.classify;

import java.util.Locale;

/**
 * The cuts of the classification rule of SCIENCE.md 2.4 ([OURS], calibrated on the released sweep
 * table PZ-csv).
 *
 * <p>The default DI variant is {@link DiVariant#MAX_WRONG} because the released CSV's {@code
 * distance_irrelevance} column, on which the DI cuts 0.40 / 0.60 were calibrated, is the
 * largest-wrong-logit variant (SCIENCE.md 2.3.2). With {@link DiVariant#CORRECT} SCIENCE.md 2.4
 * suggests lowering both DI cuts by about 0.05 (not calibrated; set them explicitly).
 *
 * @param minTestAccuracy final test accuracy below which a run is {@code no_generalisation}; in [0,
 *     1], default 0.99
 * @param minCircularity circularity below which a run is {@code non_circular}; in [0, 1], default
 *     0.995 (the paper's figure filter; 0.99 for a looser view)
 * @param pizzaMinGs pizza needs GS ≥ this; in [−1, 1], default 0.98
 * @param pizzaMaxDi pizza needs DI ≤ this; in [0, 1], default 0.40
 * @param clockMaxGs clock needs GS ≤ this; in [−1, 1], default 0.90
 * @param clockMinDi clock needs DI ≥ this; in [0, 1], default 0.60
 * @param diVariant which DI the two DI cuts apply to; default {@code di_maxwrong}
 */
public record ClassifierThresholds(
    double minTestAccuracy,
    double minCircularity,
    double pizzaMinGs,
    double pizzaMaxDi,
    double clockMaxGs,
    double clockMinDi,
    DiVariant diVariant)
    implements java.io.Serializable {

  /** Checks every field's range and that the pizza and clock regions do not overlap. */
  public ClassifierThresholds {
    requireIn("min_test_accuracy", minTestAccuracy, 0, 1);
    requireIn("min_circularity", minCircularity, 0, 1);
    requireIn("pizza_min_gs", pizzaMinGs, -1, 1);
    requireIn("pizza_max_di", pizzaMaxDi, 0, 1);
    requireIn("clock_max_gs", clockMaxGs, -1, 1);
    requireIn("clock_min_di", clockMinDi, 0, 1);
    if (diVariant == null) {
      throw new IllegalArgumentException(
          "Invalid di_variant: null (allowed: di_correct | di_maxwrong)");
    }
    if (clockMaxGs >= pizzaMinGs && clockMinDi <= pizzaMaxDi) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "Cannot use these thresholds: the pizza region (gs >= %s, di <= %s) and the clock"
                  + " region (gs <= %s, di >= %s) overlap; make pizza_min_gs greater than"
                  + " clock_max_gs or clock_min_di greater than pizza_max_di",
              pizzaMinGs,
              pizzaMaxDi,
              clockMaxGs,
              clockMinDi));
    }
  }

  /**
   * The SCIENCE.md 2.4 cuts: accuracy 0.99, circularity 0.995, pizza GS ≥ 0.98 and DI ≤ 0.40, clock
   * GS ≤ 0.90 and DI ≥ 0.60, on {@code di_maxwrong}.
   */
  public static ClassifierThresholds defaults() {
    return new ClassifierThresholds(0.99, 0.995, 0.98, 0.40, 0.90, 0.60, DiVariant.MAX_WRONG);
  }

  /** A copy that applies the DI cuts to {@code variant}; the cuts themselves are unchanged. */
  public ClassifierThresholds withDiVariant(DiVariant variant) {
    return new ClassifierThresholds(
        minTestAccuracy, minCircularity, pizzaMinGs, pizzaMaxDi, clockMaxGs, clockMinDi, variant);
  }

  private static void requireIn(String field, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) { // also rejects NaN
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "Invalid %s: %s (allowed: %s to %s)", field, value, fmt(lo), fmt(hi)));
    }
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
  }
}
