package org.phasemap.worker.analysis;

/**
 * Which algorithm a model implements (SCIENCE.md 2.3-2.4): gradient symmetricity, distance
 * irrelevance in both variants, circularity of the embedding, and the resulting label.
 *
 * @param label one of clock, pizza, mixed, non_circular, no_generalisation
 */
public record AlgorithmMeasures(
    double gs, double diCorrect, double diMaxWrong, double circularity, String label) {}
