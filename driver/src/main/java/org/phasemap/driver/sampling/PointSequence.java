package org.phasemap.driver.sampling;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the points of random sweep axes are drawn in the unit cube. Every sequence is a pure function
 * of (seed, index): the same seed gives the same points on any machine, point i can be built alone,
 * and the first N points of a longer sequence are the N points of a shorter one.
 */
public enum PointSequence {
  /** {@link Sobol}: low discrepancy, the default. */
  SOBOL("sobol", Sobol.MAX_DIMENSIONS),
  /** {@link Halton}: low discrepancy, simpler, weaker in many dimensions. */
  HALTON("halton", Halton.MAX_DIMENSIONS),
  /** Independent pseudo-random points (SplittableRandom), as the published sweep drew them. */
  UNIFORM("uniform", 64);

  /** The spelling in a sweep spec, in documentation order. */
  public static final List<String> NAMES = List.of("sobol", "halton", "uniform");

  private final String specName;
  private final int maxDimensions;

  PointSequence(String specName, int maxDimensions) {
    this.specName = specName;
    this.maxDimensions = maxDimensions;
  }

  /** The name used in a sweep spec. */
  public String specName() {
    return specName;
  }

  /** The most dimensions (random axes) this sequence supports. */
  public int maxDimensions() {
    return maxDimensions;
  }

  /**
   * The sequence named {@code name} in a spec.
   *
   * @throws IllegalArgumentException naming the allowed names if there is none
   */
  public static PointSequence fromSpecName(String name) {
    for (PointSequence s : values()) {
      if (s.specName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "Unknown point sequence '" + name + "' (allowed: " + String.join(" | ", NAMES) + ")");
  }

  /**
   * Points of this sequence in {@code dimensions} dimensions, scrambled or drawn from {@code seed}.
   */
  public UnitPoints points(int dimensions, long seed) {
    if (dimensions < 1 || dimensions > maxDimensions) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "Cannot draw %s points: dimensions must be in [1, %d] (got %d)",
              specName,
              maxDimensions,
              dimensions));
    }
    return switch (this) {
      case SOBOL -> new Sobol(dimensions, seed)::point;
      case HALTON -> new Halton(dimensions, seed)::point;
      case UNIFORM -> index -> uniform(dimensions, seed, index);
    };
  }

  /**
   * Point {@code index} of the pseudo-random sequence: its own SplittableRandom seeded with a hash
   * of (seed, index), so that points do not share state and each can be built alone.
   */
  private static double[] uniform(int dimensions, long seed, long index) {
    SplittableRandom random =
        new SplittableRandom(mix64(seed ^ mix64(index + 0x9E3779B97F4A7C15L)));
    double[] x = new double[dimensions];
    for (int j = 0; j < dimensions; j++) {
      x[j] = random.nextDouble();
    }
    return x;
  }

  /** The SplitMix64 finaliser (Stafford's variant 13), a bijective 64-bit mix. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Point i of a sequence in the unit cube. */
  @FunctionalInterface
  public interface UnitPoints {
    /** Point {@code index}, each coordinate in [0, 1). */
    double[] point(long index);
  }
}
