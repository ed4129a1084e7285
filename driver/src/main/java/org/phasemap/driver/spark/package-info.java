/**
 * Running sweeps on Spark. {@link org.phasemap.driver.spark.SweepRunner} (driver side) checks the
 * root (writable, no other sweep under the same name, the spec stored as {@code
 * _sweeps/NAME.yaml}), reads which runs are already committed and skips them, and hands the rest to
 * Spark one run per task, in waves, printing progress ({@code StepProgress}) and cleaning up
 * staging files of killed attempts. {@link org.phasemap.driver.spark.RunTask} (executor side)
 * trains one run with the worker's {@code Trainer} and commits its files in order: checkpoint
 * weights as they come, then {@code steps}, {@code llc_trace}, the final weights, and the {@code
 * runs} row last; refinement rounds ({@code refine.RefineRounds}) train through it too. {@link
 * org.phasemap.driver.spark.Sessions} creates every command's session.
 *
 * <p>Dependencies: {@code spec} and {@code output}; {@code org.phasemap.tables} for the root's
 * layout and the column declarations rows are written with; never {@code org.phasemap.jobs}; the
 * worker's {@code RunConfig}, {@code Provenance}, {@code train}, {@code analysis.AnalysisOptions},
 * {@code io.ModelFiles} and {@code model.Parameters}; Spark, Hadoop and Scala interop. The only
 * driver package, besides {@code cli}, that uses Spark.
 */
package org.phasemap.driver.spark;
