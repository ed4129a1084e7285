package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.PlannedRun;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.tables.ResultTables;

/**
 * Forking: a sweep that keeps its checkpoint weights, then runs that start from one of them with a
 * changed field (weight decay off), one run per checkpoint as a grid axis.
 */
class ForkTests {
  static SparkSession spark;
  static Path root;
  static PlannedRun parent;

  static final String PARENT =
      String.join(
          "\n",
          "name: parent",
          "seed: 3",
          "preset: zhong2023",
          "fixed:",
          "  modulus: 11",
          "  d_model: 16",
          "  steps: 40",
          "  lr: 0.01",
          "  log_interval: 10",
          "  checkpoint_interval: 20",
          "analysis:",
          "  keep_checkpoint_weights: true",
          "");

  @BeforeAll
  static void trainTheParent(@TempDir Path dir) throws Exception {
    spark = LocalSpark.builder("ForkTests", 1).getOrCreate();
    root = dir.resolve("results");
    SweepSpec spec = SweepSpecParser.parse(PARENT, "parent.yaml");
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    parent = plan.get(0);
    run(spec, plan);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static void run(SweepSpec spec, List<PlannedRun> plan) throws Exception {
    SweepRunner.run(
        spark,
        spec,
        plan,
        new SweepRunner.Options(
            root.toString(),
            false,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            1000));
  }

  static double trainLoss(String runId, int step) {
    return ResultTables.steps(spark, root.toString())
        .where(functions.col("run_id").equalTo(runId).and(functions.col("step").equalTo(step)))
        .select("train_loss")
        .first()
        .getDouble(0);
  }

  @Test
  void everyCheckpointsWeightsAreKept() {
    Path dir =
        Path.of(ResultTables.checkpointWeightsDir(root.toString(), "parent", parent.runId()));
    assertThat(dir.resolve("step-0.npz")).isRegularFile();
    assertThat(dir.resolve("step-20.npz")).isRegularFile();
    assertThat(dir.resolve("step-40.npz")).isRegularFile();
  }

  @Test
  void aForkStartsExactlyWhereItsParentWasAndGoesItsOwnWay() throws Exception {
    Path dir =
        Path.of(ResultTables.checkpointWeightsDir(root.toString(), "parent", parent.runId()));
    String fork =
        String.join(
            "\n",
            "name: fork",
            "seed: 3",
            "preset: zhong2023",
            "fixed:",
            "  modulus: 11",
            "  d_model: 16",
            "  steps: 20",
            "  lr: 0.01",
            "  log_interval: 10",
            "  weight_decay: 0.0",
            "grid:",
            "  init_weights: ["
                + dir.resolve("step-20.npz")
                + ", "
                + dir.resolve("step-40.npz")
                + "]",
            "");
    SweepSpec spec = SweepSpecParser.parse(fork, "fork.yaml");
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    run(spec, plan);
    // the same weights and the same split (data_seed 3): step 0 of a fork is its parent's
    // checkpoint
    assertThat(trainLoss(plan.get(0).runId(), 0)).isEqualTo(trainLoss(parent.runId(), 20));
    assertThat(trainLoss(plan.get(1).runId(), 0)).isEqualTo(trainLoss(parent.runId(), 40));
    // and then it trains on its own (no weight decay): not the parent's trajectory
    assertThat(trainLoss(plan.get(0).runId(), 20)).isNotEqualTo(trainLoss(parent.runId(), 40));
    Row r =
        ResultTables.runs(spark, root.toString())
            .where(functions.col("run_id").equalTo(plan.get(0).runId()))
            .select("status", "init_weights", "weight_decay")
            .first();
    assertThat(r.getString(0)).isEqualTo("ok");
    assertThat(r.getString(1)).startsWith(dir.resolve("step-20.npz") + "@sha256:");
    assertThat(r.getDouble(2)).isZero();
    assertThat(Files.exists(dir.resolve("step-20.npz"))).isTrue();
  }
}
