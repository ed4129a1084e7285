package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronised neurons, Bushnaq et al.'s third source of degeneracy: element-wise neurons that
 * switch on and off on the same inputs. Within such a group the network stays the same when weight
 * moves from one neuron to another, so the group acts as one neuron with free parameters.
 *
 * <p>A neuron fires on an input when its pre-activation is positive (for GeLU, where it is past its
 * bend). Dead neurons (never fire) and always-on neurons (fire on every input, so act linearly) are
 * counted apart and not grouped: every dead neuron "matches" every other trivially. Among the
 * switching neurons, two are synchronised when their firing sets A, B differ on at most {@code
 * tolerance} of the inputs where either fires, |A Δ B| ≤ tolerance · |A ∪ B| (Jaccard distance; a
 * share of all inputs would call any two rarely firing neurons synchronised); groups are the
 * connected components of that relation (single linkage), so with a tolerance a group's ends may
 * differ by more. {@code tolerance = 0} is exact equality.
 *
 * @param layer name of the neuron layer
 * @param neurons neurons in the layer
 * @param dead neurons that fire on no input
 * @param alwaysOn neurons that fire on every input
 * @param exactGroups groups of at least two switching neurons with identical firing sets
 * @param neuronsInExactGroups neurons in those groups
 * @param tolerance the Jaccard tolerance of the groups below
 * @param groups groups of at least two switching neurons within the tolerance
 * @param neuronsInGroups neurons in those groups
 * @param groupSizes sizes of those groups, descending
 */
public record SynchronisedNeurons(
    String layer,
    int neurons,
    int dead,
    int alwaysOn,
    int exactGroups,
    int neuronsInExactGroups,
    double tolerance,
    int groups,
    int neuronsInGroups,
    int[] groupSizes) {

  public SynchronisedNeurons {
    groupSizes = groupSizes.clone();
  }

  @Override
  public int[] groupSizes() {
    return groupSizes.clone();
  }

  /**
   * The groups of the neurons whose pre-activations over all inputs are the columns of {@code
   * preActivations} [inputs, neurons].
   */
  public static SynchronisedNeurons find(
      String layer, DoubleMatrix preActivations, double tolerance) {
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException(
          "Cannot find synchronised neurons: tolerance must be in [0, 1) (got " + tolerance + ")");
    }
    int n = preActivations.rows();
    int m = preActivations.cols();
    int words = (n + 63) / 64;
    long[][] fires = new long[m][words];
    int[] count = new int[m];
    double[] x = preActivations.data();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        if (x[i * m + j] > 0) {
          fires[j][i >>> 6] |= 1L << (i & 63);
          count[j]++;
        }
      }
    }
    int dead = 0;
    int alwaysOn = 0;
    List<Integer> switching = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      if (count[j] == 0) {
        dead++;
      } else if (count[j] == n) {
        alwaysOn++;
      } else {
        switching.add(j);
      }
    }
    Map<String, Integer> identical = new HashMap<>();
    for (int j : switching) {
      identical.merge(Arrays.toString(fires[j]), 1, Integer::sum);
    }
    int exactGroups = 0;
    int inExact = 0;
    for (int size : identical.values()) {
      if (size > 1) {
        exactGroups++;
        inExact += size;
      }
    }
    int[] parent = new int[m];
    Arrays.setAll(parent, j -> j);
    for (int a = 0; a < switching.size(); a++) {
      for (int b = a + 1; b < switching.size(); b++) {
        int i = switching.get(a);
        int j = switching.get(b);
        if (find(parent, i) != find(parent, j) && synchronised(fires[i], fires[j], tolerance)) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, Integer> sizes = new HashMap<>();
    for (int j : switching) {
      sizes.merge(find(parent, j), 1, Integer::sum);
    }
    int[] groupSizes =
        sizes.values().stream()
            .filter(s -> s > 1)
            .sorted((u, v) -> v - u)
            .mapToInt(Integer::intValue)
            .toArray();
    return new SynchronisedNeurons(
        layer,
        m,
        dead,
        alwaysOn,
        exactGroups,
        inExact,
        tolerance,
        groupSizes.length,
        Arrays.stream(groupSizes).sum(),
        groupSizes);
  }

  private static boolean synchronised(long[] a, long[] b, double tolerance) {
    long differ = 0;
    long union = 0;
    for (int w = 0; w < a.length; w++) {
      differ += Long.bitCount(a[w] ^ b[w]);
      union += Long.bitCount(a[w] | b[w]);
    }
    return differ <= tolerance * union;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
