/**
 * Pictures of a local-learning-coefficient calibration (SCIENCE.md 3.4, docs/LLC.md): λ̂ against
 * the SGLD step size ε, one line per nβ, and the chain-mean traces behind each estimate. They take
 * plain numbers, so this module stays free of the sampler that produced them.
 */
package org.phasemap.jobs.llc;
