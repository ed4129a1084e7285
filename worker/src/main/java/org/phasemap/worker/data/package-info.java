/**
 * The data set of a run ({@link org.phasemap.worker.data.ModularAddition}, SCIENCE.md 0): all p²
 * pairs (a, b) numbered row-major as a·p + b, labelled (a + b) mod p, as token sequences of the
 * run's context length, split into train and test by a Fisher–Yates shuffle seeded with {@code
 * data_seed}, or from given row lists ({@code ofRows}, for a split read from files). Every other
 * worker package that numbers inputs uses these pair indices.
 *
 * <p>Dependencies: {@link org.phasemap.worker.RunConfig} only; plain Java, no ND4J and no Spark.
 */
package org.phasemap.worker.data;
