package org.phasemap.driver.sampling;

import java.util.SplittableRandom;

/**
 * The Halton sequence in up to {@link #MAX_DIMENSIONS} dimensions, with a seeded random shift.
 *
 * <p>Coordinate j of point i is the radical inverse of i + 1 in the j-th prime base p_j (J. H.
 * Halton, "On the efficiency of certain quasi-random sequences of points in evaluating
 * multi-dimensional integrals", Numer. Math. 2 (1960) 84-90): writing i + 1 = Σ d_k p^k, φ_p(i + 1)
 * = Σ d_k p^-(k+1). Index 0 maps to i + 1 = 1 so that the unshifted sequence does not start in the
 * corner.
 *
 * <p>Shift: each coordinate is moved by u_j mod 1, u_j drawn from the seed (the Cranley-Patterson
 * rotation, R. Cranley and T. N. L. Patterson, SIAM J. Numer. Anal. 13 (1976) 904-914). A rotation
 * keeps the spacing of the points, so the set stays as even as the unshifted one, while different
 * seeds give different points. Halton's projections on high dimension pairs are poor for small N;
 * with at most {@link #MAX_DIMENSIONS} axes (largest base 37) they are usable from a few hundred
 * points, and Sobol is the better default.
 */
public final class Halton {
  /** The prime bases; their number is the largest dimension supported. */
  private static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

  /** Dimensions supported. */
  public static final int MAX_DIMENSIONS = PRIMES.length;

  private final int dimensions;
  private final double[] shift;

  /**
   * A Halton sequence in {@code dimensions} dimensions rotated by a shift drawn from {@code seed}.
   *
   * @throws IllegalArgumentException if dimensions is not in [1, {@link #MAX_DIMENSIONS}]
   */
  public Halton(int dimensions, long seed) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "Cannot create Halton sequence: dimensions must be in [1, "
              + MAX_DIMENSIONS
              + "] (got "
              + dimensions
              + ")");
    }
    this.dimensions = dimensions;
    this.shift = new double[dimensions];
    SplittableRandom random = new SplittableRandom(seed);
    for (int j = 0; j < dimensions; j++) {
      shift[j] = random.nextDouble();
    }
  }

  /** Point {@code index} (0-based), each coordinate in [0, 1). */
  public double[] point(long index) {
    if (index < 0 || index == Long.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Cannot build Halton point: index must be in [0, 2^63 - 1) (got " + index + ")");
    }
    double[] x = new double[dimensions];
    for (int j = 0; j < dimensions; j++) {
      double v = radicalInverse(index + 1, PRIMES[j]) + shift[j];
      x[j] = v >= 1 ? v - 1 : v;
    }
    return x;
  }

  /** φ_b(n): the digits of n in base b mirrored about the radix point. */
  static double radicalInverse(long n, int base) {
    double result = 0;
    double scale = 1.0 / base;
    while (n > 0) {
      result += (n % base) * scale;
      n /= base;
      scale /= base;
    }
    return result;
  }
}
