/**
 * Progress-measure curves of one run over its steps (Nanda et al. 2023, SCIENCE.md 1.4, 1.6), read
 * from the {@code steps} table: losses, restricted and excluded loss, Σw², Gini, the label at each
 * checkpoint, and the three phases of grokking placed by {@link org.phasemap.jobs.curves.Phases}.
 * {@link org.phasemap.jobs.curves.RunCurves} reads one run's rows ({@link
 * org.phasemap.jobs.curves.StepPoint} per step), {@link org.phasemap.jobs.curves.CurvesChart} draws
 * the stacked panels and {@link org.phasemap.jobs.curves.CurvesJob} writes them as PNG and SVG.
 *
 * <p>Dependencies: {@code org.phasemap.tables} (column names, the views, the worker's {@code
 * AlgorithmLabel}), {@code jobs} ({@code OutputDir}) and {@code jobs.plot}; Spark SQL and
 * JFreeChart. No ND4J call, nothing of the driver.
 */
package org.phasemap.jobs.curves;
