package org.phasemap.tables;

import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.analysis.DegeneracyMeasures;
import org.phasemap.worker.analysis.ProgressMeasures;
import org.phasemap.worker.analysis.Retrospective;
import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.degeneracy.InteractionGraph;
import org.phasemap.worker.llc.LlcResult;

/**
 * A row record that may carry a checkpoint, with null-safe access to its parts: each is null when
 * the row has no checkpoint (a step that was not one, a run that never reached one) or the part was
 * not measured.
 */
interface CheckpointParts {
  /** The checkpoint whose parts the columns read, or null. */
  Checkpoint checkpoint();

  default ProgressMeasures progress() {
    return checkpoint() == null ? null : checkpoint().progress();
  }

  default AlgorithmMeasures algorithm() {
    return checkpoint() == null ? null : checkpoint().algorithm();
  }

  default Retrospective retrospective() {
    return checkpoint() == null ? null : checkpoint().retrospective();
  }

  default DegeneracyMeasures degeneracy() {
    return checkpoint() == null ? null : checkpoint().degeneracy();
  }

  default LlcResult llc() {
    return checkpoint() == null ? null : checkpoint().llc();
  }

  default DegeneracyReport interactionBasis() {
    return checkpoint() == null ? null : checkpoint().interactionBasis();
  }

  default InteractionGraph interactionGraph() {
    DegeneracyReport b = interactionBasis();
    return b == null ? null : b.interactionGraph();
  }
}
