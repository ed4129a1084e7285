package org.phasemap.worker.analysis;

import org.phasemap.worker.classify.ClassifierThresholds;
import org.phasemap.worker.classify.GsSampling;
import org.phasemap.worker.llc.LlcSettings;

/**
 * How a run is analysed: which triples gradient symmetricity uses, the classifier's thresholds, the
 * key-frequency rule, and whether (and how) the local learning coefficient is estimated at
 * checkpoints ({@code llc} null = not estimated; it costs about as much as training for as many
 * steps as the sampler takes, docs/LLC.md). {@code keepCheckpointWeights}: save the weights of
 * every checkpoint, not only the final ones, so that runs can be forked from them (docs/SPEC.md).
 * {@code interactionBasis}: measure the interaction basis and the sources of degeneracy at every
 * checkpoint (docs/DEGENERACY.md; seconds per checkpoint, models of any depth). {@code
 * interactionGraph}: with it, also the interaction graph (edges, edges needed, modularity), which
 * roughly doubles a one-layer checkpoint's cost and needs {@code interactionBasis}.
 */
public record AnalysisOptions(
    GsSampling gsSampling,
    ClassifierThresholds thresholds,
    double keyFrequencyThreshold,
    double keyFrequencyFloor,
    LlcSettings llc,
    boolean keepCheckpointWeights,
    boolean interactionBasis,
    boolean interactionGraph)
    implements java.io.Serializable {

  /** Checks that the graph is asked for only with the basis it is built on. */
  public AnalysisOptions {
    if (interactionGraph && !interactionBasis) {
      throw new IllegalArgumentException(
          "Cannot measure the interaction graph without the interaction basis: set"
              + " interaction_basis: true as well");
    }
  }

  /** Options without the interaction basis (and graph) at checkpoints. */
  public AnalysisOptions(
      GsSampling gsSampling,
      ClassifierThresholds thresholds,
      double keyFrequencyThreshold,
      double keyFrequencyFloor,
      LlcSettings llc,
      boolean keepCheckpointWeights) {
    this(
        gsSampling,
        thresholds,
        keyFrequencyThreshold,
        keyFrequencyFloor,
        llc,
        keepCheckpointWeights,
        false,
        false);
  }

  /** Options that do not keep checkpoint weights (only the final weights are saved). */
  public AnalysisOptions(
      GsSampling gsSampling,
      ClassifierThresholds thresholds,
      double keyFrequencyThreshold,
      double keyFrequencyFloor,
      LlcSettings llc) {
    this(gsSampling, thresholds, keyFrequencyThreshold, keyFrequencyFloor, llc, false);
  }

  /** Options without the local learning coefficient. */
  public AnalysisOptions(
      GsSampling gsSampling,
      ClassifierThresholds thresholds,
      double keyFrequencyThreshold,
      double keyFrequencyFloor) {
    this(gsSampling, thresholds, keyFrequencyThreshold, keyFrequencyFloor, null);
  }

  /** Defaults of SCIENCE.md: 1 000 seeded triples, the 2.4 thresholds, 0.85 rule and 1 % floor. */
  public static AnalysisOptions defaults() {
    return new AnalysisOptions(GsSampling.defaults(), ClassifierThresholds.defaults(), 0.85, 0.01);
  }

  /**
   * The record's usual text, with {@code interactionBasis} and {@code interactionGraph} only when
   * they are set: the text enters a sweep's fingerprint (and the {@code analysis_options} column),
   * so specs written before the option existed keep their fingerprints.
   */
  @Override
  public String toString() {
    return "AnalysisOptions[gsSampling="
        + gsSampling
        + ", thresholds="
        + thresholds
        + ", keyFrequencyThreshold="
        + keyFrequencyThreshold
        + ", keyFrequencyFloor="
        + keyFrequencyFloor
        + ", llc="
        + llc
        + ", keepCheckpointWeights="
        + keepCheckpointWeights
        + (interactionBasis ? ", interactionBasis=true" : "")
        + (interactionGraph ? ", interactionGraph=true" : "")
        + "]";
  }
}
