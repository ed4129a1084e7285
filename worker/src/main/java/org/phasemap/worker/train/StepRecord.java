package org.phasemap.worker.train;

import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.analysis.Spectra;

/**
 * Measures of a model at one logged step: the state after {@code step} optimiser updates.
 *
 * @param step optimiser updates applied so far (0 = initialisation)
 * @param learningRate the learning rate the next update uses (warm-up included)
 * @param trainLoss mean cross-entropy over the training set (float64 log-softmax)
 * @param trainAccuracy share of training pairs whose argmax logit is the label
 * @param testLoss mean cross-entropy over the test set
 * @param testAccuracy share of test pairs classified correctly
 * @param sumSquaredWeights sum over all parameters of w² (SCIENCE.md 1.4.6)
 * @param elapsedSeconds wall time since training started
 * @param spectra Fourier norms and Gini coefficients of the weights, or null when not measured
 * @param checkpoint progress and algorithm measures at checkpoint steps, else null
 */
public record StepRecord(
    int step,
    double learningRate,
    double trainLoss,
    double trainAccuracy,
    double testLoss,
    double testAccuracy,
    double sumSquaredWeights,
    double elapsedSeconds,
    Spectra spectra,
    Checkpoint checkpoint) {

  /** The same record with a different checkpoint (the post-pass adds the retrospective part). */
  public StepRecord withCheckpoint(Checkpoint c) {
    return new StepRecord(
        step,
        learningRate,
        trainLoss,
        trainAccuracy,
        testLoss,
        testAccuracy,
        sumSquaredWeights,
        elapsedSeconds,
        spectra,
        c);
  }
}
