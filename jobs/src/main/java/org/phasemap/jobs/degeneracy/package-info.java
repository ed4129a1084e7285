/**
 * Pictures of the degeneracy measures (docs/DEGENERACY.md): {@link
 * org.phasemap.jobs.degeneracy.AblationChart} draws, per node layer, the accuracy kept by the top k
 * directions of the interaction basis against those of the PCA basis; {@link
 * org.phasemap.jobs.degeneracy.InteractionGraphChart} draws the interaction graph of one model
 * (layers as columns, directions labelled by frequency, edge width by attribution).
 *
 * <p>Dependencies: {@code jobs.plot} (the charts' look, PNG/SVG); JFreeChart. Numbers in, pictures
 * out: no Spark, no ND4J, nothing of the worker (the caller turns its report into {@link
 * org.phasemap.jobs.degeneracy.AblationChart.Layer}s and {@link
 * org.phasemap.jobs.degeneracy.InteractionGraphChart.Layer}s).
 */
package org.phasemap.jobs.degeneracy;
