/**
 * The transformer of SCIENCE.md 1.1 and 2.1 as a function with gradients. {@link
 * org.phasemap.worker.model.Parameters} holds the trainable tensors by TransformerLens name and
 * layout, initialised from {@code init_seed}. {@link org.phasemap.worker.model.ModelFunction} is
 * the contract (loss as mean cross-entropy from float64 log-softmax, last-position logits, every
 * gradient; a probe of the activations for the measures) and {@code ModelFunction.create} picks the
 * implementation: {@link org.phasemap.worker.model.ExactOneLayer} for one layer (the exact slot
 * reformulation of SCIENCE.md 6) and {@link org.phasemap.worker.model.ExactMultiLayer} for any
 * depth, both forward and backward derived by hand over ND4J BLAS calls on buffers allocated once
 * ({@link org.phasemap.worker.model.Rows}, {@code Activation}). {@link
 * org.phasemap.worker.model.TransformerGraph} is the same function as a SameDiff graph, every
 * position through every layer: the reference the tests check the exact steps against (system
 * property {@code phasemap.step=reference} trains with it), and the graph through which {@code
 * analysis.Analyzer} takes the embedding gradients of gradient symmetricity.
 *
 * <p>Dependencies: {@link org.phasemap.worker.RunConfig} only; ND4J, and the only package that uses
 * SameDiff ({@code org.nd4j.autodiff}). No Spark. {@code train.AdamW} uses {@code Rows}.
 */
package org.phasemap.worker.model;
