package org.phasemap.worker.llc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A grid of LLC estimates at one point w* for choosing the SGLD step size ε and nβ (SCIENCE.md
 * 3.4): every pair of the given ε and nβ values, everything else as in one base setting. λ̂ is
 * comparable only within one setting, so this is how a setting is picked: accept an (ε, nβ) where
 * the traces plateau without diverging and λ̂ changes little between neighbouring ε (and nβ).
 *
 * <p>Every cell uses the base setting's seed: the chains of neighbouring cells see the same
 * minibatches and the same noise draws (common random numbers), so differences between cells come
 * from ε and nβ rather than from sampling luck. Cells run in order, nβ outer and ε inner, both as
 * given; a diverged cell (a chain with a non-finite loss) is a result, not an error.
 */
public final class LlcCalibration {

  /**
   * One estimate of the grid.
   *
   * @param settings its settings: the base with this cell's ε and a fixed nβ
   * @param result the estimate
   * @param seconds wall time of the estimate
   */
  public record Cell(LlcSettings settings, LlcResult result, double seconds) {
    public double epsilon() {
      return settings.epsilon();
    }

    public double nBeta() {
      return result.nBeta();
    }

    /** Whether a chain diverged (its loss became non-finite), leaving λ̂ NaN. */
    public boolean diverged() {
      return !result.finite();
    }
  }

  /** Told before and after each cell, for progress output. */
  public interface Listener {
    void started(int index, int total, LlcSettings settings);

    void finished(int index, int total, Cell cell);
  }

  private LlcCalibration() {}

  /**
   * The settings of the grid: for each nβ (outer) and each ε (inner), {@code base} with that ε and
   * that fixed nβ.
   *
   * @param epsilons step sizes, each in (0, 1], distinct, at least one
   * @param nBetas nβ values, each finite and > 0, distinct, at least one
   */
  public static List<LlcSettings> grid(LlcSettings base, double[] epsilons, double[] nBetas) {
    requireDistinct("epsilon", epsilons);
    requireDistinct("nbeta", nBetas);
    List<LlcSettings> grid = new ArrayList<>();
    for (double nBeta : nBetas) {
      for (double epsilon : epsilons) {
        grid.add(base.withEpsilon(epsilon).withNBeta(nBeta));
      }
    }
    return grid;
  }

  /** Estimates every cell of {@code grid} at the current parameters of {@code model}, in order. */
  public static List<Cell> run(LossGradient model, List<LlcSettings> grid, Listener listener) {
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < grid.size(); i++) {
      LlcSettings s = grid.get(i);
      listener.started(i, grid.size(), s);
      long t0 = System.nanoTime();
      LlcResult r = new LlcEstimator(s).estimate(model);
      Cell cell = new Cell(s, r, (System.nanoTime() - t0) / 1e9);
      cells.add(cell);
      listener.finished(i, grid.size(), cell);
    }
    return cells;
  }

  /**
   * The mean over chains of the trace at each draw, over the chains still finite at that draw (NaN
   * where none is): the curve to look at for a plateau.
   */
  public static double[] meanTrace(LlcResult r) {
    double[][] trace = r.trace();
    int draws = trace.length == 0 ? 0 : trace[0].length;
    double[] mean = new double[draws];
    for (int k = 0; k < draws; k++) {
      double sum = 0;
      int count = 0;
      for (double[] chain : trace) {
        if (Double.isFinite(chain[k])) {
          sum += chain[k];
          count++;
        }
      }
      mean[k] = count == 0 ? Double.NaN : sum / count;
    }
    return mean;
  }

  private static void requireDistinct(String name, double[] values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException(
          "Cannot calibrate LLC: give at least one " + name + " value (got none)");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException(
            "Cannot calibrate LLC: "
                + name
                + " values must be distinct (got "
                + sorted[i]
                + " twice in "
                + Arrays.toString(values)
                + ")");
      }
    }
  }
}
