/**
 * Degeneracy made visible (issue #17, Bushnaq et al. 2024; SCIENCE.md 3.5): how many directions
 * each node layer of a model really uses, and why the others do not count. A model is seen as a
 * {@link org.phasemap.worker.degeneracy.NodeChain} of node layers in float64 ({@link
 * org.phasemap.worker.degeneracy.TransformerChain} for the one-layer transformer at the last
 * position, {@link org.phasemap.worker.degeneracy.DenseChain} for a stack of dense layers), with
 * each layer's activations over all inputs, the rest of the network from a modified layer, and
 * exact Jacobian Gram matrices. {@link org.phasemap.worker.degeneracy.DoubleMatrix} is the float64
 * matrix they are written in (products on ND4J's BLAS; eigenvectors from LAPACK).
 *
 * <p>Dependencies: {@code worker} ({@code RunConfig}), {@code worker.model} ({@code Parameters},
 * {@code Rows}); ND4J. No Spark.
 */
package org.phasemap.worker.degeneracy;
