package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
import org.phasemap.driver.spec.SweepSpecException;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.tables.ResultTables;

/**
 * A sweep that starts from given weights and a given split (the independent implementation's
 * fixture, ../shared/fixtures/reference-trajectories): the content hashes make the run id, the runs
 * table records the files, training follows the reference, and {@code phasemap replay} reproduces
 * the stored steps bit for bit.
 */
class RunInputsAndReplayTests {
  static SparkSession spark;
  static Path root;
  static Path fixture;
  static PlannedRun run;

  static Path fixtureDir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path f = d.resolve("shared/fixtures/reference-trajectories/zhong-p23-d32-a0.5-f64");
      if (Files.isDirectory(f)) {
        return f;
      }
    }
    throw new IllegalStateException("Cannot find shared/fixtures beside the project root");
  }

  static String spec(String init, String split) {
    return String.join(
        "\n",
        "name: from-files",
        "preset: zhong2023",
        "fixed:",
        "  modulus: 23",
        "  d_model: 32",
        "  attention_rate: 0.5",
        "  precision: float64",
        "  steps: 20",
        "  log_interval: 1",
        "  init_weights: " + init,
        "  split: " + split,
        "");
  }

  @BeforeAll
  static void train(@TempDir Path dir) throws Exception {
    fixture = fixtureDir();
    spark = LocalSpark.builder("RunInputsAndReplayTests", 1).getOrCreate();
    SweepSpec s =
        SweepSpecParser.parse(
            spec(fixture.resolve("init").toString(), fixture.toString()), "t.yaml");
    List<PlannedRun> plan = SweepPlanner.expand(s);
    run = plan.get(0);
    root = dir.resolve("results");
    SweepRunner.run(
        spark,
        s,
        plan,
        new SweepRunner.Options(
            root.toString(),
            false,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            1000));
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void theRunsTableRecordsTheFilesAndTheRunFollowsTheReference() throws Exception {
    Row r =
        ResultTables.runs(spark, root.toString())
            .where(functions.col("run_id").equalTo(run.runId()))
            .select("status", "init_weights", "split")
            .first();
    assertThat(r.getString(0)).isEqualTo("ok");
    assertThat(r.getString(1)).startsWith(fixture.resolve("init").toString() + "@sha256:");
    assertThat(r.getString(2)).startsWith(fixture + "@sha256:");
    List<Row> steps =
        ResultTables.steps(spark, root.toString())
            .where(functions.col("run_id").equalTo(run.runId()))
            .orderBy("step")
            .select("step", "train_loss", "test_loss")
            .collectAsList();
    List<String> ref = Files.readAllLines(fixture.resolve("trajectory.csv"));
    assertThat(steps).hasSize(21);
    for (Row s : steps) {
      String[] e = ref.get(s.getInt(0) + 1).split(",");
      assertThat(Math.abs(s.getDouble(1) / Double.parseDouble(e[1]) - 1))
          .as("train loss at %d", s.getInt(0))
          .isLessThan(1e-9);
      assertThat(Math.abs(s.getDouble(2) / Double.parseDouble(e[2]) - 1))
          .as("test loss at %d", s.getInt(0))
          .isLessThan(1e-9);
    }
  }

  @Test
  void theRunIdFollowsTheContentNotThePath(@TempDir Path tmp) throws Exception {
    Path copy = tmp.resolve("copy");
    copyTree(fixture.resolve("init"), copy.resolve("init"));
    Files.copy(fixture.resolve("train_rows.npy"), copy.resolve("train_rows.npy"));
    Files.copy(fixture.resolve("test_rows.npy"), copy.resolve("test_rows.npy"));
    // relative paths resolve against the spec's folder
    SweepSpec moved = SweepSpecParser.parse(spec("init", "."), "t.yaml", copy);
    assertThat(SweepPlanner.expand(moved).get(0).runId()).isEqualTo(run.runId());

    Files.copy(fixture.resolve("test_rows.npy"), copy.resolve("init/extra.npy")); // other content
    SweepSpec changed = SweepSpecParser.parse(spec("init", "."), "t.yaml", copy);
    assertThat(SweepPlanner.expand(changed).get(0).runId()).isNotEqualTo(run.runId());
  }

  @Test
  void aMissingFileIsReportedAtItsPlaceInTheSpec(@TempDir Path tmp) {
    assertThatThrownBy(() -> SweepSpecParser.parse(spec("nowhere", "."), "t.yaml", tmp))
        .isInstanceOf(SweepSpecException.class)
        .hasMessageContaining("fixed.init_weights")
        .hasMessageContaining(tmp.resolve("nowhere") + " does not exist");
    assertThatThrownBy(
            () ->
                SweepSpecParser.parse(spec(fixture.resolve("init").toString(), "."), "t.yaml", tmp))
        .isInstanceOf(SweepSpecException.class)
        .hasMessageContaining("fixed.split")
        .hasMessageContaining("has no test_rows.npy");
  }

  @Test
  void replayReproducesTheStoredStepsBitForBit() throws Exception {
    ReplayCommand c = new ReplayCommand();
    c.root = root.toString();
    c.runId = run.runId();
    assertThat(c.replay(spark)).isZero();
  }

  @Test
  void replayReportsTheFirstDifference() {
    List<Row> stored =
        ResultTables.steps(spark, root.toString())
            .where(functions.col("run_id").equalTo(run.runId()))
            .orderBy("step")
            .collectAsList();
    assertThat(ReplayCommand.firstDifference(stored, new ArrayList<>()))
        .isEqualTo("the stored run has 21 logged steps, the replay 0");
  }

  static void copyTree(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
