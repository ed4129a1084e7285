package org.phasemap.worker.llc;

/**
 * Settings of one LLC estimate: the SGLD sampler (SCIENCE.md 3.2) and the estimator's bookkeeping
 * (3.3). Immutable; each {@code with...} returns a validated copy. Estimates are comparable only
 * between runs with the same settings, so the settings are recorded in every {@link LlcResult}.
 *
 * <p>Defaults ({@link #defaults()}) are the starting point of SCIENCE.md 3.4 [OURS] for the
 * nanda2023 transformer, for which no calibrated public setting exists: ε = 1e-4 (the geometric
 * middle of the proposed grid 1e-5…3e-4), γ = 100 (devinterp's introduction and canonical-interp),
 * nβ = n / ln n (Lau et al.), 4 chains × 200 draws, burn-in 200 (≥ draws, so devinterp's
 * underestimate warning does not apply), one draw per step, full-batch gradients (no minibatch
 * gradient noise on top of the injected noise; the exact one-layer step is built for the full
 * batch), noise level 1, no weight decay, no bounding box, seed 0. Calibrate ε (and γ) per model
 * family: accept a setting when the trace plateaus without divergence and λ̂ / nβ is flat across
 * neighbouring ε.
 *
 * @param epsilon SGLD step size ε ({@code lr}); finite, in (0, 1]
 * @param gamma localisation strength γ ({@code localization}); finite, ≥ 0
 * @param nBetaRule how nβ is chosen
 * @param nBeta nβ when {@code nBetaRule} is {@link NBetaRule#FIXED} (finite, > 0), else 0
 * @param numChains independent chains, ≥ 1
 * @param numDraws draws recorded per chain, ≥ 1
 * @param numBurnin steps per chain before the first draw, ≥ 0
 * @param numStepsBetweenDraws steps between recorded draws, ≥ 1
 * @param batchSize minibatch size m, ≥ 0; 0 = the full training set
 * @param noiseLevel σ, the standard deviation of the injected noise; finite, ≥ 0 (1 for SGLD)
 * @param weightDecay λ_wd, finite, ≥ 0
 * @param boundingBox half-width of the box around w* each parameter is clamped to; finite, ≥ 0; 0 =
 *     no box
 * @param seed seed of the minibatch partition and of every chain's noise
 */
