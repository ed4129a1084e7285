/**
 * Running sweeps on Spark. {@link org.phasemap.driver.spark.SweepRunner} (driver side) checks the
 * root (writable, no other sweep under the same name, the spec stored as {@code
 * _sweeps/NAME.yaml}), reads which runs are already committed and skips them, and hands the rest to
 * Spark one run per task, in waves, printing progress ({@code StepProgress}) and cleaning up
 * staging files of killed attempts. {@link org.phasemap.driver.spark.RunTask} (executor side)
 * trains one run with the worker's {@code Trainer} and commits its files in order: checkpoint
 * weights as they come, then {@code steps}, {@code llc_trace}, the final weights, and the {@code
 * runs} row last. {@link org.phasemap.driver.spark.RefineRounds} runs a spec's refinement rounds
 * after its own runs: it reads the labelled runs back from the {@code runs} table, asks {@code
 * refine.Refiner} for points, turns them into runs with {@code spec.RefinePlanner}, records each
 * round's points in {@code _sweeps/NAME.refine-R.tsv} for resume, and trains them through {@code
 * SweepRunner}. {@link org.phasemap.driver.spark.Sessions} creates every command's session.
 *
 * <p>Dependencies: {@code spec}, {@code output} and {@code refine}; {@code jobs.ResultTables} for
 * the root's layout and {@code jobs.maps.LabelledPoint} (the type {@code Refiner} takes); the
 * worker's {@code RunConfig}, {@code Provenance}, {@code train}, {@code analysis.AnalysisOptions},
 * {@code io.ModelFiles} and {@code model.Parameters}; Spark, Hadoop and Scala interop. The only
 * driver package, besides {@code cli}, that uses Spark.
 */
package org.phasemap.driver.spark;
