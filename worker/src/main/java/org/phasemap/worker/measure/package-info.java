/**
 * Progress measures of a trained modular-addition model: pure functions over plain Java arrays and
 * ND4J arrays, computed in double whatever the precision of the weights (SCIENCE.md 0, 1.3, 1.4).
 *
 * <p>The pieces, in the order SCIENCE.md defines them:
 *
 * <ul>
 *   <li>{@link org.phasemap.worker.measure.FourierBasis}: the real orthonormal Fourier basis over
 *       ℤ_p (1.3), on which every other measure is built.
 *   <li>{@link org.phasemap.worker.measure.CrossEntropy}: loss and accuracy of a logit table (0,
 *       1.4.1), stable in double down to losses of 1e-9 and below.
 *   <li>{@link org.phasemap.worker.measure.KeyFrequencies}: which frequencies the MLP neurons use,
 *       from the activations over all p² inputs (1.4.2), with the platform's 0.85 threshold,
 *       dead-neuron skip and 1 % floor.
 *   <li>{@link org.phasemap.worker.measure.LogitProjections}: restricted loss (1.4.3), excluded
 *       loss (1.4.4), its per-frequency trace and the cosine coefficients γ_k (1.4.4, 1.4.7), all
 *       from one decomposition of the logits on the cos/sin(w_k(a+b)) directions.
 *   <li>{@link org.phasemap.worker.measure.FourierNorms} and {@link
 *       org.phasemap.worker.measure.Gini}: how concentrated the embedding W_E and the
 *       neuron-to-logit map W_L are on a few Fourier components (1.4.5, 1.4.7).
 * </ul>
 *
 * <p>Conventions shared by the package: inputs (a, b) are numbered row-major, a·p + b, in every
 * [p², …] table, so the rows match {@code ModularAddition}'s pair indices; label (a + b) mod p;
 * weights are in the TransformerLens layout of {@code model.Parameters} (the model has exactly p
 * output logits; W_E has p or p + 1 rows, the '=' row p dropped when present); training rows are
 * given as an {@code int[]} of pair indices, as {@code ModularAddition.trainIndices()} returns
 * them. ND4J does the large products (the 2-D transform of all neurons, the projection of all
 * logits); small parts and the cross-entropy are plain loops.
 *
 * <p>Choices where SCIENCE.md is silent [OURS]: Gini of an all-zero vector is 0; a neuron is dead
 * when its activation is exactly equal on all p² inputs; ties in an argmax (best frequency,
 * predicted class) go to the lowest index; the 1 % floor is "at least", so 1 neuron of 100 is kept;
 * neurons of a frequency dropped by the floor are counted as {@code belowFloor}, not unexplained;
 * the key frequencies may be empty, in which case Π = 0, the restricted logits are the column means
 * and the excluded logits are L itself.
 *
 * <p>Dependencies: none in phasemap (layouts above are conventions, not imports); ND4J. No Spark.
 */
package org.phasemap.worker.measure;
