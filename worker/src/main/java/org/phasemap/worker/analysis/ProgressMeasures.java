package org.phasemap.worker.analysis;

/**
 * Progress measures of Nanda et al. (SCIENCE.md 1.4) at one checkpoint, with the key frequencies of
 * that same checkpoint ("online" version; the paper's retrospective version uses the final model's
 * key frequencies, see {@link Retrospective}).
 *
 * @param keyFrequencies key frequencies of this checkpoint (0.85 rule, 1 % floor)
 * @param restrictedLoss restricted loss on all p² inputs (1.4.3)
 * @param restrictedAccuracy accuracy of the restricted logits on all inputs
 * @param excludedLoss excluded loss on the training set (1.4.4)
 * @param excludedAccuracy accuracy of the excluded logits on the training set
 * @param excludedLossPerFrequency train loss with only frequency k removed, k = 1..(p-1)/2
 * @param cosineCoefficients γ_k of the 3-D cos(w_k(a+b-c)) decomposition, k = 1..(p-1)/2
 * @param attentionToA mean attention from the last position to token a, per head
 * @param attentionToB mean attention from the last position to token b, per head
 */
public record ProgressMeasures(
    int[] keyFrequencies,
    double restrictedLoss,
    double restrictedAccuracy,
    double excludedLoss,
    double excludedAccuracy,
    double[] excludedLossPerFrequency,
    double[] cosineCoefficients,
    double[] attentionToA,
    double[] attentionToB) {}
