/**
 * Sweep specs: the YAML file that names a family of training runs, and its expansion into runs.
 *
 * <p>A spec fixes some run fields and lays others out on axes; the runs are the cartesian product
 * of the axes. Parsing ({@link org.phasemap.driver.spec.SweepSpecParser}) validates everything up
 * front, every grid point included, so that a sweep that would fail in its ten-thousandth run fails
 * before the first one trains. Planning ({@link org.phasemap.driver.spec.SweepPlanner}) is a pure
 * function from a spec to runs in a deterministic order, each identified by its content hash
 * ({@link org.phasemap.worker.RunConfig#runId()}), so that the same run gets the same id whichever
 * sweep it came from. Nothing here knows about Spark.
 */
package org.phasemap.driver.spec;
