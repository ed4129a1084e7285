package org.phasemap.driver.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.LocalSpark;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.jobs.curves.CurvesChart;
import org.phasemap.jobs.curves.Phases;
import org.phasemap.jobs.curves.RunCurves;
import org.phasemap.jobs.curves.StepPoint;
import org.phasemap.tables.Column;
import org.phasemap.tables.IbDirectionsTable;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;

/**
 * {@code analysis.interaction_basis}: the degeneracy scalars land in {@code steps} at every
 * checkpoint and in {@code runs} for the final step, and stay null in a sweep that does not ask.
 */
class InteractionBasisSweepTests {
  static SparkSession spark;
  static Path root;

  static String spec(String name, boolean basis) {
    return spec(name, basis, 1);
  }

  static String spec(String name, boolean basis, int layers) {
    return spec(name, basis, layers, false);
  }

  static String spec(String name, boolean basis, int layers, boolean graph) {
    return String.join(
        "\n",
        "name: " + name,
        "seed: 5",
        "preset: zhong2023",
        "fixed:",
        "  modulus: 11",
        "  d_model: 8",
        "  n_heads: 2",
        "  n_layers: " + layers,
        "  steps: 40",
        "  lr: 0.01",
        "  log_interval: 10",
        "  checkpoint_interval: 20",
        "analysis:",
        "  interaction_basis: " + basis,
        graph ? "  interaction_graph: true\n" : "");
  }

