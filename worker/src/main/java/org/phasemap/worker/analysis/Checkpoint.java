package org.phasemap.worker.analysis;

import org.phasemap.worker.llc.LlcResult;

/**
 * Everything measured at a checkpoint step. {@code degeneracy} is null only for a model whose
 * activations are not finite; {@code retrospective} is null until the post-pass has run (it needs
 * the final model); {@code llc} is null unless the sweep asked for it.
 */
public record Checkpoint(
    ProgressMeasures progress,
    AlgorithmMeasures algorithm,
    DegeneracyMeasures degeneracy,
    Retrospective retrospective,
    LlcResult llc) {

  public Checkpoint withRetrospective(Retrospective r) {
    return new Checkpoint(progress, algorithm, degeneracy, r, llc);
  }
}
