package org.phasemap.driver.sampling;

import java.util.SplittableRandom;

/**
 * The Sobol sequence in up to {@link #MAX_DIMENSIONS} dimensions, with a seeded random digital
 * shift.
 *
 * <p>Direction numbers: dimension 1 is the van der Corput sequence in base 2 (all m_k = 1);
 * dimensions 2 to 13 use the primitive polynomials and initial values m_1..m_s of S. Joe and F. Y.
 * Kuo, "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput.
 * 30 (2008) 2635-2654, file {@code new-joe-kuo-6.21201} (columns d, s, a, m_i). Further m_k follow
 * the recurrence of Bratley and Fox (ACM TOMS 14, 1988, algorithm 659):
 *
 * <pre>
 *   m_k = 2 a_1 m_{k-1} ⊕ 2² a_2 m_{k-2} ⊕ ... ⊕ 2^{s-1} a_{s-1} m_{k-s+1} ⊕ 2^s m_{k-s} ⊕ m_{k-s}
 * </pre>
 *
 * where a_1 .. a_{s-1} are the bits of a, most significant first, and v_k = m_k / 2^k. Point i is
 * x_i = ⊕_k g_k v_k over the bits g_k of the Gray code g = i ⊕ (i >> 1), the order of the usual
 * implementations (Antonov and Saleev 1979), computed directly so that any point can be built
 * alone.
 *
 * <p>Scrambling: each dimension is XORed with a 32-bit shift drawn from the seed (a random digital
 * shift). It keeps the net property (every elementary box of volume 2^-m holds exactly 2^(k-m) of
 * the first 2^k points in dimensions 1 and 2), so the points stay as even, while different seeds
 * give different point sets and point 0 is no longer the corner (0, ..., 0).
 */
public final class Sobol {
  /** Dimensions with published initial values here. */
  public static final int MAX_DIMENSIONS = 13;

  private static final int BITS = 32;

  /** {s, a, m_1, ..., m_s} for dimensions 2..13 (Joe and Kuo 2008, new-joe-kuo-6.21201). */
  private static final int[][] JOE_KUO = {
    {1, 0, 1},
    {2, 1, 1, 3},
    {3, 1, 1, 3, 1},
    {3, 2, 1, 1, 1},
    {4, 1, 1, 1, 3, 3},
    {4, 4, 1, 3, 5, 13},
    {5, 2, 1, 1, 5, 5, 17},
    {5, 4, 1, 1, 5, 5, 5},
    {5, 7, 1, 1, 7, 11, 19},
    {5, 11, 1, 1, 5, 1, 1},
    {5, 13, 1, 1, 1, 3, 11},
    {5, 14, 1, 3, 5, 5, 31},
  };

  /** v[j][k] = m_k << (32 - k) for k = 1..32, as unsigned 32-bit ints; index k - 1. */
  private static final int[][] DIRECTIONS = directions();

  private final int dimensions;
  private final int[] shift;

  /**
   * A Sobol sequence in {@code dimensions} dimensions shifted by a digital shift drawn from {@code
   * seed}.
   *
   * @throws IllegalArgumentException if dimensions is not in [1, {@link #MAX_DIMENSIONS}]
   */
  public Sobol(int dimensions, long seed) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "Cannot create Sobol sequence: dimensions must be in [1, "
              + MAX_DIMENSIONS
              + "] (got "
              + dimensions
              + ")");
    }
    this.dimensions = dimensions;
    this.shift = new int[dimensions];
    SplittableRandom random = new SplittableRandom(seed);
    for (int j = 0; j < dimensions; j++) {
      shift[j] = random.nextInt();
    }
  }

  /** An unscrambled sequence: point 0 is the origin. Used to check against published values. */
  static Sobol unscrambled(int dimensions) {
    Sobol s = new Sobol(dimensions, 0);
    java.util.Arrays.fill(s.shift, 0);
    return s;
  }

  /** Point {@code index} (0-based, at most 2^32 - 1), each coordinate in [0, 1). */
  public double[] point(long index) {
    if (index < 0 || index >= (1L << BITS)) {
      throw new IllegalArgumentException(
          "Cannot build Sobol point: index must be in [0, 2^32) (got " + index + ")");
    }
    long gray = index ^ (index >>> 1);
    double[] x = new double[dimensions];
    for (int j = 0; j < dimensions; j++) {
      int bits = shift[j];
      for (int k = 0; k < BITS; k++) {
        if ((gray >>> k & 1L) != 0) {
          bits ^= DIRECTIONS[j][k];
        }
      }
      x[j] = Integer.toUnsignedLong(bits) / 4294967296.0; // 2^32
    }
    return x;
  }

  private static int[][] directions() {
    int[][] v = new int[MAX_DIMENSIONS][BITS];
    for (int k = 0; k < BITS; k++) {
      v[0][k] = 1 << (BITS - 1 - k); // m_k = 1
    }
    for (int j = 1; j < MAX_DIMENSIONS; j++) {
      int[] row = JOE_KUO[j - 1];
      int s = row[0];
      int a = row[1];
      long[] m = new long[BITS + 1]; // m[1..32]
      for (int k = 1; k <= s; k++) {
        m[k] = row[1 + k];
      }
      for (int k = s + 1; k <= BITS; k++) {
        long value = m[k - s] ^ (m[k - s] << s);
        for (int i = 1; i < s; i++) {
          int ai = (a >>> (s - 1 - i)) & 1; // a_1 is the most significant of s - 1 bits
          if (ai != 0) {
            value ^= m[k - i] << i;
          }
        }
        m[k] = value;
      }
      for (int k = 1; k <= BITS; k++) {
        v[j][k - 1] = (int) (m[k] << (BITS - k));
      }
    }
    return v;
  }
}
