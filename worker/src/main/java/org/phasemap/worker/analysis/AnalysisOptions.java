package org.phasemap.worker.analysis;

import org.phasemap.worker.classify.ClassifierThresholds;
import org.phasemap.worker.classify.GsSampling;

/**
 * How a run is analysed: which triples gradient symmetricity uses, the classifier's thresholds,
 * and the key-frequency rule.
 */
public record AnalysisOptions(
    GsSampling gsSampling,
    ClassifierThresholds thresholds,
    double keyFrequencyThreshold,
    double keyFrequencyFloor) implements java.io.Serializable {

  /** Defaults of SCIENCE.md: 1 000 seeded triples, the 2.4 thresholds, 0.85 rule and 1 % floor. */
  public static AnalysisOptions defaults() {
    return new AnalysisOptions(GsSampling.defaults(), ClassifierThresholds.defaults(), 0.85, 0.01);
  }
}
