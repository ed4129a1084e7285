package org.phasemap.worker.analysis;

/**
 * Everything measured at a checkpoint step. {@code retrospective} is null until the post-pass has
 * run (it needs the final model).
 */
public record Checkpoint(
    ProgressMeasures progress, AlgorithmMeasures algorithm, Retrospective retrospective) {

  public Checkpoint withRetrospective(Retrospective r) {
    return new Checkpoint(progress, algorithm, r);
  }
}
