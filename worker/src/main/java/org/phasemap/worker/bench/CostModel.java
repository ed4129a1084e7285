package org.phasemap.worker.bench;

import org.phasemap.worker.RunConfig;

/**
 * A rough estimate of what a run costs on one core, for {@code plan} and for the size guard of
 * {@code run}: good to about ±40 %, which is what deciding "minutes, hours or weeks" needs.
 *
 * <p>A step costs {@link #FIXED_MS} plus {@link #EFFICIENCY} times its FLOP floor ({@link
 * StepBenchmark#floorFlops}) at {@link #GFLOPS} GFLOP/s, the efficiency falling as (128 / d)^0.22
 * above width 128 (larger products run nearer the sgemm rate), plus {@link #GELU_NS} ns per GeLU
 * pre-activation; the test set is evaluated at every logged step (a forward pass, about a third of
 * a step, scaled by the test share); each checkpoint's measures cost about {@link
 * #CHECKPOINT_SECONDS_P113} s at p = 113 and width 128, scaled by p² and width. The constants were
 * fitted to the one-thread figures of {@code phasemap bench} on the project's 2-core machine class
 * (2026-12-08, docs/PERFORMANCE.md: within 11 % on eleven of its thirteen cases, 27-29 % low on
 * nanda2023 and the narrow two-layer case); {@code bench} prints this model's estimate beside every
 * measured case so that it can be checked (and refitted) on any machine.
 */
public final class CostModel {
  /** Per-step cost that does not scale with the arithmetic (attention loops, loss, AdamW calls). */
  public static final double FIXED_MS = 8;

  /** Measured step time over floor time, for the bulk of the arithmetic, up to width 128. */
  public static final double EFFICIENCY = 1.3;

  /** Single-thread sgemm rate the floor is taken at. */
  public static final double GFLOPS = 75;

  /**
   * GeLU and its derivative beyond ReLU's cost, per pre-activation: the vectorised float pass
   * ({@code Gelu}, 2.5 ns a value) less ReLU's native ops, as the GeLU and ReLU rows of the bench
   * differ (docs/PERFORMANCE.md).
   */
  public static final double GELU_NS = 2.5;

  /** Measures of one checkpoint at p = 113, d_model 128. */
  public static final double CHECKPOINT_SECONDS_P113 = 2.5;

  private CostModel() {}

  /** Estimated milliseconds of one training step (forward, backward, AdamW) on one core. */
  public static double stepMs(RunConfig c) {
    double efficiency = EFFICIENCY * Math.min(1.0, Math.pow(128.0 / c.dModel(), 0.22));
    double ms = FIXED_MS + efficiency * StepBenchmark.floorFlops(c) / GFLOPS / 1e6;
    if (c.activation() == RunConfig.Activation.GELU) {
      double n = c.trainSize();
      double rows = c.nLayers() == 1 ? n : (c.nLayers() - 1) * n * c.contextLength() + n;
      ms += GELU_NS * rows * c.dMlp() / 1e6;
    }
    return ms;
  }

  /** Estimated seconds of a whole run on one core: steps, test evaluations and checkpoints. */
  public static double runSeconds(RunConfig c) {
    double step = stepMs(c) / 1e3;
    int pairs = c.modulus() * c.modulus();
    double testShare = (double) (pairs - c.trainSize()) / c.trainSize();
    double logged = Math.floor((double) c.steps() / c.logInterval()) + 1;
    double checkpoints =
        (c.checkpointInterval() > 0 ? Math.floor((double) c.steps() / c.checkpointInterval()) : 0)
            + 1;
    double checkpoint =
        CHECKPOINT_SECONDS_P113 * pairs / (113.0 * 113.0) * c.dModel() / 128.0 * c.nLayers();
    return c.steps() * step + logged * step * testShare / 3 + checkpoints * checkpoint;
  }
}
