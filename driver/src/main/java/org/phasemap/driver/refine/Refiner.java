package org.phasemap.driver.refine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Proposes the points of the next refinement round: midpoints of neighbouring runs whose labels
 * differ, longest such segments first, so that every round halves the widest brackets of the
 * boundary.
 *
 * <p>The method, in normalised coordinates with each axis divided by its min spacing (so that a
 * distance of 1 is the finest resolution asked for on every axis):
 *
 * <ol>
 *   <li>Each point's k nearest neighbours, k = min(3^d − 1, 12) (the 8 cells around a cell of a 2-D
 *       grid).
 *   <li>A discordant pair is a point and one of its neighbours with another label. Its midpoint
 *       bisects the bracket of the boundary between them: after the new run, one of the two halves
 *       is still discordant and half as long.
 *   <li>Pairs are ranked by length times (1/4 + the smaller of the two points' agreement with their
 *       own neighbours). A run whose label disagrees with all its neighbours is more likely noise
 *       (SCIENCE.md 2.6: single runs scatter widely) than a thin phase, so its pairs wait until the
 *       consistent brackets are narrow. Ties (a regular grid gives many) are broken by the seed.
 *   <li>Midpoints are taken in rank order unless they fall within the min spacing, on every axis at
 *       once, of a point already run or proposed.
 *   <li>If the boundary is resolved to the min spacing before the round's budget is spent, the rest
 *       explores: of 32 seeded random candidates per point, the one farthest from all others, so
 *       that a phase missed by the first design can still be found.
 * </ol>
 *
 * <p>Label noise is not averaged here: a noisy cell keeps producing discordant pairs and so keeps
 * getting runs, which {@link BoundaryEstimate} then reads as shares. The result is a pure function
 * of the points (in order) and the settings.
 */
public final class Refiner {
  private Refiner() {}

  /** Most neighbours examined per point. */
  static final int MAX_NEIGHBOURS = 12;

  private static final int EXPLORATION_CANDIDATES = 32;

  /**
   * The points of the next round, at most {@link RefineSettings#perRound()}, each in [0, 1]^d.
   *
   * @throws IllegalArgumentException if a point's dimension is not the settings' axis count
   */
  public static List<double[]> propose(List<RefinePoint> points, RefineSettings settings) {
    return propose(points, settings, settings.perRound());
  }

  /**
   * At most {@code count} new points; see the class comment.
   *
   * @throws IllegalArgumentException if a point's dimension is not the settings' axis count or
   *     count is negative
   */
  public static List<double[]> propose(
      List<RefinePoint> points, RefineSettings settings, int count) {
    return proposeRound(points, settings, count, settings.seed()).points();
  }

  /**
   * The points of one round and how many of them bisect a bracket of the boundary (the others
   * explore); {@code bisections == 0} means the boundary is resolved to the min spacing.
   *
   * @param points the proposed points in [0, 1]^d, bisections first
   * @param bisections how many of the first points are midpoints of discordant pairs
   */
  public record Proposal(List<double[]> points, int bisections) {}

  /**
   * At most {@code count} new points, drawing ties and exploration from {@code seed} (give each
   * round its own); see the class comment.
   *
   * @throws IllegalArgumentException if a point's dimension is not the settings' axis count or
   *     count is negative
   */
  public static Proposal proposeRound(
      List<RefinePoint> points, RefineSettings settings, int count, long seed) {
    int d = settings.dimensions();
    if (count < 0) {
      throw new IllegalArgumentException(
          "Cannot propose points: count must be >= 0 (got " + count + ")");
    }
    for (RefinePoint p : points) {
      if (p.dimensions() != d) {
        throw new IllegalArgumentException(
            "Cannot propose points: a point has "
                + p.dimensions()
                + " coordinates and the settings refine "
                + d
                + " axes "
                + settings.axes());
      }
    }
    int n = points.size();
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = points.get(i).coordinates();
    }
    double[] scale = new double[d];
    for (int a = 0; a < d; a++) {
      scale[a] = 1 / settings.minSpacing(a);
    }
    int k = (int) Math.min(Math.min(Math.pow(3, d) - 1, MAX_NEIGHBOURS), n - 1);
    int[][] neighbours = new int[n][];
    for (int i = 0; i < n; i++) {
      neighbours[i] = nearest(x, i, k, scale);
    }
    double[] agreement = new double[n];
    for (int i = 0; i < n; i++) {
      int same = 0;
      for (int j : neighbours[i]) {
        same += points.get(j).label().equals(points.get(i).label()) ? 1 : 0;
      }
      agreement[i] = k == 0 ? 1 : (double) same / k;
    }

