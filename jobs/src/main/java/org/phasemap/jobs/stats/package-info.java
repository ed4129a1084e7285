/**
 * Statistics of a sweep's phase diagram, with error bars: {@link
 * org.phasemap.jobs.stats.PhaseStatistics} tabulates shares per bin of the attention rate (and per
 * group of another column) with Wilson intervals ({@link org.phasemap.jobs.stats.Share}) and places
 * the pizza-to-clock switch α* by logistic fits ({@link org.phasemap.jobs.stats.Logistic}) with
 * bootstrap intervals ({@link org.phasemap.jobs.stats.SwitchFit}). {@code phasemap stats} prints
 * them; docs/REPRODUCTION.md quotes them beside the papers'.
 *
 * <p>Dependencies: {@code org.phasemap.tables} (column names), the worker's {@code RunConfig},
 * {@code AlgorithmLabel} and {@code RunStatus}; Spark SQL only to collect the runs. The statistics
 * themselves are plain Java.
 */
package org.phasemap.jobs.stats;
