package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.phasemap.worker.measure.CrossEntropy;

/**
 * The interaction graph of a chain (issue #17, after RIB): one node per interaction-basis direction
 * of every node layer, an edge from each direction j of layer l to each direction i of layer l + 1
 * weighted by how much feature j contributes to feature i over the data; how many of the strongest
 * edges the model needs; and how modular the graph is.
 *
 * <p><b>Edge weight</b> ({@link NodeChain#edges}): RIB's {@code edge_formula: squared} as its
 * modular-arithmetic runs use it ({@code integration_method: gradient}, {@code n_intervals: 0}, so
 * plain gradients at the data, no integral),
 *
 * <pre>
 *   E_ij = 1/(n · T_l) Σ_x Σ_t ( Σ_s ∂f̂_{l+1,i}(x, t) / ∂f̂_{l,j}(x, s) · f̂_{l,j}(x, s) )²
 * </pre>
 *
 * the mean square of feature j's first-order contribution to feature i (gradient times input, in
 * the interaction basis). Positions: for resid_pre (T_l = n_ctx positions sharing one basis) the
 * contributions of one feature at all positions add up inside the square, for each output position
 * (one for the last block's attention, whose output is the last position; every position below a
 * transformer's last block), normalised by n·T_l as M' is — RIB's treatment. For a linear step Σ_i
 * E_ij = Λ_j (feature j's variance times its unit Jacobian downstream), so edge weights are on the
 * scale of the eigenvalues Λ and comparable across layers. Weights are ≥ 0 and say nothing of sign.
 *
 * <p><b>Edges needed</b>: edges are sorted by weight (ties: layer, target, source) and the model
 * keeps the top k of the whole graph; every other edge is ablated at once ({@link
 * NodeChain#ablatedNext}): going forward from the chain's own resid_pre features, output feature i
 * of each step is computed by the exact step from the input layer rebuilt from the features whose
 * edge to i is kept, the others at their mean (f̂_j = 0) — RIB's edge ablation, exact through the
 * non-linearities, applied to all steps together. The logits are rebuilt from the last layer's
 * features. "Edges needed" is the smallest k whose accuracy over all inputs is at least the full
 * model's minus {@link DegeneracyOptions#edgeAccuracyDrop()} (0.001), found at k = 0, 1, 2, 4, …
 * until the target is met, then by bisection (which assumes accuracy does not fall as k grows in
 * the bracket); −1 if even all edges fall short (the directions below the interaction threshold
 * carried something).
 *
 * <p><b>Modularity</b>: Newman's Q of the graph as a weighted undirected graph on all directions,
 * with all edges and weights E_ij, communities by a deterministic Louvain method ({@link
 * Modularity}). Q near 0: no split of the directions keeps the attribution inside groups better
 * than chance; Q near 1 − 1/c: c separate circuits.
 *
 * @param layers node layer names, input first
 * @param directions interaction directions (nodes) per layer
 * @param edges every edge, strongest first
 * @param keptEdges the numbers of strongest edges at which the edge-ablated model was evaluated,
 *     ascending; the last is all edges
 * @param accuracy the edge-ablated model's accuracy at each of them
 * @param targetAccuracy the full model's accuracy minus the allowed drop
 * @param edgesNeeded smallest number of strongest edges that reaches the target; −1 if none does
 * @param modularity Newman's Q of the Louvain communities
 * @param communities number of communities (directions without any weighted edge not counted)
 * @param community per layer, the community of each direction (−1 for a direction without edges)
 * @param seconds wall time of building the graph
 */