  @BeforeAll
  static void runBothSweeps(@TempDir Path dir) throws Exception {
    spark = LocalSpark.builder("InteractionBasisSweepTests", 1).getOrCreate();
    root = dir.resolve("results");
    for (String name : List.of("with", "without", "deep", "graph")) {
      SweepSpec spec =
          SweepSpecParser.parse(
              spec(
                  name, !name.equals("without"), name.equals("deep") ? 2 : 1, name.equals("graph")),
              name + ".yaml");
      SweepRunner.run(
          spark,
          spec,
          SweepPlanner.expand(spec),
          new SweepRunner.Options(
              root.toString(),
              false,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              1000));
    }
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static List<Row> checkpoints(String sweep) {
    return checkpoints(
        sweep,
        StepsTable.STEP,
        StepsTable.GRAM_RANKS,
        StepsTable.IB_KEPT,
        StepsTable.IB_NEEDED,
        StepsTable.PCA_NEEDED,
        StepsTable.SYNC_GROUPS);
  }

  /** The checkpoint rows of a sweep, in step order, with the given columns. */
  @SafeVarargs
  static List<Row> checkpoints(String sweep, Column<StepsTable.Row>... columns) {
    return ResultTables.steps(spark, root.toString())
        .where(
            functions
                .col(ResultTables.SWEEP)
                .equalTo(sweep)
                .and(functions.col(StepsTable.IS_CHECKPOINT.name())))
        .orderBy(StepsTable.STEP.name())
        .selectExpr(java.util.Arrays.stream(columns).map(Column::name).toArray(String[]::new))
        .collectAsList();
  }

  @Test
  void everyCheckpointCarriesTheDegeneracyOfItsFiveNodeLayers() {
    List<Row> rows = checkpoints("with");
    assertThat(rows).extracting(r -> r.getInt(0)).containsExactly(0, 20, 40);
    for (Row r : rows) {
      List<Integer> ranks = r.getList(1);
      List<Integer> kept = r.getList(2);
      assertThat(ranks).hasSize(5);
      assertThat(kept).hasSize(5);
      assertThat(r.<Integer>getList(3)).hasSize(5);
      assertThat(r.<Integer>getList(4)).hasSize(5);
      // the output layer (p = 11 logits, centred) uses at most p - 1 directions
      assertThat(ranks.get(4)).isBetween(1, 10);
      for (int l = 0; l < 5; l++) {
        assertThat(kept.get(l))
            .as("kept ≤ Gram rank at layer " + l)
            .isLessThanOrEqualTo(ranks.get(l));
      }
      assertThat(r.isNullAt(5)).isFalse();
    }
  }

  @Test
  void theRunsRowHasTheFinalStepsMlpNumbers() {
    Row run =
        ResultTables.runs(spark, root.toString())
            .where(functions.col(ResultTables.SWEEP).equalTo("with"))
            .select(
                RunsTable.FINAL_IB_KEPT_MLP.name(),
                RunsTable.FINAL_IB_NEEDED_MLP.name(),
                RunsTable.FINAL_PCA_NEEDED_MLP.name(),
                RunsTable.FINAL_SYNC_GROUPS.name())
            .first();
    Row last = checkpoints("with").get(2);
    assertThat(run.getInt(0)).isEqualTo(last.<Integer>getList(2).get(2));
    assertThat(run.getInt(1)).isEqualTo(last.<Integer>getList(3).get(2));
    assertThat(run.getInt(2)).isEqualTo(last.<Integer>getList(4).get(2));
    assertThat(run.getInt(3)).isEqualTo(last.getInt(5));
  }

  @Test
  void aSweepThatDoesNotAskHasNullsThere() {
    for (Row r : checkpoints("without")) {
      assertThat(r.isNullAt(1)).isTrue();
      assertThat(r.isNullAt(5)).isTrue();
    }
    Row run =
        ResultTables.runs(spark, root.toString())
            .where(functions.col(ResultTables.SWEEP).equalTo("without"))
            .select(RunsTable.FINAL_IB_NEEDED_MLP.name())
            .first();
    assertThat(run.isNullAt(0)).isTrue();
  }

  @Test
  void everyDirectionIsARowOfItsOwnTable() {
    List<Row> checkpoints = checkpoints("with");
    Row last = checkpoints.get(2);
    List<Row> mlp =
        ResultTables.table(spark, root.toString(), IbDirectionsTable.TABLE)
            .where(
                functions
                    .col(IbDirectionsTable.STEP.name())
                    .equalTo(40)
                    .and(functions.col(IbDirectionsTable.LAYER.name()).equalTo("mlp_hidden"))
                    .and(functions.col(ResultTables.SWEEP).equalTo("with")))
            .groupBy(IbDirectionsTable.BASIS.name())
            .count()
            .orderBy(IbDirectionsTable.BASIS.name())
            .collectAsList();
    // one row per kept interaction direction and per PCA direction (Gram rank) of the layer
    assertThat(mlp).extracting(r -> r.getString(0)).containsExactly("interaction", "pca");
    assertThat(mlp.get(0).getLong(1)).isEqualTo(last.<Integer>getList(2).get(2).longValue());
    assertThat(mlp.get(1).getLong(1)).isEqualTo(last.<Integer>getList(1).get(2).longValue());
    assertThat(
            java.nio.file.Files.exists(
                Path.of(
                    ResultTables.sweepDir(
                        ResultTables.ibDirectionsDir(root.toString()), "without"))))
        .as("a sweep that does not ask writes no file")
        .isFalse();
  }

  /** Number of panels of a run's curves chart. */
  static int panels(RunCurves run) {
    return ((org.jfree.chart.plot.CombinedDomainXYPlot)
            CurvesChart.of(run, Phases.of(run.points())).getXYPlot())
        .getSubplots()
        .size();
  }

  @Test
  void curvesShowTheMlpDirectionsNeededOverTraining() {
    String runId =
        ResultTables.runs(spark, root.toString())
            .where(functions.col(ResultTables.SWEEP).equalTo("with"))
            .select(RunsTable.RUN_ID.name())
            .first()
            .getString(0);
    RunCurves curves = RunCurves.load(spark, root.toString(), runId, "with");
    List<Row> checkpoints = checkpoints("with");
    for (Row cp : checkpoints) {
      StepPoint point =
          curves.points().stream()
              .filter(pt -> pt.step() == cp.getInt(0))
              .findFirst()
              .orElseThrow();
      assertThat(point.ibNeededMlp())
          .isEqualTo(cp.<Integer>getList(3).get(StepsTable.MLP_HIDDEN).doubleValue());
      assertThat(point.pcaNeededMlp())
          .isEqualTo(cp.<Integer>getList(4).get(StepsTable.MLP_HIDDEN).doubleValue());
    }
    RunCurves without =
        RunCurves.load(
            spark,
            root.toString(),
            ResultTables.runs(spark, root.toString())
                .where(functions.col(ResultTables.SWEEP).equalTo("without"))
                .select(RunsTable.RUN_ID.name())
                .first()
                .getString(0),
            "without");
    assertThat(panels(curves)).isEqualTo(panels(without) + 1);
  }

  /**
   * A two-layer model: the arrays have one entry per node layer (8), the runs row and the curves
   * take the last block's MLP (third from the end), and its directions are rows under its name.
   */
  @Test
  void aTwoLayerModelFillsEveryNodeLayerAndTheLastBlocksMlpColumns() {
    List<Row> rows = checkpoints("deep");
    assertThat(rows).extracting(r -> r.getInt(0)).containsExactly(0, 20, 40);
    for (Row r : rows) {
      for (int c = 1; c <= 4; c++) {
        assertThat(r.<Integer>getList(c)).as("column " + c).hasSize(8);
      }
      assertThat(r.isNullAt(5)).isFalse();
    }
    Row last = rows.get(2);
    int mlp = 8 - StepsTable.MLP_HIDDEN_FROM_END;
    Row run =
        ResultTables.runs(spark, root.toString())
            .where(functions.col(ResultTables.SWEEP).equalTo("deep"))
            .select(
                RunsTable.FINAL_IB_KEPT_MLP.name(),
                RunsTable.FINAL_IB_NEEDED_MLP.name(),
                RunsTable.FINAL_PCA_NEEDED_MLP.name(),
                RunsTable.FINAL_SYNC_GROUPS.name(),
                RunsTable.RUN_ID.name())
            .first();
    assertThat(run.getInt(0)).isEqualTo(last.<Integer>getList(2).get(mlp));
    assertThat(run.getInt(1)).isEqualTo(last.<Integer>getList(3).get(mlp));
    assertThat(run.getInt(2)).isEqualTo(last.<Integer>getList(4).get(mlp));
    assertThat(run.getInt(3)).isEqualTo(last.getInt(5));
    RunCurves curves = RunCurves.load(spark, root.toString(), run.getString(4), "deep");
    StepPoint point =
        curves.points().stream().filter(pt -> pt.step() == 40).findFirst().orElseThrow();
    assertThat(point.ibNeededMlp()).isEqualTo(last.<Integer>getList(3).get(mlp).doubleValue());
    long directions =
        ResultTables.table(spark, root.toString(), IbDirectionsTable.TABLE)
            .where(
                functions
                    .col(IbDirectionsTable.STEP.name())
                    .equalTo(40)
                    .and(functions.col(IbDirectionsTable.LAYER.name()).equalTo("mlp_hidden.1"))
                    .and(functions.col(IbDirectionsTable.BASIS.name()).equalTo("interaction")))
            .count();
    assertThat(directions).isEqualTo(last.<Integer>getList(2).get(mlp).longValue());
  }

  @Test
  void theInteractionGraphLandsInStepsRunsAndItsOwnTableOnlyWhenAskedFor() {
    ResultTables.register(spark, root.toString());
    List<Row> rows =
        checkpoints(
            "graph",
            StepsTable.STEP,
            StepsTable.IB_KEPT,
            StepsTable.IB_EDGES_TOTAL,
            StepsTable.IB_EDGES_NEEDED,
            StepsTable.IB_MODULARITY,
            StepsTable.IB_COMMUNITIES,
            StepsTable.RUN_ID);
    assertThat(rows).extracting(r -> r.getInt(0)).containsExactly(0, 20, 40);
    for (Row r : rows) {
      List<Integer> kept = r.getList(1);
      int total = 0;
      for (int l = 0; l + 1 < kept.size(); l++) {
        total += kept.get(l) * kept.get(l + 1);
      }
      assertThat(r.getInt(2)).as("edges of step " + r.getInt(0)).isEqualTo(total).isPositive();
      assertThat(r.getInt(3)).isBetween(0, total);
      assertThat(r.getDouble(4)).isBetween(-0.5, 1.0);
      assertThat(r.getInt(5)).isPositive();
      // every edge is a row of ib_edges, ranked 0 .. total - 1
      Row edges =
          spark
              .sql(
                  "SELECT count(*), min(rank), max(rank), count(DISTINCT rank), min(weight) FROM "
                      + ResultTables.IB_EDGES
                      + " WHERE run_id = '"
                      + r.getString(6)
                      + "' AND step = "
                      + r.getInt(0))
              .first();
      assertThat(edges.getLong(0)).isEqualTo(total);
      assertThat(edges.getInt(1)).isZero();
      assertThat(edges.getInt(2)).isEqualTo(total - 1);
      assertThat(edges.getLong(3)).isEqualTo(total);
      assertThat(edges.getDouble(4)).isGreaterThanOrEqualTo(0.0);
    }
    Row last = rows.get(rows.size() - 1);
    Row run =
        ResultTables.runs(spark, root.toString())
            .where(functions.col(ResultTables.SWEEP).equalTo("graph"))
            .select(RunsTable.FINAL_IB_EDGES_NEEDED.name(), RunsTable.FINAL_IB_MODULARITY.name())
            .first();
    assertThat(run.getInt(0)).isEqualTo(last.getInt(3));
    assertThat(run.getDouble(1)).isEqualTo(last.getDouble(4));
    // curves: the edges needed at every checkpoint, in a panel of their own
    RunCurves curves = RunCurves.load(spark, root.toString(), last.getString(6), "graph");
    for (Row cp : rows) {
      assertThat(
              curves.points().stream()
                  .filter(pt -> pt.step() == cp.getInt(0))
                  .findFirst()
                  .orElseThrow()
                  .ibEdgesNeeded())
          .isEqualTo(cp.getInt(3));
    }
    RunCurves basisOnly =
        RunCurves.load(spark, root.toString(), last.getString(6), "with"); // same config
    assertThat(basisOnly.points()).allSatisfy(pt -> assertThat(pt.ibEdgesNeeded()).isNaN());
    assertThat(panels(curves)).isEqualTo(panels(basisOnly) + 1);
    // the basis alone leaves the graph out
    assertThat(
            spark
                .sql(
                    "SELECT count(ib_edges_total) FROM steps WHERE sweep = 'with' AND is_checkpoint")
                .first()
                .getLong(0))
        .isZero();
    assertThat(spark.sql("SELECT count(*) FROM ib_edges WHERE sweep <> 'graph'").first().getLong(0))
        .isZero();
  }

  @Test
  void theGraphWithoutTheBasisIsRefusedWithTheFieldNamed() {
    String yaml = spec("bad", false, 1, true);
    assertThatThrownBy(() -> SweepSpecParser.parse(yaml, "bad.yaml"))
        .hasMessageContaining(
            "analysis.interaction_graph: true needs analysis.interaction_basis: true");
  }
}