    SplittableRandom random = new SplittableRandom(seed);
    List<Pair> pairs = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      for (int j : neighbours[i]) {
        if (points.get(i).label().equals(points.get(j).label())) {
          continue;
        }
        long key = (long) Math.min(i, j) * n + Math.max(i, j);
        if (seen.add(key)) {
          double priority =
              Math.sqrt(distance2(x[i], x[j], scale))
                  * (0.25 + Math.min(agreement[i], agreement[j]));
          pairs.add(new Pair(Math.min(i, j), Math.max(i, j), priority, random.nextLong()));
        }
      }
    }
    pairs.sort(
        Comparator.comparingDouble(Pair::priority).reversed().thenComparingLong(Pair::tieBreak));

    List<double[]> proposed = new ArrayList<>();
    for (Pair pair : pairs) {
      if (proposed.size() >= count) {
        break;
      }
      double[] mid = new double[d];
      for (int a = 0; a < d; a++) {
        mid[a] = (x[pair.i][a] + x[pair.j][a]) / 2;
      }
      if (farEnough(mid, x, proposed, scale)) {
        proposed.add(mid);
      }
    }
    int bisections = proposed.size();
    while (proposed.size() < count) {
      double[] best = null;
      double bestDistance = -1;
      for (int c = 0; c < EXPLORATION_CANDIDATES; c++) {
        double[] candidate = new double[d];
        for (int a = 0; a < d; a++) {
          candidate[a] = random.nextDouble();
        }
        double nearest = nearestDistance2(candidate, x, proposed, scale);
        if (nearest > bestDistance && farEnough(candidate, x, proposed, scale)) {
          best = candidate;
          bestDistance = nearest;
        }
      }
      if (best == null) {
        break; // the space is full at the min spacing
      }
      proposed.add(best);
    }
    return new Proposal(proposed, bisections);
  }

  /** A discordant pair of points i &lt; j. */
  private record Pair(int i, int j, double priority, long tieBreak) {}

  /** The k points nearest to point i (not i itself), nearest first, ties by index. */
  static int[] nearest(double[][] x, int i, int k, double[] scale) {
    int n = x.length;
    double[] dist = new double[n];
    Integer[] order = new Integer[n];
    for (int j = 0; j < n; j++) {
      dist[j] = j == i ? Double.POSITIVE_INFINITY : distance2(x[i], x[j], scale);
      order[j] = j;
    }
    java.util.Arrays.sort(
        order, Comparator.comparingDouble((Integer j) -> dist[j]).thenComparingInt(j -> j));
    int[] result = new int[k];
    for (int m = 0; m < k; m++) {
      result[m] = order[m];
    }
    return result;
  }

  /** Whether p is outside the min-spacing box of every point run or proposed. */
  private static boolean farEnough(
      double[] p, double[][] x, List<double[]> proposed, double[] scale) {
    for (double[] q : x) {
      if (inBox(p, q, scale)) {
        return false;
      }
    }
    for (double[] q : proposed) {
      if (inBox(p, q, scale)) {
        return false;
      }
    }
    return true;
  }

  private static boolean inBox(double[] p, double[] q, double[] scale) {
    for (int a = 0; a < p.length; a++) {
      if (Math.abs(p[a] - q[a]) * scale[a] >= 1) {
        return false;
      }
    }
    return true;
  }

  private static double nearestDistance2(
      double[] p, double[][] x, List<double[]> proposed, double[] scale) {
    double best = Double.POSITIVE_INFINITY;
    for (double[] q : x) {
      best = Math.min(best, distance2(p, q, scale));
    }
    for (double[] q : proposed) {
      best = Math.min(best, distance2(p, q, scale));
    }
    return best;
  }

  static double distance2(double[] p, double[] q, double[] scale) {
    double s = 0;
    for (int a = 0; a < p.length; a++) {
      double t = (p[a] - q[a]) * scale[a];
      s += t * t;
    }
    return s;
  }
}
