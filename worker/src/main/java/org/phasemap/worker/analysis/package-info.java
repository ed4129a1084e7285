/**
 * Measuring a model from the inside, and the records the measures travel in. {@link
 * org.phasemap.worker.analysis.Analyzer} runs the pure functions of {@code measure}, {@code
 * classify} and {@code llc} on a live {@code model.ModelFunction}: {@link
 * org.phasemap.worker.analysis.Spectra} at every logged step, and at checkpoints a {@link
 * org.phasemap.worker.analysis.Checkpoint} holding {@link
 * org.phasemap.worker.analysis.ProgressMeasures} (SCIENCE.md 1.4), {@link
 * org.phasemap.worker.analysis.AlgorithmMeasures} and the label (2.3–2.4), {@link
 * org.phasemap.worker.analysis.DegeneracyMeasures} (3.5), the LLC when asked for (3) and, after the
 * post-pass, {@link org.phasemap.worker.analysis.Retrospective}. {@link
 * org.phasemap.worker.analysis.AnalysisOptions} is how a sweep's {@code analysis:} block reaches a
 * run; {@link org.phasemap.worker.analysis.ModelReport} is everything {@code phasemap analyze}
 * prints about one finished or imported model. These records are what the result tables' columns
 * are extracted from.
 *
 * <p>Dependencies: {@code worker} ({@code RunConfig}), {@code worker.measure}, {@code
 * worker.classify}, {@code worker.llc}, {@code worker.model} (including {@code TransformerGraph},
 * for the gradients of gradient symmetricity), {@code worker.data}, and {@code worker.train} for
 * {@code Trainer.accuracy} in {@code ModelReport}; ND4J. No Spark.
 */
package org.phasemap.worker.analysis;
