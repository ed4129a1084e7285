package org.phasemap.worker.analysis;

import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.llc.LlcResult;

/**
 * Everything measured at a checkpoint step. {@code degeneracy} is null only for a model whose
 * activations are not finite; {@code retrospective} is null until the post-pass has run (it needs
 * the final model); {@code llc} and {@code interactionBasis} (docs/DEGENERACY.md) are null unless
 * the sweep asked for them (the interaction basis is measured for models of any depth).
 */
public record Checkpoint(
    ProgressMeasures progress,
    AlgorithmMeasures algorithm,
    DegeneracyMeasures degeneracy,
    Retrospective retrospective,
    LlcResult llc,
    DegeneracyReport interactionBasis) {

  /** A checkpoint without the interaction basis (the sweep did not ask for it). */
  public Checkpoint(
      ProgressMeasures progress,
      AlgorithmMeasures algorithm,
      DegeneracyMeasures degeneracy,
      Retrospective retrospective,
      LlcResult llc) {
    this(progress, algorithm, degeneracy, retrospective, llc, null);
  }

  public Checkpoint withRetrospective(Retrospective r) {
    return new Checkpoint(progress, algorithm, degeneracy, r, llc, interactionBasis);
  }
}
