/**
 * Phase-space maps: which algorithm runs learned, over two columns of the {@code runs} table
 * (usually hyperparameters), aggregated over seeds and every other axis. {@link
 * org.phasemap.jobs.maps.PhaseMaps#aggregate} is the Spark SQL aggregation (one row per cell);
 * {@link org.phasemap.jobs.maps.MapTable} holds its collected result and writes it as CSV; {@link
 * org.phasemap.jobs.maps.HeatmapChart} and {@link org.phasemap.jobs.maps.ScatterChart} draw it;
 * {@link org.phasemap.jobs.maps.MapJob} reads a results root, filters it and writes the files;
 * {@link org.phasemap.jobs.maps.MapSpec} is what {@code phasemap map} asks for and {@link
 * org.phasemap.jobs.maps.DefaultAxes} picks the axes when it names none. {@link
 * org.phasemap.jobs.maps.ScatterData} and {@link org.phasemap.jobs.maps.ScatterChart} are the
 * papers' one-dot-per-run style, on which {@link org.phasemap.jobs.maps.BoundaryLine} draws where a
 * class's share crosses one half, estimated by {@link org.phasemap.jobs.maps.BoundaryEstimate} over
 * {@link org.phasemap.jobs.maps.LabelledPoint}s (runs in normalised coordinates, also the input of
 * the driver's refinement). docs/MAPS.md shows the pictures.
 *
 * <p>Dependencies: {@code org.phasemap.tables} (column names, the views; the worker's {@code
 * AlgorithmLabel} and {@code RunStatus}), {@code jobs} ({@code OutputDir}) and {@code jobs.plot};
 * Spark SQL and JFreeChart. No ND4J call, nothing of the driver.
 */
package org.phasemap.jobs.maps;