public record LlcSettings(
    double epsilon,
    double gamma,
    NBetaRule nBetaRule,
    double nBeta,
    int numChains,
    int numDraws,
    int numBurnin,
    int numStepsBetweenDraws,
    int batchSize,
    double noiseLevel,
    double weightDecay,
    double boundingBox,
    long seed)
    implements java.io.Serializable {

  /** Default SGLD step size ε. */
  public static final double DEFAULT_EPSILON = 1e-4;

  /** Default localisation γ. */
  public static final double DEFAULT_GAMMA = 100;

  /** Default seed. */
  public static final long DEFAULT_SEED = 0;

  /** Default number of chains. */
  public static final int DEFAULT_CHAINS = 4;

  /** Default draws per chain. */
  public static final int DEFAULT_DRAWS = 200;

  /**
   * Default burn-in steps per chain (≥ draws: devinterp's underestimate warning does not apply).
   */
  public static final int DEFAULT_BURNIN = 200;

  public LlcSettings {
    check("epsilon", epsilon, epsilon > 0 && epsilon <= 1, "finite and in (0, 1]");
    check("gamma", gamma, gamma >= 0 && Double.isFinite(gamma), "finite and >= 0");
    if (nBetaRule == null) {
      throw new IllegalArgumentException(
          "Cannot use LLC setting nBetaRule: must be one of DATASET_SIZE, BATCH_SIZE, FIXED (got"
              + " null)");
    }
    if (nBetaRule == NBetaRule.FIXED) {
      check("nBeta", nBeta, nBeta > 0 && Double.isFinite(nBeta), "finite and > 0 with rule FIXED");
    } else {
      check(
          "nBeta",
          nBeta,
          nBeta == 0,
          "0 with rule " + nBetaRule + " (nβ is derived; use withNBeta to fix it)");
    }
    check("numChains", numChains, numChains >= 1, ">= 1");
    check("numDraws", numDraws, numDraws >= 1, ">= 1");
    check("numBurnin", numBurnin, numBurnin >= 0, ">= 0");
    check("numStepsBetweenDraws", numStepsBetweenDraws, numStepsBetweenDraws >= 1, ">= 1");
    check("batchSize", batchSize, batchSize >= 0, ">= 0 (0 = full batch)");
    check("noiseLevel", noiseLevel, noiseLevel >= 0 && Double.isFinite(noiseLevel), "finite, >= 0");
    check(
        "weightDecay",
        weightDecay,
        weightDecay >= 0 && Double.isFinite(weightDecay),
        "finite, >= 0");
    check(
        "boundingBox",
        boundingBox,
        boundingBox >= 0 && Double.isFinite(boundingBox),
        "finite, >= 0 (0 = no box)");
    long steps = (long) numBurnin + (long) numDraws * numStepsBetweenDraws;
    if (steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Cannot use LLC settings: numBurnin + numDraws * numStepsBetweenDraws must fit in an int"
              + " (got "
              + steps
              + "); lower numDraws or numStepsBetweenDraws");
    }
  }

  /** The documented defaults (see the class comment for their sources). */
  public static LlcSettings defaults() {
    return new LlcSettings(
        DEFAULT_EPSILON,
        DEFAULT_GAMMA,
        NBetaRule.DATASET_SIZE,
        0,
        DEFAULT_CHAINS,
        DEFAULT_DRAWS,
        DEFAULT_BURNIN,
        1,
        0,
        1,
        0,
        0,
        DEFAULT_SEED);
  }

  /** SGLD steps per chain: burn-in plus draws × steps between draws. */
  public int stepsPerChain() {
    return numBurnin + numDraws * numStepsBetweenDraws;
  }

  /** Whether the full training set is every step's batch. */
  public boolean fullBatch() {
    return batchSize == 0;
  }

  /** Whether parameters are clamped to a box around w*. */
  public boolean hasBoundingBox() {
    return boundingBox > 0;
  }

  public LlcSettings withEpsilon(double v) {
    return new LlcSettings(
        v,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  public LlcSettings withGamma(double v) {
    return new LlcSettings(
        epsilon,
        v,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  /** A fixed nβ (rule {@link NBetaRule#FIXED}). */
  public LlcSettings withNBeta(double v) {
    return new LlcSettings(
        epsilon,
        gamma,
        NBetaRule.FIXED,
        v,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  /** nβ from a rule; for {@link NBetaRule#FIXED} use {@link #withNBeta(double)}. */
  public LlcSettings withNBetaRule(NBetaRule rule) {
    return new LlcSettings(
        epsilon,
        gamma,
        rule,
        rule == NBetaRule.FIXED ? nBeta : 0,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  public LlcSettings withNumChains(int v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        v,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  public LlcSettings withNumDraws(int v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        v,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  public LlcSettings withNumBurnin(int v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        v,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  public LlcSettings withNumStepsBetweenDraws(int v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        v,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  /** Minibatch size; 0 = full batch. */
  public LlcSettings withBatchSize(int v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        v,
        noiseLevel,
        weightDecay,
        boundingBox,
        seed);
  }

  public LlcSettings withNoiseLevel(double v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        v,
        weightDecay,
        boundingBox,
        seed);
  }

  public LlcSettings withWeightDecay(double v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        v,
        boundingBox,
        seed);
  }

  /** Half-width of the clamp box around w*; 0 = no box. */
  public LlcSettings withBoundingBox(double v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        v,
        seed);
  }

  public LlcSettings withSeed(long v) {
    return new LlcSettings(
        epsilon,
        gamma,
        nBetaRule,
        nBeta,
        numChains,
        numDraws,
        numBurnin,
        numStepsBetweenDraws,
        batchSize,
        noiseLevel,
        weightDecay,
        boundingBox,
        v);
  }

  private static void check(String field, double value, boolean ok, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Cannot use LLC setting " + field + ": must be " + allowed + " (got " + value + ")");
    }
  }

  private static void check(String field, int value, boolean ok, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Cannot use LLC setting " + field + ": must be " + allowed + " (got " + value + ")");
    }
  }
}
