package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link DegeneracyAnalysis} found in one model: per node layer the three views of its
 * degeneracy (linearly dependent activations, linearly dependent Jacobians, the interaction basis
 * that is invariant to both), how many directions the model needs there, and per neuron layer the
 * synchronised neurons. docs/DEGENERACY.md explains every number.
 *
 * @param options the settings used
 * @param inputs inputs the measures are taken over (all p² pairs for a transformer)
 * @param loss the full model's mean cross-entropy over those inputs, nats
 * @param accuracy the full model's accuracy over those inputs
 * @param layers one entry per node layer, input side first, the output last
 * @param synchronisedNeurons one entry per layer of element-wise neurons
 * @param interactionGraph edges between adjacent layers' interaction directions, the edges needed
 *     and the graph's modularity; null when the options leave it out
 * @param seconds wall time of the analysis (the graph's included)
 */
public record DegeneracyReport(
    DegeneracyOptions options,
    int inputs,
    double loss,
    double accuracy,
    List<Layer> layers,
    List<SynchronisedNeurons> synchronisedNeurons,
    InteractionGraph interactionGraph,
    double seconds) {

  public DegeneracyReport {
    layers = List.copyOf(layers);
    synchronisedNeurons = List.copyOf(synchronisedNeurons);
  }

  /**
   * One node layer.
   *
   * @param name the layer's name in its chain
   * @param width coordinates per row
   * @param positions rows per input (several for a layer whose basis is shared across positions)
   * @param gramEigenvalues eigenvalues of the (centred) Gram matrix G, descending (source 1)
   * @param gramRank eigenvalues of G above the Gram threshold: directions the activations use
   * @param jacobianEigenvalues eigenvalues of M', descending (source 2); the identity's for the
   *     output layer
   * @param jacobianRank eigenvalues of M' above the Jacobian threshold: directions the later layers
   *     (through the next layer's interaction features) respond to
   * @param interactionEigenvalues eigenvalues Λ of M, descending, gramRank of them
   * @param directionsKept interaction-basis directions kept (Λ above the interaction threshold)
   * @param interaction ablation curve in the interaction basis
   * @param pca ablation curve in the PCA basis (gramRank directions)
   * @param interactionFrequencies dominant frequency of each kept interaction direction (null off
   *     the (a, b) grid)
   * @param pcaFrequencies dominant frequency of each PCA direction (null off the grid)
   */
  public record Layer(
      String name,
      int width,
      int positions,
      double[] gramEigenvalues,
      int gramRank,
      double[] jacobianEigenvalues,
      int jacobianRank,
      double[] interactionEigenvalues,
      int directionsKept,
      AblationCurve interaction,
      AblationCurve pca,
      FourierLabels interactionFrequencies,
      FourierLabels pcaFrequencies) {

    public Layer {
      gramEigenvalues = gramEigenvalues.clone();
      jacobianEigenvalues = jacobianEigenvalues.clone();
      interactionEigenvalues = interactionEigenvalues.clone();
    }

    @Override
    public double[] gramEigenvalues() {
      return gramEigenvalues.clone();
    }

    @Override
    public double[] jacobianEigenvalues() {
      return jacobianEigenvalues.clone();
    }

    @Override
    public double[] interactionEigenvalues() {
      return interactionEigenvalues.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Layer l
          && name.equals(l.name)
          && width == l.width
          && positions == l.positions
          && Arrays.equals(gramEigenvalues, l.gramEigenvalues)
          && gramRank == l.gramRank
          && Arrays.equals(jacobianEigenvalues, l.jacobianEigenvalues)
          && jacobianRank == l.jacobianRank
          && Arrays.equals(interactionEigenvalues, l.interactionEigenvalues)
          && directionsKept == l.directionsKept
          && interaction.equals(l.interaction)
          && pca.equals(l.pca)
          && java.util.Objects.equals(interactionFrequencies, l.interactionFrequencies)
          && java.util.Objects.equals(pcaFrequencies, l.pcaFrequencies);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(interactionEigenvalues);
    }

    @Override
    public String toString() {
      return "Layer["
          + name
          + ", width="
          + width
          + ", gramRank="
          + gramRank
          + ", jacobianRank="
          + jacobianRank
          + ", directionsKept="
          + directionsKept
          + "]";
    }
  }

  /** The layer named {@code name}. */
  public Layer layer(String name) {
    for (Layer l : layers) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "Unknown node layer: "
            + name
            + " (known: "
            + layers.stream().map(Layer::name).toList()
            + ")");
  }

  /**
   * The report as plain values for JSON ({@code phasemap analyze --degeneracy --json}): per layer
   * the ranks, the eigenvalues, both ablation curves and the dominant frequency of each direction;
   * per neuron layer the synchronised groups; the interaction graph ({@link
   * InteractionGraph#toMap}) under {@code interaction_graph} when it was built. Names follow
   * docs/DEGENERACY.md.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputs", inputs);
    m.put("loss", loss);
    m.put("accuracy", accuracy);
    m.put("accuracy_share", options.accuracyShare());
    m.put("gram_threshold", options.gramThreshold());
    m.put("jacobian_threshold", options.jacobianThreshold());
    m.put("interaction_threshold", options.interactionThreshold());
    m.put("centred", options.centre());
    List<Object> ls = new ArrayList<>();
    for (Layer l : layers) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", l.name());
      x.put("width", l.width());
      x.put("positions", l.positions());
      x.put("gram_rank", l.gramRank());
      x.put("jacobian_rank", l.jacobianRank());
      x.put("directions_kept", l.directionsKept());
      x.put("gram_eigenvalues", l.gramEigenvalues());
      x.put("jacobian_eigenvalues", l.jacobianEigenvalues());
      x.put("interaction_eigenvalues", l.interactionEigenvalues());
      x.put("interaction", curve(l.interaction(), l.interactionFrequencies()));
      x.put("pca", curve(l.pca(), l.pcaFrequencies()));
      ls.add(x);
    }
    m.put("layers", ls);
    List<Object> ns = new ArrayList<>();
    for (SynchronisedNeurons n : synchronisedNeurons) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("layer", n.layer());
      x.put("neurons", n.neurons());
      x.put("dead", n.dead());
      x.put("always_on", n.alwaysOn());
      x.put("exact_groups", n.exactGroups());
      x.put("neurons_in_exact_groups", n.neuronsInExactGroups());
      x.put("tolerance", n.tolerance());
      x.put("groups", n.groups());
      x.put("neurons_in_groups", n.neuronsInGroups());
      x.put("group_sizes", n.groupSizes());
      ns.add(x);
    }
    m.put("synchronised_neurons", ns);
    if (interactionGraph != null) {
      m.put("interaction_graph", interactionGraph.toMap());
    }
    m.put("seconds", seconds);
    return m;
  }

  private static Map<String, Object> curve(AblationCurve c, FourierLabels f) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("directions", c.directions());
    x.put("loss", c.loss());
    x.put("accuracy", c.accuracy());
    x.put("directions_needed", c.directionsNeeded());
    x.put("full_basis_error", c.fullBasisError());
    if (f != null) {
      x.put("frequency", f.frequency());
      x.put("frequency_share", f.share());
    }
    return x;
  }

  /** How many leading directions of a list of labels are shown in the text. */
  private static final int SHOWN = 12;

  /** A plain-text rendering for a terminal or a log. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Degeneracy over %d inputs: full model loss %.3g, accuracy %.4f (%.1f s)%n",
            inputs,
            loss,
            accuracy,
            seconds));
    sb.append(
        String.format(
            Locale.ROOT,
            "thresholds (relative to the largest eigenvalue): Gram %.0e, M' %.0e, Lambda %.0e; %s; "
                + "directions needed = for %.0f%% of the full accuracy%n",
            options.gramThreshold(),
            options.jacobianThreshold(),
            options.interactionThreshold(),
            options.centre() ? "centred" : "not centred",
            100 * options.accuracyShare()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%n%-12s %6s %4s %9s %8s %6s %22s %13s%n",
            "layer",
            "width",
            "pos",
            "Gram rank",
            "M' rank",
            "kept",
            "needed: interaction/PCA",
            "rebuild error"));
    for (Layer l : layers) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-12s %6d %4d %9d %8d %6d %22s %13.1e%n",
              l.name(),
              l.width(),
              l.positions(),
              l.gramRank(),
              l.jacobianRank(),
              l.directionsKept(),
              needed(l.interaction()) + " / " + needed(l.pca()),
              l.interaction().fullBasisError()));
    }
    for (Layer l : layers) {
      sb.append(String.format(Locale.ROOT, "%n%s%n", l.name()));
      sb.append("  Lambda (largest first): ")
          .append(values(l.interactionEigenvalues(), l.directionsKept()))
          .append('\n');
      sb.append("  Gram eigenvalues:       ")
          .append(values(l.gramEigenvalues(), l.gramRank()))
          .append('\n');
      curve(sb, "interaction", l.interaction());
      curve(sb, "PCA", l.pca());
      labels(sb, "interaction", l.interactionFrequencies());
      labels(sb, "PCA", l.pcaFrequencies());
    }
    for (SynchronisedNeurons s : synchronisedNeurons) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nsynchronised neurons in %s: %d neurons, %d dead, %d always on; identical firing: %d groups, "
                  + "%d neurons; within %.0f%% (Jaccard): %d groups, %d neurons, sizes %s%n",
              s.layer(),
              s.neurons(),
              s.dead(),
              s.alwaysOn(),
              s.exactGroups(),
              s.neuronsInExactGroups(),
              100 * s.tolerance(),
              s.groups(),
              s.neuronsInGroups(),
              head(s.groupSizes())));
    }
    if (interactionGraph != null) {
      List<FourierLabels> frequencies = new ArrayList<>();
      for (Layer l : layers) {
        frequencies.add(l.interactionFrequencies());
      }
      sb.append(interactionGraph.render(frequencies));
    }
    return sb.toString();
  }

  private static String needed(AblationCurve c) {
    return c.directionsNeeded() < 0 ? "never" : Integer.toString(c.directionsNeeded());
  }

  private static String values(double[] v, int kept) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(v.length, SHOWN); i++) {
      sb.append(String.format(Locale.ROOT, "%.3g ", v[i]));
    }
    if (v.length > SHOWN) {
      sb.append("… ");
    }
    if (kept < v.length) {
      sb.append(String.format(Locale.ROOT, "(%d above the cut; first cut %.3g)", kept, v[kept]));
    } else {
      sb.append(String.format(Locale.ROOT, "(all %d above the cut)", kept));
    }
    return sb.toString();
  }

  private static void curve(StringBuilder sb, String basis, AblationCurve c) {
    sb.append(String.format(Locale.ROOT, "  keep k %-11s:", basis));
    for (int i = 0; i < c.size(); i++) {
      sb.append(String.format(Locale.ROOT, " %d:%.3f", c.directions()[i], c.accuracy()[i]));
    }
    sb.append("  (k:accuracy)\n");
  }

  private static void labels(StringBuilder sb, String basis, FourierLabels f) {
    if (f == null) {
      return;
    }
    sb.append(String.format(Locale.ROOT, "  frequencies %-11s:", basis));
    int[] k = f.frequency();
    double[] share = f.share();
    for (int i = 0; i < Math.min(k.length, SHOWN); i++) {
      sb.append(String.format(Locale.ROOT, " %d(%.2f)", k[i], share[i]));
    }
    if (k.length > SHOWN) {
      sb.append(" …");
    }
    sb.append("  (frequency(share) per direction)\n");
  }

  private static String head(int[] v) {
    if (v.length <= SHOWN) {
      return Arrays.toString(v);
    }
    return Arrays.toString(Arrays.copyOf(v, SHOWN)).replace("]", ", …]");
  }
}
