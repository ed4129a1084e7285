/**
 * One training run, from its configuration to its measures, in any JVM: the root holds the two
 * records every module shares about a run. {@link org.phasemap.worker.RunConfig} is the fully
 * resolved configuration (validated in one place, {@code fromMap}; its fields, listed with meaning
 * and allowed values in {@code FIELDS}, are the sweep-spec keys and the {@code runs} table's config
 * columns; its content hash is the run id), and {@link org.phasemap.worker.Provenance} says where
 * and with what a result was computed (code version and commit, ND4J version and backend build,
 * Java, OS, architecture, host) and caps ND4J at one thread per task. The sub-packages build on
 * these: {@code data}, {@code model}, {@code train}, {@code measure}, {@code classify}, {@code
 * llc}, {@code analysis}, {@code io}, {@code bench}.
 *
 * <p>Dependencies: ND4J ({@code Provenance} reads the backend and sets its thread counts); of
 * phasemap only {@code worker.io.RunInputs}, which {@code RunConfig} calls to validate and hash the
 * file-valued fields {@code init_weights} and {@code split}. Never Spark, Hadoop or anything of the
 * {@code jobs} and {@code driver} modules: the worker module knows nothing of sweeps or tables.
 */
package org.phasemap.worker;
