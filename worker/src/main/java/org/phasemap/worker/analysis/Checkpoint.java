package org.phasemap.worker.analysis;

import org.phasemap.worker.llc.LlcResult;

/**
 * Everything measured at a checkpoint step. {@code retrospective} is null until the post-pass has
 * run (it needs the final model); {@code llc} is null unless the sweep asked for it.
 */
public record Checkpoint(
    ProgressMeasures progress, AlgorithmMeasures algorithm, Retrospective retrospective, LlcResult llc) {

  public Checkpoint withRetrospective(Retrospective r) {
    return new Checkpoint(progress, algorithm, r, llc);
  }
}
