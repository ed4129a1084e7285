package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.analysis.ModelReport;
import org.phasemap.worker.degeneracy.DegeneracyAnalysis;
import org.phasemap.worker.degeneracy.DegeneracyOptions;
import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.io.ModelFiles;
import org.phasemap.worker.train.RunOutcome;
import org.phasemap.worker.train.Trainer;

/** {@code phasemap analyze} on an exported model: exit codes, the report and its JSON. */
class AnalyzeCommandTests {
  static RunConfig config;
  static Trainer trainer;

  @TempDir Path tmp;

  @BeforeAll
  static void trainTinyModel() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "zhong2023");
    m.put("modulus", 11);
    m.put("d_model", 8);
    m.put("n_heads", 2);
    m.put("steps", 50);
    m.put("lr", 0.01);
    m.put("log_interval", 50);
    config = RunConfig.fromMap(m);
    trainer = new Trainer(config);
    assertThat(trainer.train(r -> {}).status()).isEqualTo(RunOutcome.OK);
  }

  static double jsonNumber(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE]+)").matcher(json);
    assertThat(m.find()).as(key + " in " + json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void analyzesAnExportedDirectoryAndWritesTheSameMeasuresAsJson() throws Exception {
    Path dir = tmp.resolve("model");
    ModelFiles.export(config, trainer.parameters(), dir);
    Path json = tmp.resolve("out").resolve("report.json");

    MainTests.Outcome o = MainTests.run("analyze", dir.toString(), "--json", json.toString());

    assertThat(o.code()).as(o.err()).isZero();
    ModelReport expected =
        ModelReport.measure(
            config,
            trainer.parameters(),
            AnalysisOptions.defaults(),
            ModelReport.LabelAccuracy.TEST_SPLIT);
    AlgorithmMeasures a = expected.checkpoint().algorithm();
    assertThat(o.out())
        .contains("zhong2023, p = 11, d_model 8, 2 heads (d_head 4), d_mlp 32")
        .contains("96 train / 25 test pairs")
        .contains("key frequencies")
        .contains("restricted loss")
        .contains("gradient symmetricity    " + AnalyzeCommand.num(a.gs()))
        .contains("circularity              " + AnalyzeCommand.num(a.circularity()))
        .contains("label                    " + a.label())
        .contains("Wrote " + json);
    org.phasemap.worker.analysis.DegeneracyMeasures dg = expected.checkpoint().degeneracy();
    assertThat(dg.gramRankMlpIn()).isBetween(1, 8);
    assertThat(dg.gramRankMlpPost()).isBetween(1, 32);
    assertThat(dg.deadNeurons()).isBetween(0, 32);
    assertThat(o.out())
        .contains("Gram rank of MLP input   " + dg.gramRankMlpIn() + " of d_model 8")
        .contains("Gram rank of MLP neurons " + dg.gramRankMlpPost() + " of d_mlp 32")
        .contains("dead neurons             " + dg.deadNeurons() + " of 32");
    String text = Files.readString(json);
    assertThat(text)
        .contains("\"gram_rank_mlp_in\": " + dg.gramRankMlpIn())
        .contains("\"dead_neurons\": " + dg.deadNeurons());
    assertThat(jsonNumber(text, "gs")).isEqualTo(a.gs());
    assertThat(jsonNumber(text, "di_correct")).isEqualTo(a.diCorrect());
    assertThat(jsonNumber(text, "di_maxwrong")).isEqualTo(a.diMaxWrong());
    assertThat(jsonNumber(text, "circularity")).isEqualTo(a.circularity());
    assertThat(text)
        .contains("\"label\": \"" + a.label() + "\"")
        .contains("\"run_id\": \"" + config.runId() + "\"");
  }

  @Test
  void analyzesAnNpzWithAllTriplesAndTheAllPairsAccuracy() throws Exception {
    Path npz = tmp.resolve("model.npz");
    ModelFiles.exportNpz(config, trainer.parameters(), npz);
    MainTests.Outcome o =
        MainTests.run("analyze", npz.toString(), "--gs-triples", "all", "--accuracy-on", "all");
    assertThat(o.code()).as(o.err()).isZero();
    ModelReport expected =
        ModelReport.measure(
            config,
            trainer.parameters(),
            new AnalysisOptions(
                org.phasemap.worker.classify.GsSampling.allTriples(),
                AnalysisOptions.defaults().thresholds(),
                0.85,
                0.01),
            ModelReport.LabelAccuracy.ALL_PAIRS);
    assertThat(o.out())
        .contains("(all p^3 triples)")
        .contains(AnalyzeCommand.num(expected.checkpoint().algorithm().gs()))
        .contains(
            "generalisation checked on all-pairs accuracy "
                + AnalyzeCommand.num(expected.all().accuracy()));
  }

  @Test
  void missingModelExitsWithTwoAndSaysWhatWasExpected() {
    Path nowhere = tmp.resolve("no-such-model");
    MainTests.Outcome o = MainTests.run("analyze", nowhere.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains(
            "phasemap: Cannot load model from "
                + nowhere
                + ": no such directory or .npz file (got "
                + nowhere
                + ")");
  }

  @Test
  void badOptionsAndIncompleteModelsExitWithTwo() throws Exception {
    Path dir = tmp.resolve("model");
    ModelFiles.export(config, trainer.parameters(), dir);
    MainTests.Outcome few = MainTests.run("analyze", dir.toString(), "--gs-triples", "50");
    assertThat(few.code()).isEqualTo(2);
    assertThat(few.err())
        .contains("Cannot analyze: --gs-triples needs at least 1000 triples")
        .contains("(got 50)");
    MainTests.Outcome on = MainTests.run("analyze", dir.toString(), "--accuracy-on", "train");
    assertThat(on.code()).isEqualTo(2);
    assertThat(on.err())
        .contains("Cannot analyze: --accuracy-on must be 'split' or 'all' (got train)");
    Files.delete(dir.resolve("unembed.W_U.npy"));
    MainTests.Outcome missing = MainTests.run("analyze", dir.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("missing tensor unembed.W_U");
  }

  @Test
  void helpListsAnalyzeAndExport() {
    MainTests.Outcome o = MainTests.run("--help");
    assertThat(o.out()).contains("analyze", "export");
    assertThat(MainTests.run("export", "--help").out())
        .contains("Usage: phasemap export", "--retrain");
  }

  /** {@code phasemap analyze DIR --degeneracy --json JSON --plots PLOTS}. */
  private static MainTests.Outcome analyzeDegeneracy(Path dir, Path json, Path plots) {
    return MainTests.run(
        "analyze",
        dir.toString(),
        "--degeneracy",
        "--json",
        json.toString(),
        "--plots",
        plots.toString());
  }

  @Test
  void measuresDegeneracyOnRequestAndWritesItToTheJson() throws Exception {
    Path dir = tmp.resolve("model");
    ModelFiles.export(config, trainer.parameters(), dir);
    Path json = tmp.resolve("degeneracy.json");

    Path plots = tmp.resolve("plots");
    MainTests.Outcome o = analyzeDegeneracy(dir, json, plots);

    assertThat(o.code()).as(o.err()).isZero();
    DegeneracyReport expected =
        DegeneracyAnalysis.of(config, trainer.parameters(), DegeneracyOptions.defaults());
    assertThat(o.out())
        .contains("Degeneracy over 121 inputs")
        .contains("resid_pre")
        .contains("mlp_hidden")
        .contains("logits");
    assertThat(plots.resolve("degeneracy_ablation.png")).isNotEmptyFile();
    assertThat(Files.readString(plots.resolve("degeneracy_ablation.svg"))).contains("mlp_hidden");
    assertThat(plots.resolve("degeneracy_graph.png")).isNotEmptyFile();
    assertThat(Files.readString(plots.resolve("degeneracy_graph.svg")))
        .contains("interaction graph")
        .contains("resid_pre")
        .contains(expected.interactionGraph().edgesTotal() + " edges");
    assertThat(o.out())
        .contains("interaction graph: " + expected.interactionGraph().edgesTotal() + " edges");
    String text = Files.readString(json);
    assertThat(text).contains("\"degeneracy\"").contains("\"directions_needed\"");
    assertThat(text).contains("\"interaction_graph\"");
    assertThat((int) jsonNumber(text, "edges_total"))
        .isEqualTo(expected.interactionGraph().edgesTotal());
    assertThat((int) jsonNumber(text, "edges_needed"))
        .isEqualTo(expected.interactionGraph().edgesNeeded());
    assertThat(jsonNumber(text, "modularity")).isEqualTo(expected.interactionGraph().modularity());
    assertThat((int) jsonNumber(text, "communities"))
        .isEqualTo(expected.interactionGraph().communities());
    Matcher m =
        Pattern.compile(
                "\"name\": \"resid_mid\",\\s+\"width\": 8,\\s+\"positions\": \\d+,"
                    + "\\s+\"gram_rank\": (\\d+)")
            .matcher(text);
    assertThat(m.find()).as("resid_mid in " + text).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(expected.layer("resid_mid").gramRank());
  }

  /**
   * A two-layer model (ten training steps): the report, its JSON and its plots have the eight node
   * layers, named by block, with the numbers of the in-process analysis.
   */
  @Test
  void measuresTheDegeneracyOfATwoLayerModel() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>(config.toMap());
    m.put("n_layers", 2);
    m.put("steps", 10);
    m.put("log_interval", 10);
    RunConfig two = RunConfig.fromMap(m);
    Trainer twoTrainer = new Trainer(two);
    assertThat(twoTrainer.train(r -> {}).status()).isEqualTo(RunOutcome.OK);
    Path dir = tmp.resolve("two-layers");
    ModelFiles.export(two, twoTrainer.parameters(), dir);
    Path json = tmp.resolve("two-layers.json");
    Path plots = tmp.resolve("two-layers-plots");

    MainTests.Outcome o = analyzeDegeneracy(dir, json, plots);

    assertThat(o.code()).as(o.err()).isZero();
    DegeneracyReport expected =
        DegeneracyAnalysis.of(two, twoTrainer.parameters(), DegeneracyOptions.defaults());
    assertThat(expected.layers()).hasSize(8);
    assertThat(o.out())
        .contains("Degeneracy over 121 inputs")
        .contains("resid_pre.0")
        .contains("resid_post.0")
        .contains("mlp_hidden.1")
        .contains("interaction graph: " + expected.interactionGraph().edgesTotal() + " edges");
    String text = Files.readString(json);
    for (String layer : new String[] {"resid_mid.0", "mlp_hidden.1"}) {
      Matcher g =
          Pattern.compile(
                  "\"name\": \""
                      + Pattern.quote(layer)
                      + "\",\\s+\"width\": \\d+,\\s+\"positions\": (\\d+),"
                      + "\\s+\"gram_rank\": (\\d+)")
              .matcher(text);
      assertThat(g.find()).as(layer + " in " + text).isTrue();
      assertThat(Integer.parseInt(g.group(1))).isEqualTo(expected.layer(layer).positions());
      assertThat(Integer.parseInt(g.group(2))).isEqualTo(expected.layer(layer).gramRank());
    }
    assertThat(expected.layer("resid_mid.0").positions()).isEqualTo(2);
    assertThat(Files.readString(plots.resolve("degeneracy_ablation.svg")))
        .contains("mlp_hidden.0")
        .contains("mlp_hidden.1");
    assertThat(Files.readString(plots.resolve("degeneracy_graph.svg"))).contains("resid_post.1");
    assertThat((int) jsonNumber(text, "edges_total"))
        .isEqualTo(expected.interactionGraph().edgesTotal());
  }

  @Test
  void withoutTheFlagTheReportHasNoDegeneracySection() throws Exception {
    Path dir = tmp.resolve("plain");
    ModelFiles.export(config, trainer.parameters(), dir);

    MainTests.Outcome o = MainTests.run("analyze", dir.toString());

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).doesNotContain("Degeneracy over");
  }
}
