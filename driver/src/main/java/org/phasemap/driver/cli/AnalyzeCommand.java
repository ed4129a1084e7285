package org.phasemap.driver.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.jfree.chart.JFreeChart;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.degeneracy.AblationChart;
import org.phasemap.jobs.degeneracy.InteractionGraphChart;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.analysis.DegeneracyMeasures;
import org.phasemap.worker.analysis.ModelReport;
import org.phasemap.worker.analysis.ProgressMeasures;
import org.phasemap.worker.classify.GsSampling;
import org.phasemap.worker.degeneracy.DegeneracyAnalysis;
import org.phasemap.worker.degeneracy.DegeneracyOptions;
import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.degeneracy.FourierLabels;
import org.phasemap.worker.degeneracy.InteractionGraph;
import org.phasemap.worker.io.Json;
import org.phasemap.worker.io.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap analyze MODEL}: measures one model from files (a phasemap export, or weights
 * trained elsewhere, docs/IMPORT.md) with the same code that measures every run, and prints a
 * report. Needs no Spark.
 */
@Command(
    name = "analyze",
    header = "Measure and label one model from files (also PyTorch ones).",
    mixinStandardHelpOptions = true,
    description = {
      "Measure one model: loss and accuracy, key frequencies, restricted/excluded loss, gradient",
      "symmetricity, distance irrelevance, circularity and the clock/pizza label.",
      "MODEL is a directory of <tensor>.npy files plus config.json, or a .npz holding the same",
      "(docs/IMPORT.md). The measures are described in docs/MEASURES.md."
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory or .npz file")
  Path model;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write every measure as JSON to FILE")
  Path json;

  @Option(
      names = "--gs-triples",
      paramLabel = "N|all",
      defaultValue = "1000",
      description = {
        "Triples (a, b, c) gradient symmetricity averages over: a seeded sample of N >= 1000",
        "(seed 42, as in every run) or all p^3 (default: ${DEFAULT-VALUE})"
      })
  String gsTriples;

  @Option(
      names = "--accuracy-on",
      paramLabel = "split|all",
      defaultValue = "split",
      description = {
        "Accuracy that decides the label's generalisation check: the config's test split (as in",
        "training) or all p^2 pairs (for models trained elsewhere on another split)",
        "(default: ${DEFAULT-VALUE})"
      })
  String accuracyOn;

  @Option(
      names = "--degeneracy",
      description = {
        "Also measure degeneracy (docs/DEGENERACY.md): Gram and Jacobian ranks, the interaction",
        "basis of every node layer against PCA, directions needed for 99% accuracy, Fourier",
        "labels of the directions, synchronised neurons, the interaction graph (edges between",
        "adjacent layers' directions, edges needed, modularity). Any number of layers;",
        "seconds at p = 59 with one layer, minutes with two"
      })
  boolean degeneracy;

  @Option(
      names = "--plots",
      paramLabel = "DIR",
      description = {
        "With --degeneracy: write degeneracy_ablation.png and .svg there (accuracy against",
        "directions kept, interaction basis against PCA, one panel per node layer) and",
        "degeneracy_graph.png and .svg (the interaction graph)"
      })
  String plots;

  @Override
  public Integer call() throws Exception {
    Provenance.singleThreaded();
    AnalysisOptions defaults = AnalysisOptions.defaults();
    AnalysisOptions options =
        new AnalysisOptions(
            gsSampling(gsTriples),
            defaults.thresholds(),
            defaults.keyFrequencyThreshold(),
            defaults.keyFrequencyFloor());
    ModelReport.LabelAccuracy labelAccuracy = labelAccuracy(accuracyOn);
    ModelFiles.Loaded loaded = ModelFiles.loadAny(model);
    ModelReport report =
        ModelReport.measure(loaded.config(), loaded.parameters(), options, labelAccuracy);
    print(System.out, report, loaded);
    DegeneracyReport degeneracyReport = null;
    if (degeneracy) {
      degeneracyReport =
          DegeneracyAnalysis.of(loaded.config(), loaded.parameters(), DegeneracyOptions.defaults());
      System.out.println();
      System.out.print(degeneracyReport.render());
      if (plots != null) {
        writeAblationChart(degeneracyReport, plots);
        writeInteractionGraphChart(degeneracyReport, plots);
      }
    } else if (plots != null) {
      throw new IllegalArgumentException(
          "Cannot analyze: --plots draws the degeneracy measures; add --degeneracy (got --plots "
              + plots
              + ")");
    }
    if (json != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", "phasemap-analysis-v1");
      m.put("source", model.toString());
      m.put("ignored_files", loaded.ignoredFiles());
      m.putAll(report.toMap());
      if (degeneracyReport != null) {
        m.put("degeneracy", degeneracyReport.toMap());
      }
      m.put("code_version", Provenance.codeVersion());
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, Json.write(m) + "\n", StandardCharsets.UTF_8);
      System.out.println("Wrote " + json);
    }
    return 0;
  }

  /** The ablation curves of every node layer, side by side, as PNG and SVG in {@code dir}. */
  static void writeAblationChart(DegeneracyReport report, String dir) {
    List<AblationChart.Layer> layers = new ArrayList<>();
    for (DegeneracyReport.Layer l : report.layers()) {
      layers.add(
          new AblationChart.Layer(
              l.name(),
              l.interaction().directions(),
              l.interaction().accuracy(),
              l.interaction().directionsNeeded(),
              l.pca().directions(),
              l.pca().accuracy(),
              l.pca().directionsNeeded()));
    }
    List<JFreeChart> charts =
        AblationChart.of(layers, report.options().accuracyShare() * report.accuracy());
    int width = Math.min(Charts.MAX_SIDE, 360 * charts.size());
    OutputDir out = OutputDir.of(dir, new Configuration());
    for (String file :
        List.of(
            out.write("degeneracy_ablation.png", Charts.png(charts, width, 360)),
            out.write("degeneracy_ablation.svg", Charts.svg(charts, width, 360)))) {
      System.out.println("Wrote " + file);
    }
  }

  /**
   * The interaction graph (layers as columns, directions labelled by frequency and coloured by
   * community, edge width by attribution) as PNG and SVG in {@code dir}; nothing when the report
   * has no graph.
   */
  static void writeInteractionGraphChart(DegeneracyReport report, String dir) {
    InteractionGraph g = report.interactionGraph();
    if (g == null) {
      return;
    }
    List<InteractionGraphChart.Layer> layers = new ArrayList<>();
    for (int l = 0; l < g.layers().size(); l++) {
      FourierLabels f = report.layers().get(l).interactionFrequencies();
      layers.add(
          new InteractionGraphChart.Layer(
              g.layers().get(l),
              g.directions()[l],
              f == null ? null : f.frequency(),
              g.community().get(l)));
    }
    List<InteractionGraphChart.Edge> edges = new ArrayList<>();
    for (InteractionGraph.Edge e : g.edges()) {
      edges.add(new InteractionGraphChart.Edge(e.layer(), e.from(), e.to(), e.weight()));
    }
    String summary =
        String.format(
            Locale.ROOT,
            "%d edges; %s needed for accuracy >= %.4f; modularity %.3f, %d communities",
            g.edgesTotal(),
            g.edgesNeeded() < 0 ? "more than all" : Integer.toString(g.edgesNeeded()),
            g.targetAccuracy(),
            g.modularity(),
            g.communities());
    List<JFreeChart> chart = List.of(InteractionGraphChart.of(layers, edges, summary));
    int width = Math.min(Charts.MAX_SIDE, 220 * layers.size() + 120);
    int height = 200 + 44 * InteractionGraphChart.MAX_NODES;
    OutputDir out = OutputDir.of(dir, new Configuration());
    for (String file :
        List.of(
            out.write("degeneracy_graph.png", Charts.png(chart, width, height)),
            out.write("degeneracy_graph.svg", Charts.svg(chart, width, height)))) {
      System.out.println("Wrote " + file);
    }
  }

  static GsSampling gsSampling(String value) {
    if (value.equalsIgnoreCase("all")) {
      return GsSampling.allTriples();
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot analyze: --gs-triples must be a number of triples or 'all' (got " + value + ")");
    }
    if (n < GsSampling.MIN_N) {
      throw new IllegalArgumentException(
          "Cannot analyze: --gs-triples needs at least "
              + GsSampling.MIN_N
              + " triples (SCIENCE.md 2.3.1), or 'all' (got "
              + n
              + ")");
    }
    return GsSampling.seeded(n, GsSampling.DEFAULT_SEED);
  }

  static ModelReport.LabelAccuracy labelAccuracy(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "split" -> ModelReport.LabelAccuracy.TEST_SPLIT;
      case "all" -> ModelReport.LabelAccuracy.ALL_PAIRS;
      default ->
          throw new IllegalArgumentException(
              "Cannot analyze: --accuracy-on must be 'split' or 'all' (got " + value + ")");
    };
  }

  /** The human-readable report. */
  void print(PrintStream out, ModelReport r, ModelFiles.Loaded loaded) {
    RunConfig c = r.config();
    out.printf("Model      %s (run id of its config: %s)%n", model, c.runId());
    out.printf(
        "Config     %s, p = %d, d_model %d, %d head%s (d_head %d), d_mlp %d, %d layer%s, %s%n",
        c.preset(),
        c.modulus(),
        c.dModel(),
        c.nHeads(),
        c.nHeads() == 1 ? "" : "s",
        c.dHead(),
        c.dMlp(),
        c.nLayers(),
        c.nLayers() == 1 ? "" : "s",
        c.activation());
    out.printf(
        "           attention rate %s, %s, inputs %s, %s%n",
        c.attentionRate(),
        c.causal() ? "causal" : "non-causal",
        c.equalsToken() ? "(a, b, =)" : "(a, b)",
        c.precision());
    out.printf(
        "Split      data_seed %d, train_fraction %s: %d train / %d test pairs%n",
        c.dataSeed(), c.trainFraction(), r.train().pairs(), r.test().pairs());
    if (!loaded.ignoredFiles().isEmpty()) {
      out.printf(
          "Ignored    %s (not part of the model)%n", String.join(", ", loaded.ignoredFiles()));
    }
    out.println();
    out.println("Loss and accuracy");
    out.printf("  %-10s %7s %12s %9s%n", "set", "pairs", "loss", "accuracy");
    fitRow(out, "train", r.train());
    fitRow(out, "test", r.test());
    fitRow(out, "all pairs", r.all());
    out.printf("  sum of squared weights %s%n", num(r.sumSquaredWeights()));
    out.println();
    ProgressMeasures p = r.checkpoint().progress();
    out.println("Progress measures (SCIENCE.md 1.4)");
    out.printf("  %-24s %s%n", "key frequencies", Arrays.toString(p.keyFrequencies()));
    out.printf(
        "  %-24s %s (all pairs; accuracy %s)%n",
        "restricted loss", num(p.restrictedLoss()), num(p.restrictedAccuracy()));
    out.printf(
        "  %-24s %s (train split; accuracy %s)%n",
        "excluded loss", num(p.excludedLoss()), num(p.excludedAccuracy()));
    out.printf(
        "  %-24s %s / %s%n",
        "Gini of W_E / W_L", num(r.spectra().giniEmbed()), num(r.spectra().giniNeuronLogit()));
    out.println();
    AlgorithmMeasures a = r.checkpoint().algorithm();
    out.println("Algorithm (SCIENCE.md 2.3-2.4)");
    GsSampling gs = r.gsSampling();
    out.printf(
        "  %-24s %s (%s)%n",
        "gradient symmetricity",
        num(a.gs()),
        gs.all() ? "all p^3 triples" : gs.n() + " triples, seed " + gs.seed());
    out.printf(
        "  %-24s correct %s, max-wrong %s%n",
        "distance irrelevance", num(a.diCorrect()), num(a.diMaxWrong()));
    out.printf("  %-24s %s%n", "circularity", num(a.circularity()));
    boolean onAll = r.labelAccuracy() == ModelReport.LabelAccuracy.ALL_PAIRS;
    out.printf(
        "  %-24s %s (generalisation checked on %s accuracy %s; %s)%n",
        "label",
        a.label(),
        onAll ? "all-pairs" : "test-split",
        num(r.labelAccuracyValue()),
        onAll ? "--accuracy-on split uses the test split" : "--accuracy-on all uses all pairs");
    out.println("  measures and label rule: docs/MEASURES.md");
    DegeneracyMeasures dg = r.checkpoint().degeneracy();
    if (dg != null) {
      out.println();
      out.println("Degeneracy (SCIENCE.md 3.5, last layer, all p^2 pairs; docs/LLC.md)");
      out.printf(
          "  %-24s %d of d_model %d%n", "Gram rank of MLP input", dg.gramRankMlpIn(), c.dModel());
      out.printf(
          "  %-24s %d of d_mlp %d%n", "Gram rank of MLP neurons", dg.gramRankMlpPost(), c.dMlp());
      out.printf("  %-24s %d of %d%n", "dead neurons", dg.deadNeurons(), c.dMlp());
    }
  }

  private static void fitRow(PrintStream out, String name, ModelReport.Fit f) {
    out.printf("  %-10s %7d %12s %9s%n", name, f.pairs(), num(f.loss()), num(f.accuracy()));
  }

  /** Four significant decimals for values around 1, scientific notation for tiny losses. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    double abs = Math.abs(v);
    if (abs != 0 && (abs < 1e-3 || abs >= 1e6)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