public record InteractionGraph(
    List<String> layers,
    int[] directions,
    List<Edge> edges,
    int[] keptEdges,
    double[] accuracy,
    double targetAccuracy,
    int edgesNeeded,
    double modularity,
    int communities,
    List<int[]> community,
    double seconds) {

  /**
   * One edge: from direction {@code from} of layer {@code layer} to direction {@code to} of layer
   * {@code layer + 1}.
   */
  public record Edge(int layer, int from, int to, double weight) {}

  /** Strongest first; ties by layer, then target, then source (a fixed order). */
  public static final Comparator<Edge> ORDER =
      Comparator.comparingDouble((Edge e) -> -e.weight())
          .thenComparingInt(Edge::layer)
          .thenComparingInt(Edge::to)
          .thenComparingInt(Edge::from);

  public InteractionGraph {
    layers = List.copyOf(layers);
    directions = directions.clone();
    edges = List.copyOf(edges);
    keptEdges = keptEdges.clone();
    accuracy = accuracy.clone();
    community = community.stream().map(int[]::clone).toList();
  }

  @Override
  public int[] directions() {
    return directions.clone();
  }

  @Override
  public int[] keptEdges() {
    return keptEdges.clone();
  }

  @Override
  public double[] accuracy() {
    return accuracy.clone();
  }

  @Override
  public List<int[]> community() {
    return community.stream().map(int[]::clone).toList();
  }

  /** Number of edges: Σ_l directions(l) · directions(l + 1). */
  public int edgesTotal() {
    return edges.size();
  }

  /** The edge-ablated model's accuracy with every edge kept. */
  public double allEdgesAccuracy() {
    return accuracy[accuracy.length - 1];
  }

  /**
   * Builds the graph of {@code chain} on its interaction bases (one per layer, input first).
   *
   * @param fullAccuracy the model's own accuracy over the chain's inputs
   */
  static InteractionGraph of(
      NodeChain chain, List<LayerBasis> bases, double fullAccuracy, DegeneracyOptions options) {
    long start = System.nanoTime();
    int steps = chain.layers() - 1;
    if (bases.size() != chain.layers()) {
      throw new IllegalArgumentException(
          "Cannot build the interaction graph: "
              + chain.layers()
              + " layers but "
              + bases.size()
              + " bases");
    }
    List<String> names = new ArrayList<>();
    int[] sizes = new int[chain.layers()];
    for (int l = 0; l <= steps; l++) {
      names.add(chain.name(l));
      sizes[l] = bases.get(l).size();
    }
    List<Edge> edges = new ArrayList<>();
    for (int l = 0; l < steps; l++) {
      DoubleMatrix w = chain.edges(l, bases.get(l), bases.get(l + 1));
      for (int i = 0; i < sizes[l + 1]; i++) {
        for (int j = 0; j < sizes[l]; j++) {
          edges.add(new Edge(l, j, i, Math.max(0, w.get(i, j))));
        }
      }
    }
    edges.sort(ORDER);

    Ablation ablation = new Ablation(chain, bases, edges, sizes);
    double target = fullAccuracy - options.edgeAccuracyDrop();
    int needed = ablation.needed(target);

    int[] offset = new int[sizes.length + 1];
    for (int l = 0; l < sizes.length; l++) {
      offset[l + 1] = offset[l] + sizes[l];
    }
    int[] from = new int[edges.size()];
    int[] to = new int[edges.size()];
    double[] weight = new double[edges.size()];
    for (int e = 0; e < edges.size(); e++) {
      Edge x = edges.get(e);
      from[e] = offset[x.layer()] + x.from();
      to[e] = offset[x.layer() + 1] + x.to();
      weight[e] = x.weight();
    }
    Modularity.Partition partition = Modularity.louvain(offset[sizes.length], from, to, weight);
    List<int[]> community = new ArrayList<>();
    for (int l = 0; l < sizes.length; l++) {
      community.add(Arrays.copyOfRange(partition.community(), offset[l], offset[l + 1]));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new InteractionGraph(
        names,
        sizes,
        edges,
        ablation.points.keySet().stream().mapToInt(Integer::intValue).toArray(),
        ablation.points.values().stream().mapToDouble(Double::doubleValue).toArray(),
        target,
        needed,
        partition.modularity(),
        partition.count(),
        community,
        seconds);
  }

  /** The edge-ablated model at any number of strongest edges, with the points evaluated. */
  private static final class Ablation {
    private final NodeChain chain;
    private final List<LayerBasis> bases;
    private final List<Edge> edges;
    private final int[] sizes;
    private final int[] labels;
    private final DoubleMatrix inputFeatures;
    final TreeMap<Integer, Double> points = new TreeMap<>();

    /** The previous evaluation: edges kept per step, and each step's output features. */
    private int[] lastCounts;

    private DoubleMatrix[] lastOutputs;

    Ablation(NodeChain chain, List<LayerBasis> bases, List<Edge> edges, int[] sizes) {
      this.chain = chain;
      this.bases = bases;
      this.edges = edges;
      this.sizes = sizes;
      this.labels = chain.labels();
      this.inputFeatures = bases.get(0).featureValues(chain.activations(0));
    }

    /** Geometric schedule up to the first k that reaches {@code target}, then bisection. */
    int needed(double target) {
      int total = edges.size();
      if (accuracy(total) < target) {
        return -1;
      }
      int below = -1;
      int hi = total;
      for (int k : AblationCurve.schedule(total, 2.0)) {
        if (accuracy(k) >= target) {
          hi = k;
          break;
        }
        below = k;
      }
      if (below < 0) {
        return hi;
      }
      int lo = below;
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (accuracy(mid) >= target) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      return hi;
    }

    double accuracy(int k) {
      Double known = points.get(k);
      if (known != null) {
        return known;
      }
      int steps = sizes.length - 1;
      boolean[][][] keep = new boolean[steps][][];
      int[] counts = new int[steps];
      for (int l = 0; l < steps; l++) {
        keep[l] = new boolean[sizes[l + 1]][sizes[l]];
      }
      for (int e = 0; e < k; e++) {
        Edge x = edges.get(e);
        keep[x.layer()][x.to()][x.from()] = true;
        counts[x.layer()]++;
      }
      // a step's output depends only on how many of its own and earlier steps' edges are kept
      // (each step's edges enter the order in a fixed sequence): reuse the previous evaluation's
      DoubleMatrix[] outputs = new DoubleMatrix[steps];
      DoubleMatrix f = inputFeatures;
      boolean same = lastCounts != null;
      for (int l = 0; l < steps; l++) {
        same = same && lastCounts[l] == counts[l];
        f =
            same
                ? lastOutputs[l]
                : chain.ablatedNext(l, bases.get(l), f, bases.get(l + 1), keep[l]);
        outputs[l] = f;
      }
      lastCounts = counts;
      lastOutputs = outputs;
      LayerBasis last = bases.get(steps);
      double a = CrossEntropy.accuracy(last.rebuild(f, last.size()).toArray(), labels);
      points.put(k, a);
      return a;
    }
  }

  /**
   * The graph as plain values for JSON: layer names, directions per layer, counts, the evaluated
   * points, modularity and communities, and every edge {layer, from, to, weight} strongest first
   * ({@code layer} indexes {@code layers}: the edge's source layer).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layers", layers);
    m.put("directions", directions);
    m.put("edges_total", edgesTotal());
    m.put("edges_needed", edgesNeeded);
    m.put("target_accuracy", targetAccuracy);
    m.put("kept_edges", keptEdges);
    m.put("accuracy", accuracy);
    m.put("modularity", modularity);
    m.put("communities", communities);
    m.put("community", community);
    m.put("seconds", seconds);
    List<Object> es = new ArrayList<>();
    for (Edge e : edges) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("layer", e.layer());
      x.put("from", e.from());
      x.put("to", e.to());
      x.put("weight", e.weight());
      es.add(x);
    }
    m.put("edges", es);
    return m;
  }

  /** Strongest edges shown per step in the text. */
  private static final int SHOWN = 6;

  /**
   * Plain text: the counts, the evaluated points, modularity, and per step its total weight and
   * strongest edges, each end labelled with its direction's frequency when {@code frequencies} has
   * one (a list per layer, entries may be null).
   */
  String render(List<FourierLabels> frequencies) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%ninteraction graph: %d edges between adjacent layers' interaction directions "
                + "(RIB's squared attribution, plain gradients) (%.1f s)%n",
            edgesTotal(),
            seconds));
    sb.append(
        String.format(
            Locale.ROOT,
            "  edges needed for accuracy >= %.4f: %s (all edges: accuracy %.4f)%n",
            targetAccuracy,
            edgesNeeded < 0 ? "more than all" : Integer.toString(edgesNeeded),
            allEdgesAccuracy()));
    sb.append("  keep k strongest edges:");
    for (int i = 0; i < keptEdges.length; i++) {
      sb.append(String.format(Locale.ROOT, " %d:%.4f", keptEdges[i], accuracy[i]));
    }
    sb.append("  (k:accuracy)\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "  modularity %.3f with %d communities (Louvain, all edges weighted)%n",
            modularity,
            communities));
    for (int l = 0; l + 1 < layers.size(); l++) {
      double sum = 0;
      List<Edge> top = new ArrayList<>();
      for (Edge e : edges) {
        if (e.layer() == l) {
          sum += e.weight();
          if (top.size() < SHOWN) {
            top.add(e);
          }
        }
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "  %s -> %s: total %.3g; strongest:",
              layers.get(l),
              layers.get(l + 1),
              sum));
      for (Edge e : top) {
        sb.append(
            String.format(
                Locale.ROOT,
                " %s->%s %.3g",
                node(e.from(), frequencies, l),
                node(e.to(), frequencies, l + 1),
                e.weight()));
      }
      sb.append('\n');
    }
    sb.append("  (direction index, [dominant frequency])\n");
    return sb.toString();
  }

  private static String node(int i, List<FourierLabels> frequencies, int layer) {
    FourierLabels f = frequencies == null ? null : frequencies.get(layer);
    if (f == null || i >= f.frequency().length) {
      return Integer.toString(i);
    }
    return i + "[" + f.frequency()[i] + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InteractionGraph g
        && layers.equals(g.layers)
        && Arrays.equals(directions, g.directions)
        && edges.equals(g.edges)
        && Arrays.equals(keptEdges, g.keptEdges)
        && Arrays.equals(accuracy, g.accuracy)
        && Double.compare(targetAccuracy, g.targetAccuracy) == 0
        && edgesNeeded == g.edgesNeeded
        && Double.compare(modularity, g.modularity) == 0
        && communities == g.communities
        && Arrays.deepEquals(community.toArray(), g.community.toArray());
  }

  @Override
  public int hashCode() {
    return 31 * edges.hashCode() + edgesNeeded;
  }

  @Override
  public String toString() {
    return "InteractionGraph[edges="
        + edges.size()
        + ", edgesNeeded="
        + edgesNeeded
        + ", modularity="
        + modularity
        + ", communities="
        + communities
        + "]";
  }
}
