package org.phasemap.worker.analysis;

/**
 * Restricted and excluded loss of a checkpoint computed with the final model's key frequencies: the
 * version the paper plots (SCIENCE.md 1.4.2, last paragraph), filled in by the post-pass.
 */
public record Retrospective(
    double restrictedLoss,
    double restrictedAccuracy,
    double excludedLoss,
    double excludedAccuracy) {}
