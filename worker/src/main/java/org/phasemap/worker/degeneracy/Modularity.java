package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Communities of a weighted undirected graph and their Newman modularity (Newman 2006, "Modularity
 * and community structure in networks"):
 *
 * <pre>
 *   Q = 1/(2W) Σ_{u,v} [ A_uv − s_u s_v / (2W) ] δ(c_u, c_v)
 * </pre>
 *
 * with A the symmetric weight matrix, s_u = Σ_v A_uv a node's strength and 2W = Σ_u s_u. Q is the
 * share of the weight that falls inside communities minus the share expected if edges were placed
 * at random with the same strengths: 0 for one community holding everything, 1 − 1/c for c equal
 * disconnected cliques (0.5 for two).
 *
 * <p>Communities are found by the Louvain method (Blondel et al. 2008), deterministic: (1) each
 * node, in index order, moves to the neighbouring community that raises Q the most (ties to the
 * first such community met in adjacency order; it stays unless the gain is positive beyond
 * rounding), passes repeating until no node moves; (2) each community becomes one node (its
 * internal weight a self-loop) and (1) runs again; this stops when a level moves nothing. Written
 * here, not taken from a library: a few dozen lines, and the order of visits (so the result) is
 * fixed.
 */
final class Modularity {

  /**
   * A partition and its modularity.
   *
   * @param community community index of each node, 0 … count − 1 for nodes with at least one edge
   *     of positive weight (numbered in order of their first node), −1 for isolated nodes
   * @param modularity Newman's Q of the partition (0 for a graph without weight)
   * @param count number of communities (isolated nodes are not counted)
   */
  record Partition(int[] community, double modularity, int count) {}

  /** Relative size below which a modularity gain counts as rounding. */
  private static final double TOLERANCE = 1e-12;

  /** Passes of local moves per level at most (each pass raises Q; in practice a handful). */
  private static final int MAX_PASSES = 1000;

  private Modularity() {}

  /**
   * The Louvain partition of the graph with {@code nodes} nodes and edges (from[e], to[e],
   * weight[e]) (undirected; repeated pairs add up; weights must be non-negative).
   */
  static Partition louvain(int nodes, int[] from, int[] to, double[] weight) {
    if (from.length != to.length || from.length != weight.length) {
      throw new IllegalArgumentException(
          "Cannot find communities: edge arrays differ in length (got "
              + from.length
              + ", "
              + to.length
              + ", "
              + weight.length
              + ")");
    }
    for (int e = 0; e < from.length; e++) {
      if (!(weight[e] >= 0) || !Double.isFinite(weight[e])) {
        throw new IllegalArgumentException(
            "Cannot find communities: edge " + e + " has weight " + weight[e] + " (allowed: ≥ 0)");
      }
    }
    Graph g = Graph.of(nodes, from, to, weight);
    int[] community = new int[nodes];
    Arrays.setAll(community, i -> i);
    if (g.total() == 0) {
      return finish(g, community);
    }
    Graph level = g;
    while (true) {
      int[] moved = localMoves(level);
      int[] renumbered = renumber(moved);
      int levelCommunities = Arrays.stream(renumbered).max().orElse(-1) + 1;
      for (int u = 0; u < nodes; u++) {
        community[u] = renumbered[community[u]];
      }
      if (levelCommunities == level.size()) {
        break; // nothing merged at this level
      }
      level = level.aggregate(renumbered, levelCommunities);
    }
    return finish(g, community);
  }

  /** Q of a given partition (community index per node) of the graph. */
  static double modularity(int nodes, int[] from, int[] to, double[] weight, int[] community) {
    return Graph.of(nodes, from, to, weight).modularity(community);
  }

  private static Partition finish(Graph g, int[] community) {
    double q = g.modularity(community);
    int[] out = new int[community.length];
    Map<Integer, Integer> ids = new LinkedHashMap<>();
    for (int u = 0; u < community.length; u++) {
      if (g.strength(u) > 0) {
        out[u] = ids.computeIfAbsent(community[u], c -> ids.size());
      } else {
        out[u] = -1;
      }
    }
    return new Partition(out, q, ids.size());
  }

  /** Phase (1) on one level: the community of each node of the level. */
  private static int[] localMoves(Graph g) {
    int n = g.size();
    int[] c = new int[n];
    double[] tot = new double[n]; // Σ of strengths per community
    for (int u = 0; u < n; u++) {
      c[u] = u;
      tot[u] = g.strength(u);
    }
    double m2 = g.total();
    double[] link = new double[n]; // weight from the node to each community, scratch
    boolean[] seen = new boolean[n];
    int[] touched = new int[n];
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      boolean any = false;
      for (int u = 0; u < n; u++) {
        int own = c[u];
        double su = g.strength(u);
        int count = 0;
        for (int e = g.start(u); e < g.start(u + 1); e++) {
          int v = g.neighbour(e);
          if (v == u) {
            continue;
          }
          int cv = c[v];
          if (!seen[cv]) {
            seen[cv] = true;
            touched[count++] = cv;
          }
          link[cv] += g.weight(e);
        }
        tot[own] -= su;
        int best = own;
        double bestGain = link[own] - su * tot[own] / m2;
        for (int i = 0; i < count; i++) {
          int cand = touched[i];
          double gain = link[cand] - su * tot[cand] / m2;
          if (gain > bestGain + TOLERANCE * m2) {
            best = cand;
            bestGain = gain;
          }
        }
        tot[best] += su;
        c[u] = best;
        any |= best != own;
        for (int i = 0; i < count; i++) {
          link[touched[i]] = 0;
          seen[touched[i]] = false;
        }
      }
      if (!any) {
        break;
      }
    }
    return c;
  }

  /** Community labels renumbered 0, 1, … in order of first appearance. */
  private static int[] renumber(int[] c) {
    int[] map = new int[c.length];
    Arrays.fill(map, -1);
    int next = 0;
    int[] out = new int[c.length];
    for (int u = 0; u < c.length; u++) {
      if (map[c[u]] < 0) {
        map[c[u]] = next++;
      }
      out[u] = map[c[u]];
    }
    return out;
  }

  /**
   * A symmetric weighted graph in adjacency-list form: for node u, entries start(u) … start(u+1)−1
   * hold its neighbours and the weights A_uv (a self-loop once, with A_uu the weight inside the
   * node counted in both directions, as aggregation produces it).
   */
  private record Graph(int[] starts, int[] neighbours, double[] weights, double[] strengths) {

    static Graph of(int nodes, int[] from, int[] to, double[] weight) {
      List<Map<Integer, Double>> adj = new ArrayList<>();
      for (int u = 0; u < nodes; u++) {
        adj.add(new LinkedHashMap<>());
      }
      for (int e = 0; e < from.length; e++) {
        int a = from[e];
        int b = to[e];
        if (a < 0 || a >= nodes || b < 0 || b >= nodes) {
          throw new IllegalArgumentException(
              "Cannot find communities: edge "
                  + e
                  + " joins "
                  + a
                  + " and "
                  + b
                  + " (allowed: 0 … "
                  + (nodes - 1)
                  + ")");
        }
        if (weight[e] == 0) {
          continue;
        }
        if (a == b) {
          adj.get(a).merge(a, 2 * weight[e], Double::sum);
        } else {
          adj.get(a).merge(b, weight[e], Double::sum);
          adj.get(b).merge(a, weight[e], Double::sum);
        }
      }
      return fromLists(adj);
    }

    static Graph fromLists(List<Map<Integer, Double>> adj) {
      int n = adj.size();
      int[] starts = new int[n + 1];
      for (int u = 0; u < n; u++) {
        starts[u + 1] = starts[u] + adj.get(u).size();
      }
      int[] nb = new int[starts[n]];
      double[] w = new double[starts[n]];
      double[] s = new double[n];
      for (int u = 0; u < n; u++) {
        int e = starts[u];
        for (Map.Entry<Integer, Double> x : adj.get(u).entrySet()) {
          nb[e] = x.getKey();
          w[e] = x.getValue();
          s[u] += x.getValue();
          e++;
        }
      }
      return new Graph(starts, nb, w, s);
    }

    int size() {
      return strengths.length;
    }

    int start(int u) {
      return starts[u];
    }

    int neighbour(int e) {
      return neighbours[e];
    }

    double weight(int e) {
      return weights[e];
    }

    double strength(int u) {
      return strengths[u];
    }

    /** 2W = Σ_u s_u. */
    double total() {
      double t = 0;
      for (double s : strengths) {
        t += s;
      }
      return t;
    }

    /** One node per community, A'_CD = Σ_{u∈C, v∈D} A_uv (the self-loop holds C's inside). */
    Graph aggregate(int[] community, int count) {
      List<Map<Integer, Double>> adj = new ArrayList<>();
      for (int c = 0; c < count; c++) {
        adj.add(new LinkedHashMap<>());
      }
      for (int u = 0; u < size(); u++) {
        for (int e = starts[u]; e < starts[u + 1]; e++) {
          adj.get(community[u]).merge(community[neighbours[e]], weights[e], Double::sum);
        }
      }
      return fromLists(adj);
    }

    double modularity(int[] community) {
      double m2 = total();
      if (m2 == 0) {
        return 0;
      }
      Map<Integer, double[]> byCommunity = new LinkedHashMap<>(); // {inside, total}
      for (int u = 0; u < size(); u++) {
        double[] acc = byCommunity.computeIfAbsent(community[u], c -> new double[2]);
        acc[1] += strengths[u];
        for (int e = starts[u]; e < starts[u + 1]; e++) {
          if (community[neighbours[e]] == community[u]) {
            acc[0] += weights[e];
          }
        }
      }
      double q = 0;
      for (double[] acc : byCommunity.values()) {
        q += acc[0] / m2 - (acc[1] / m2) * (acc[1] / m2);
      }
      return q;
    }
  }
}
