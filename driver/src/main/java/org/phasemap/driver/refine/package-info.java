/**
 * Adaptive refinement of a phase diagram: where the labels of neighbouring runs differ, the
 * boundary between phases lies between them, so the next runs go there.
 *
 * <p>The proposals work in normalised coordinates: each refined axis mapped to [0, 1], linearly or,
 * for axes sampled log-uniformly, on a log scale, so that distances compare across axes. {@link
 * org.phasemap.driver.refine.Refiner} (pure: no Spark, no run fields) proposes the points of the
 * next round from the finished runs so far, seen as {@link
 * org.phasemap.driver.refine.RefinePoint}s; {@link org.phasemap.driver.refine.RefineSettings} is
 * the {@code refine:} block of a sweep spec; {@link org.phasemap.driver.refine.RefineRounds} runs
 * the rounds on Spark: it reads the runs table (through {@code org.phasemap.tables}), asks the
 * refiner, and trains each round with {@link org.phasemap.driver.spark.SweepRunner}. Two neighbours
 * stay where their callers are: mapping proposals onto run configurations ({@link
 * org.phasemap.driver.spec.RefinePlanner}) is planning, used by the sweep planner to count a spec's
 * runs; reading a boundary off the runs for a map ({@code jobs.maps.BoundaryEstimate}) is analysis
 * and lives with the maps.
 *
 * <p>Dependencies: {@code org.phasemap.tables} (column names, layout, the runs view), the worker's
 * {@code RunStatus}, {@code driver.spec} (the plan of a round) and {@code driver.spark} (training
 * it); Spark SQL in {@code RefineRounds} only. Never {@code org.phasemap.jobs}.
 */
package org.phasemap.driver.refine;
