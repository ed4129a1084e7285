/**
 * What training costs: {@link org.phasemap.worker.bench.StepBenchmark} times full-batch steps of a
 * preset on the calling thread and computes each model's FLOP floor and the machine's SGEMM rate;
 * {@link org.phasemap.worker.bench.CostModel} turns a {@code RunConfig} into estimated single-core
 * seconds (about ±40 %), which {@code phasemap plan} and the size guard of {@code phasemap run}
 * print and {@code phasemap bench} checks against measured figures (docs/PERFORMANCE.md).
 *
 * <p>Dependencies: {@code worker} ({@code RunConfig}, {@code Provenance}) and {@code worker.train}
 * ({@code Trainer}, whose steps are timed); ND4J. No Spark.
 */
package org.phasemap.worker.bench;
