/**
 * Progress-measure curves of one run over its steps (Nanda et al. 2023, SCIENCE.md 1.4, 1.6), read
 * from the {@code steps} table: losses, restricted and excluded loss, Σw², Gini, the label at each
 * checkpoint, and the three phases of grokking placed by {@link org.phasemap.jobs.curves.Phases}.
 */
package org.phasemap.jobs.curves;
