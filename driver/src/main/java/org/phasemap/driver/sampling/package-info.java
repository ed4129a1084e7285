/**
 * Points in the unit cube for random sweep axes: Sobol and Halton low-discrepancy sequences and a
 * plain pseudo-random sequence, each a pure function of (seed, index), plus the L2-star discrepancy
 * that measures how evenly a point set covers the cube.
 *
 * <p>Why low discrepancy: a phase diagram is read off shares of labels per region, so every region
 * should get its share of runs. Pseudo-random points leave gaps and clumps of size about 1/√N; a
 * Sobol or Halton set of N points fills the cube with gaps of order (log N)^d / N. Nothing here
 * knows about run fields; {@link org.phasemap.driver.spec.RandomAxes} maps the unit cube onto them.
 *
 * <p>Dependencies: none (plain Java; no other phasemap package, no Spark, no ND4J). {@link
 * org.phasemap.driver.sampling.PointSequence} is what {@code spec} uses.
 */
package org.phasemap.driver.sampling;
