/**
 * Phase-space maps: which algorithm runs learned, over two columns of the {@code runs} table
 * (usually hyperparameters), aggregated over seeds and every other axis. {@link
 * org.phasemap.jobs.maps.PhaseMaps#aggregate} is the Spark SQL aggregation (one row per cell);
 * {@link org.phasemap.jobs.maps.MapTable} holds its collected result and writes it as CSV; {@link
 * org.phasemap.jobs.maps.HeatmapChart} and {@link org.phasemap.jobs.maps.ScatterChart} draw it;
 * {@link org.phasemap.jobs.maps.MapJob} reads a results root, filters it and writes the files.
 * docs/MAPS.md shows the pictures.
 */
package org.phasemap.jobs.maps;
