/**
 * Adaptive refinement of a phase diagram: where the labels of neighbouring runs differ, the
 * boundary between phases lies between them, so the next runs go there.
 *
 * <p>Everything here works in normalised coordinates: each refined axis mapped to [0, 1], linearly
 * or, for axes sampled log-uniformly, on a log scale, so that distances compare across axes. It is
 * pure (no Spark, no run fields): {@link org.phasemap.driver.refine.Refiner} proposes the points of
 * the next round from the labelled points so far ({@link org.phasemap.jobs.maps.LabelledPoint}),
 * and {@link org.phasemap.driver.refine.RefineSettings} is the {@code refine:} block of a sweep
 * spec. Reading the boundary off the runs ({@link org.phasemap.jobs.maps.BoundaryEstimate}) is
 * analysis and lives with the maps; mapping points to run fields is {@link
 * org.phasemap.driver.spec.RefinePlanner}, running the rounds {@link
 * org.phasemap.driver.spark.RefineRounds}.
 *
 * <p>Dependencies: {@code jobs.maps.LabelledPoint} only (the labelled point type, shared with the
 * boundary estimate of the maps); plain Java, no Spark, no ND4J, nothing of the worker.
 */
package org.phasemap.driver.refine;
