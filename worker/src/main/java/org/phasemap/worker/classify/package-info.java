/**
 * Measures that tell which algorithm a trained modular-addition model learned, and the rule that
 * turns them into a label (SCIENCE.md section 2, Zhong et al. 2023, "The Clock and the Pizza").
 *
 * <p>Pure functions over Java arrays or ND4J arrays of any floating type, computed in double; no
 * model code and no Spark here. The model side supplies logits, embeddings and embedding gradients.
 *
 * <ul>
 *   <li>{@link org.phasemap.worker.classify.GradientSymmetricity} (2.3.1): mean cosine between
 *       ∂Q_abc/∂E_a and ∂Q_abc/∂E_b over triples chosen by {@link
 *       org.phasemap.worker.classify.GsSampling} and {@link
 *       org.phasemap.worker.classify.TripleSample}.
 *   <li>{@link org.phasemap.worker.classify.DistanceIrrelevance} (2.3.2): {@code di_correct} (the
 *       paper's correct-logit definition) and {@code di_maxwrong} (the largest-wrong-logit variant
 *       in the released sweep table and figures); both are stored.
 *   <li>{@link org.phasemap.worker.classify.Circularity} (2.3.3): share of each of the top four
 *       principal components of the embedding carried by one Fourier frequency.
 *   <li>{@link org.phasemap.worker.classify.AlgorithmClassifier} (2.4) with {@link
 *       org.phasemap.worker.classify.ClassifierThresholds}: {@code no_generalisation}, {@code
 *       non_circular}, {@code pizza}, {@code clock}, else {@code mixed} ({@link
 *       org.phasemap.worker.classify.AlgorithmLabel}). Reference values for checking are in 2.6.
 * </ul>
 *
 * <p>Caveat (2.3.1): gradient symmetricity alone cannot tell pizza from other symmetric algorithms.
 * With attention rate α = 0 the attention output is a symmetric function of the two tokens, so
 * every trained α ≈ 0 model has GS ≈ 0.99 whatever it computes; GS separates clock from non-clock,
 * and only together with a low distance irrelevance does it indicate a pizza. Likewise a label is a
 * property of one checkpoint (it can drift during training, 2.6) and is meaningful only for
 * trained, generalising models (untrained ones score GS ≈ DI ≈ 1).
 *
 * <p>Dependencies: none in phasemap (the measures take arrays, so the package is usable on weights
 * from anywhere); ND4J arrays as inputs. No Spark.
 */
package org.phasemap.worker.classify;
