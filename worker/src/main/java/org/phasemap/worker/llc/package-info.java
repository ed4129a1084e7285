/**
 * Degeneracy measures of a trained point w*: the local learning coefficient (LLC) and cheap
 * activation-based indicators (SCIENCE.md 3). No Spark: {@code analysis.Analyzer} calls them at
 * checkpoints, the driver writes the tables. See docs/LLC.md for what the numbers mean and what
 * they cost.
 *
 * <ul>
 *   <li>{@link org.phasemap.worker.llc.LlcEstimator}: λ̂(w*) = nβ (E[L_n(w)] − L_n(w*)) under the
 *       localised tempered posterior, sampled by SGLD with devinterp's update and bookkeeping
 *       (3.1–3.3). λ̂ ≈ effective number of parameters ÷ 2; lower means more degenerate. Estimates
 *       are comparable only within one fixed {@link org.phasemap.worker.llc.LlcSettings}, which
 *       every {@link org.phasemap.worker.llc.LlcResult} records.
 *   <li>{@link org.phasemap.worker.llc.SgldSampler}: the in-place SGLD update itself (3.2).
 *   <li>{@link org.phasemap.worker.llc.LossGradient}: the minibatch loss and gradient the sampler
 *       needs; {@link org.phasemap.worker.llc.ModelLossGradient} adapts a transformer and its
 *       training split.
 *   <li>{@link org.phasemap.worker.llc.LlcCalibration}: λ̂ over a grid of ε and nβ at one point, to
 *       choose the sampler's settings (3.4); {@code phasemap llc-calibrate} draws it.
 *   <li>{@link org.phasemap.worker.llc.GramRank}: numerical rank of a layer's activation Gram
 *       matrix and the count of dead neurons (3.5's first source of degeneracy): one forward pass
 *       instead of thousands of gradient steps.
 * </ul>
 *
 * <p>Dependencies: {@code worker.model} ({@code ModelFunction}) and {@code worker.data} ({@code
 * ModularAddition}), both only in {@code ModelLossGradient}; everything else works on a {@code
 * LossGradient} and ND4J arrays (ND4J's LAPACK for {@code GramRank}). No Spark.
 */
package org.phasemap.worker.llc;
