/**
 * Degeneracy made visible (issue #17, Bushnaq et al. 2024; SCIENCE.md 3.5): how many directions
 * each node layer of a model really uses, and why the others do not count. docs/DEGENERACY.md
 * explains every number and every choice.
 *
 * <ul>
 *   <li>A model is a {@link org.phasemap.worker.degeneracy.NodeChain} of node layers in float64:
 *       each layer's activations over all inputs, the rest of the network from a modified layer,
 *       exact Jacobian Gram matrices M', and the exact edge attributions and edge ablation of each
 *       step. {@link org.phasemap.worker.degeneracy.TransformerChain} is the transformer of any
 *       depth at the last position (resid_pre, resid_mid, mlp_hidden, resid_post, logits for one
 *       layer; the middle three per block, numbered, for several), {@link
 *       org.phasemap.worker.degeneracy.DenseChain} a stack of dense layers (the analytic tests).
 *   <li>{@code InteractionBases} builds, from the output backwards, each layer's PCA basis and
 *       interaction basis C = U D^{-1/2} V Λ^{1/2}, with the Gram and M' spectra and ranks.
 *   <li>{@link org.phasemap.worker.degeneracy.AblationCurve} (keep the top k directions of a basis,
 *       run the network on), {@link org.phasemap.worker.degeneracy.FourierLabels} (each direction's
 *       dominant frequency on the (a, b) grid, through {@code measure.KeyFrequencies}) and {@link
 *       org.phasemap.worker.degeneracy.SynchronisedNeurons} (neurons that fire on the same inputs).
 *   <li>{@link org.phasemap.worker.degeneracy.InteractionGraph}: edges between adjacent layers'
 *       interaction directions (RIB's squared attribution, {@link
 *       org.phasemap.worker.degeneracy.NodeChain#edges}), the strongest edges the model needs
 *       (exact edge ablation, {@link org.phasemap.worker.degeneracy.NodeChain#ablatedNext}), and
 *       the graph's modularity ({@code Modularity}, Louvain).
 *   <li>{@link org.phasemap.worker.degeneracy.DegeneracyAnalysis} runs them all into a {@link
 *       org.phasemap.worker.degeneracy.DegeneracyReport}, settings in {@link
 *       org.phasemap.worker.degeneracy.DegeneracyOptions}.
 * </ul>
 *
 * <p>{@link org.phasemap.worker.degeneracy.DoubleMatrix} is the float64 matrix everything is
 * written in (products on ND4J's BLAS, eigenvectors from LAPACK {@code dsyev}).
 *
 * <p>Dependencies: {@code worker} ({@code RunConfig}), {@code worker.model} ({@code Parameters},
 * {@code Rows}), {@code worker.measure} ({@code KeyFrequencies}, {@code CrossEntropy}); ND4J. No
 * Spark.
 */
package org.phasemap.worker.degeneracy;
