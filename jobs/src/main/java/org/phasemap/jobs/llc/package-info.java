/**
 * Pictures of a local-learning-coefficient calibration (SCIENCE.md 3.4, docs/LLC.md): λ̂ against
 * the SGLD step size ε, one line per nβ, and the chain-mean traces behind each estimate. They take
 * plain numbers, so this module stays free of the sampler that produced them.
 *
 * <p>Dependencies: {@code jobs.plot} and JFreeChart only ({@link
 * org.phasemap.jobs.llc.CalibrationPoint} carries the numbers in); no Spark, no ND4J, nothing of
 * the worker: {@code phasemap llc-calibrate} in the driver computes the grid and converts it.
 */
package org.phasemap.jobs.llc;
