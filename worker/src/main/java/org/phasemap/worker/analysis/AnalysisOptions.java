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
 */
public record AnalysisOptions(
    GsSampling gsSampling,
    ClassifierThresholds thresholds,
    double keyFrequencyThreshold,
    double keyFrequencyFloor,
    LlcSettings llc,
    boolean keepCheckpointWeights)
    implements java.io.Serializable {

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
}
