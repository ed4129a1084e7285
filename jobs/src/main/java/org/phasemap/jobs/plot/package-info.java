/**
 * Drawing, shared by maps, curves and the report: JFreeChart charts rendered headless to PNG
 * (through {@code java.awt.image}) and to SVG (through JFreeSVG) from the same {@code JFreeChart}
 * object, so both files always show the same picture. Class colours, colour scales and axes with
 * ticks at the grid's own values live here so every picture reads the same way.
 *
 * <p>Dependencies: the worker's {@code AlgorithmLabel} (for the label colours of {@link
 * org.phasemap.jobs.plot.Palette}); JFreeChart, JFreeSVG and {@code java.awt}/{@code
 * javax.imageio}. No Spark, no ND4J.
 */
package org.phasemap.jobs.plot;
