/**
 * Training one run: {@link org.phasemap.worker.train.Trainer} runs full-batch {@link
 * org.phasemap.worker.train.AdamW} (PyTorch's update, written out, with linear warm-up) over a
 * {@code model.ModelFunction}, logs a {@link org.phasemap.worker.train.StepRecord} at step 0, every
 * {@code log_interval} steps, every checkpoint and the last step, has {@code analysis.Analyzer}
 * measure each checkpoint, applies the divergence rule (non-finite loss, or above 10·ln p for 10
 * steps), runs the post-pass (retrospective restricted and excluded loss with the final key
 * frequencies, from checkpoint weights kept by {@code CheckpointStore}, spilled to local {@code
 * .npz} past a memory budget) and then hands every record, in step order, to a {@link
 * org.phasemap.worker.train.StepSink}; it returns a {@link org.phasemap.worker.train.RunOutcome}
 * (status {@code ok}, {@code diverged} or {@code failed}, final measures, timings). Where rows and
 * checkpoint weights go is the caller's business (a sink and a {@code CheckpointWeights} callback).
 * {@link org.phasemap.worker.train.NativeMemory} keeps a task's off-heap memory bounded.
 *
 * <p>Dependencies: {@code worker} ({@code RunConfig}), {@code worker.model}, {@code worker.data},
 * {@code worker.analysis} ({@code Analyzer}, and {@code Checkpoint} and {@code Spectra} inside
 * {@code StepRecord}) and {@code worker.io} ({@code RunInputs} for file inputs, {@code Npz} for
 * spilled checkpoints); ND4J and JavaCPP (resident memory). No Spark.
 */
package org.phasemap.worker.train;
