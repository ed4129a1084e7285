/**
 * A static HTML report of a results root: per sweep, what ran (status and label counts, step time,
 * provenance), its phase map and scatter, and the curves of a representative run per label.
 * Pictures are inlined as {@code data:} URIs so the page is one file that can be mailed or archived
 * and opens without a server. {@link org.phasemap.jobs.report.SweepSummary} is the per-sweep
 * aggregation, {@link org.phasemap.jobs.report.Report} the page.
 *
 * <p>Dependencies: {@code jobs}, {@code jobs.maps}, {@code jobs.curves} and {@code jobs.plot};
 * Spark SQL and JFreeChart. No ND4J, nothing of the worker or driver.
 */
package org.phasemap.jobs.report;
