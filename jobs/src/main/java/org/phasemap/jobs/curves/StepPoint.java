package org.phasemap.jobs.curves;

/**
 * The measures of one logged step of one run, as the {@code steps} table holds them
 * (docs/TABLES.md); NaN where the table has null (a measure not taken at this step, or a non-finite
 * value).
 *
 * @param restrictedLoss restricted loss, with the final key frequencies where the run has them,
 *     else with the checkpoint's own ({@link RunCurves#lossKeys()} says which); NaN off checkpoints
 * @param excludedLoss excluded loss, chosen the same way
 * @param label the algorithm label at a checkpoint step, null elsewhere
 * @param ibNeededMlp interaction-basis directions the MLP hidden layer needs for 99 % of the
 *     accuracy ({@code ib_needed} of {@code mlp_hidden}, the last block's with several layers); NaN
 *     unless the sweep measured it
 * @param pcaNeededMlp the same in the PCA basis
 * @param ibEdgesNeeded edges of the interaction graph needed for the model's accuracy within 0.001
 *     ({@code ib_edges_needed}); NaN unless the sweep measured the graph
 */
public record StepPoint(
    int step,
    double trainLoss,
    double trainAcc,
    double testLoss,
    double testAcc,
    double sumSqWeights,
    double restrictedLoss,
    double excludedLoss,
    double giniEmbed,
    double giniNeuronLogit,
    String label,
    double ibNeededMlp,
    double pcaNeededMlp,
    double ibEdgesNeeded) {

  /** A step without the degeneracy measures. */
  public StepPoint(
      int step,
      double trainLoss,
      double trainAcc,
      double testLoss,
      double testAcc,
      double sumSqWeights,
      double restrictedLoss,
      double excludedLoss,
      double giniEmbed,
      double giniNeuronLogit,
      String label) {
    this(
        step,
        trainLoss,
        trainAcc,
        testLoss,
        testAcc,
        sumSqWeights,
        restrictedLoss,
        excludedLoss,
        giniEmbed,
        giniNeuronLogit,
        label,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  /** A step with the measures logged at every {@code log_interval} and no checkpoint measures. */
  public static StepPoint logged(
      int step,
      double trainLoss,
      double trainAcc,
      double testLoss,
      double testAcc,
      double sumSqWeights) {
    return new StepPoint(
        step,
        trainLoss,
        trainAcc,
        testLoss,
        testAcc,
        sumSqWeights,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        null);
  }
}
