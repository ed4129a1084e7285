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
 *
 * <p>The optional blocks each have their own parser: {@code random:} ({@code RandomSection} into
 * {@link org.phasemap.driver.spec.RandomAxes}, one {@link org.phasemap.driver.spec.Distribution}
 * per axis over points of a {@code sampling} sequence), {@code refine:} ({@code RefineSection} into
 * {@code refine.RefineSettings}; {@link org.phasemap.driver.spec.RefinePlanner} maps runs to
 * refinement coordinates and proposed points back to runs) and {@code analysis:} ({@code
 * AnalysisSection} into the worker's {@code AnalysisOptions}). {@link
 * org.phasemap.driver.spec.SweepCost} estimates what a sweep costs before it runs.
 *
 * <p>Dependencies: {@code worker.RunConfig} (the fields and their validation), the worker's
 * settings records for the {@code analysis:} block ({@code analysis.AnalysisOptions}, {@code
 * classify.ClassifierThresholds}, {@code DiVariant}, {@code GsSampling}, {@code llc.LlcSettings},
 * {@code NBetaRule}), {@code worker.io.RunInputs} (file-valued fields are resolved to a content
 * hash while parsing) and {@code worker.bench.CostModel} ({@link
 * org.phasemap.driver.spec.SweepCost}); {@code sampling} (random axes), {@code refine} ({@code
 * RefineSettings}, the parsed {@code refine:} block) and {@code org.phasemap.tables} ({@code
 * RefineSection} checks that the refine label is a text column of {@code RunsTable}); SnakeYAML. No
 * Spark and no ND4J call.
 */
package org.phasemap.driver.spec;
