package org.phasemap.worker.degeneracy;

/**
 * The settings of a degeneracy analysis; {@link #defaults()} documents each choice, and
 * docs/DEGENERACY.md says why.
 *
 * @param gramThreshold an eigenvalue of a layer's Gram matrix counts (towards the Gram rank, and as
 *     a direction the basis may use) when it exceeds this × the largest; in (0, 1)
 * @param jacobianThreshold the same for the eigenvalues of M' (the Jacobian rank); in (0, 1)
 * @param interactionThreshold an interaction-basis direction is kept when its eigenvalue Λ exceeds
 *     this × the largest Λ of the layer; in (0, 1)
 * @param centre whether each layer is centred (its mean over inputs held fixed, not a direction)
 *     before the Gram matrix is taken; without, the raw second moment is used and ablation sets
 *     dropped directions to zero instead of to their mean
 * @param accuracyShare "directions needed" is the smallest number of kept directions whose ablated
 *     model reaches this share of the full model's accuracy; in (0, 1]
 * @param ablationGrowth ratio between successive numbers of kept directions on an ablation curve
 *     (1, 2, 4, … for 2); above 1
 * @param syncTolerance two neurons are synchronised when their firing sets differ on at most this
 *     share of the inputs where either fires (Jaccard distance); in [0, 1)
 * @param interactionGraph whether to build the interaction graph ({@link InteractionGraph}): edges
 *     between adjacent layers' interaction directions, the edges needed, modularity. It costs about
 *     as much again as the rest of the analysis, so the per-checkpoint measurement leaves it out
 * @param edgeAccuracyDrop "edges needed" is the smallest number of the strongest edges whose
 *     edge-ablated model's accuracy is at least the full model's minus this; in [0, 1)
 */
public record DegeneracyOptions(
    double gramThreshold,
    double jacobianThreshold,
    double interactionThreshold,
    boolean centre,
    double accuracyShare,
    double ablationGrowth,
    double syncTolerance,
    boolean interactionGraph,
    double edgeAccuracyDrop) {

  /** Validates every field; the message names the field, the value and what is allowed. */
  public DegeneracyOptions {
    requireOpenUnit(gramThreshold, "gramThreshold");
    requireOpenUnit(jacobianThreshold, "jacobianThreshold");
    requireOpenUnit(interactionThreshold, "interactionThreshold");
    if (!(accuracyShare > 0 && accuracyShare <= 1)) {
      throw new IllegalArgumentException(
          "Invalid accuracyShare: " + accuracyShare + " (allowed: (0, 1])");
    }
    if (!(ablationGrowth > 1 && ablationGrowth <= 1e3)) {
      throw new IllegalArgumentException(
          "Invalid ablationGrowth: " + ablationGrowth + " (allowed: (1, 1000])");
    }
    if (!(syncTolerance >= 0 && syncTolerance < 1)) {
      throw new IllegalArgumentException(
          "Invalid syncTolerance: " + syncTolerance + " (allowed: [0, 1))");
    }
    if (!(edgeAccuracyDrop >= 0 && edgeAccuracyDrop < 1)) {
      throw new IllegalArgumentException(
          "Invalid edgeAccuracyDrop: " + edgeAccuracyDrop + " (allowed: [0, 1))");
    }
  }

  private static void requireOpenUnit(double v, String name) {
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException("Invalid " + name + ": " + v + " (allowed: (0, 1))");
    }
  }

  /**
   * Relative thresholds 1e-12 for the Gram, M' and Λ eigenvalues, centring on, 99 % of the full
   * accuracy, ablation at 0, 1, 2, 4, … directions, synchronised neurons within 1 % (Jaccard); the
   * interaction graph, with "edges needed" for an accuracy drop of at most 0.001 (RIB's edge
   * bisection target, {@code score_target_difference: 0.001}).
   *
   * <p>Why 1e-12: eigenvalues are squared amplitudes, so the cut drops directions whose amplitude
   * is below 1e-6 of the largest, about the rounding of a float32 model's own activations; float64
   * rounding of these eigenvalues was measured at 1e-17 … 1.4e-15 of the largest, several hundred
   * times below the cut. A trained model's Λ spectrum can have no gap at all: then the count of
   * kept directions moves with the cut (a grokked p = 59 model: 76, 91, 98 at 1e-10, 1e-12, 1e-14)
   * while the directions needed for 99 % accuracy do not, and the logits rebuilt from the kept
   * directions differ by about √cut (docs/DEGENERACY.md).
   */
  public static DegeneracyOptions defaults() {
    return new DegeneracyOptions(1e-12, 1e-12, 1e-12, true, 0.99, 2.0, 0.01, true, 0.001);
  }

  /** These options without centring (RIB's {@code center: false}). */
  public DegeneracyOptions withoutCentring() {
    return new DegeneracyOptions(
        gramThreshold,
        jacobianThreshold,
        interactionThreshold,
        false,
        accuracyShare,
        ablationGrowth,
        syncTolerance,
        interactionGraph,
        edgeAccuracyDrop);
  }

  /** These options with another synchronisation tolerance. */
  public DegeneracyOptions withSyncTolerance(double tolerance) {
    return new DegeneracyOptions(
        gramThreshold,
        jacobianThreshold,
        interactionThreshold,
        centre,
        accuracyShare,
        ablationGrowth,
        tolerance,
        interactionGraph,
        edgeAccuracyDrop);
  }

  /** These options without the interaction graph (the per-checkpoint measurement's choice). */
  public DegeneracyOptions withoutInteractionGraph() {
    return new DegeneracyOptions(
        gramThreshold,
        jacobianThreshold,
        interactionThreshold,
        centre,
        accuracyShare,
        ablationGrowth,
        syncTolerance,
        false,
        edgeAccuracyDrop);
  }
}
