package org.phasemap.worker.classify;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The triples (a, b, c) over which gradient symmetricity is averaged, SCIENCE.md 2.3.1: either all
 * p³ of them or a seeded sample drawn without replacement.
 *
 * <p>Each triple is an {@code int[] {a, b, c}} with a, b the input tokens and c the output class;
 * its flat index is a·p² + b·p + c. Results are in ascending flat-index order (a, then b, then c),
 * so the set alone, not the draw order, fixes the floating-point order of the GS mean, and the
 * model side can group triples by input pair.
 */
public final class TripleSample {
  /** Largest p whose p³ triples can be indexed by an int. */
  public static final int MAX_P = 1290;

  private TripleSample() {}

  /** Every triple (a, b, c) with a, b, c in 0…p−1: p³ rows in (a, b, c) order. */
  public static int[][] all(int p) {
    int total = count(p);
    int[][] t = new int[total][];
    for (int i = 0; i < total; i++) {
      t[i] = decode(i, p);
    }
    return t;
  }

  /**
   * {@code n} distinct triples drawn uniformly without replacement from the p³ triples, with a
   * {@link SplittableRandom} seeded by {@code seed} (the same (p, n, seed) always gives the same
   * triples, on every JVM); {@code n ≥ p³} gives {@link #all}. The draw is a partial Fisher–Yates
   * shuffle of the flat indices 0…p³−1 that stores only displaced entries, so memory is O(n).
   */
  public static int[][] seeded(int p, int n, long seed) {
    int total = count(p);
    if (n < 1) {
      throw new IllegalArgumentException("Invalid n: " + n + " (allowed: at least 1 triple)");
    }
    if (n >= total) {
      return all(p);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Map<Integer, Integer> displaced = new HashMap<>();
    int[] picked = new int[n];
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(total - i);
      picked[i] = displaced.getOrDefault(j, j);
      displaced.put(j, displaced.getOrDefault(i, i));
      displaced.remove(i);
    }
    Arrays.sort(picked);
    int[][] t = new int[n][];
    for (int i = 0; i < n; i++) {
      t[i] = decode(picked[i], p);
    }
    return t;
  }

  /** p³, the number of triples. */
  public static int count(int p) {
    if (p < 1 || p > MAX_P) {
      throw new IllegalArgumentException(
          "Invalid p: " + p + " (allowed: 1 to " + MAX_P + ", so that p³ fits in an int)");
    }
    return p * p * p;
  }

  private static int[] decode(int index, int p) {
    return new int[] {index / (p * p), index / p % p, index % p};
  }
}
