package org.phasemap.driver.spec;

import java.util.Locale;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.bench.CostModel;

/**
 * What a sweep would cost to train, from {@link CostModel}: every run when there are at most {@link
 * #SAMPLE} of them, else {@link #SAMPLE} runs spread evenly over the sweep (any run is a pure
 * function of its index, so no other run is built). Refinement adds its budget at the mean cost of
 * a design run.
 *
 * @param runs the sweep's own runs
 * @param refineRuns the refine block's budget (0 without one)
 * @param coreSeconds estimated single-core seconds of all of them
 * @param sampled runs whose cost was estimated directly
 */
public record SweepCost(long runs, long refineRuns, double coreSeconds, long sampled) {
  /** Runs costed directly at most. */
  public static final int SAMPLE = 2000;

  /** Sweeps above this many runs need {@code run --allow-large}. */
  public static final long GUARD_RUNS = 10_000;

  /** Sweeps above this many estimated core-hours need {@code run --allow-large}. */
  public static final double GUARD_CORE_HOURS = 200;

  public static SweepCost of(SweepSpec spec) {
    long count = spec.runCount();
    long n = Math.min(count, SAMPLE);
    double sum = 0;
    for (long i = 0; i < n; i++) {
      int index = (int) (n == count ? i : i * count / n);
      RunConfig c =
          RunConfig.fromMap(SweepPlanner.runValues(spec, SweepPlanner.point(spec, index)));
      sum += CostModel.runSeconds(c);
    }
    double mean = sum / n;
    long refine = spec.refine() == null ? 0 : spec.refine().budget();
    return new SweepCost(count, refine, mean * (count + refine), n);
  }

  public double coreHours() {
    return coreSeconds / 3600;
  }

  /** Whether {@code run} needs {@code --allow-large} for this sweep. */
  public boolean aboveGuard() {
    return runs + refineRuns > GUARD_RUNS || coreHours() > GUARD_CORE_HOURS;
  }

  /** "N runs, about X core-hours (about Y on C cores)", for plan and run. */
  public String describe(int cores) {
    String total = runs + (refineRuns > 0 ? " runs + " + refineRuns + " refinement runs" : " runs");
    String spread =
        sampled < runs ? ", estimated from " + sampled + " runs spread over the sweep" : "";
    if (cores <= 1) { // "about 24 min on 1 cores" said the same twice, and badly
      return String.format(
          Locale.ROOT,
          "%s, about %s of training on one core (%s; docs/PERFORMANCE.md, cost model)",
          total,
          duration(coreSeconds),
          spread.isEmpty() ? "1 task slot" : spread.substring(2));
    }
    return String.format(
        Locale.ROOT,
        "%s, about %s of training on one core (about %s on %d cores%s;"
            + " docs/PERFORMANCE.md, cost model)",
        total,
        duration(coreSeconds),
        duration(coreSeconds / cores),
        cores,
        spread);
  }

  /** 45 s, 12 min, 3.4 h, 2.1 days. */
  static String duration(double seconds) {
    if (seconds < 90) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 5400) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    if (seconds < 48 * 3600) {
      return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
    return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
  }
}
