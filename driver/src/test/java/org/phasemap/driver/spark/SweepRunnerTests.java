package org.phasemap.driver.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.LocalSpark;
import org.phasemap.driver.spec.PlannedRun;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.jobs.SqlQuery;
import org.phasemap.tables.ResultTables;
import org.phasemap.worker.io.ModelFiles;

/**
 * End to end on a real local Spark: a tiny sweep is planned, trained with DL4J in Spark tasks,
 * written by the executors to Parquet, and read back through Spark SQL.
 */
public class SweepRunnerTests {
  /** A sweep of four tiny runs (p = 11, width 8, 30 steps) that trains in seconds. */
  public static final String SPEC =
      String.join(
          "\n",
          "name: tiny",
          "seed: 3",
          "preset: zhong2023",
          "fixed:",
          "  modulus: 11",
          "  d_model: 8",
          "  n_heads: 2",
          "  steps: 30",
          "  lr: 0.01",
          "  log_interval: 10",
          "grid:",
          "  attention_rate: [0.0, 1.0]",
          "  init_seed: [0, 1]",
          "");

  static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark =
        LocalSpark.builder("SweepRunnerTests", 2)
            .config("spark.executor.heartbeatInterval", "1s")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static SweepRunner.Result run(SweepSpec spec, String root, boolean retryFailed) throws Exception {
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    return SweepRunner.run(
        spark,
        spec,
        plan,
        new SweepRunner.Options(
            root, retryFailed, new PrintStream(console, true, StandardCharsets.UTF_8), 1000));
  }

  @Test
  void trainsEveryRunAndWritesBothTablesOnce() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    String root = tmp.resolve("results").toUri().toString();
    SweepRunner.Result r = run(spec, root, false);

    assertThat(r.executed()).isEqualTo(4);
    assertThat(r.statusCounts()).containsEntry("ok", 4).hasSize(1);
    List<Row> runs =
        SqlQuery.run(
                spark,
                root,
                "SELECT run_id, sweep, attention_rate, init_seed, data_seed, status, steps_completed, "
                    + "final_step, final_train_loss, spark_app_id, nd4j_version, code_version, config_json "
                    + "FROM runs ORDER BY attention_rate, init_seed")
            .collectAsList();
    assertThat(runs).hasSize(4);
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    for (int i = 0; i < 4; i++) {
      Row row = runs.get(i);
      assertThat(row.getString(0)).isEqualTo(plan.get(i).runId());
      assertThat(row.getString(1)).isEqualTo("tiny");
      assertThat(row.getDouble(2)).isEqualTo(plan.get(i).config().attentionRate());
      assertThat(row.getLong(3)).isEqualTo(plan.get(i).config().initSeed());
      assertThat(row.getLong(4)).isEqualTo(3L); // data_seed defaults to the sweep seed
      assertThat(row.getString(5)).isEqualTo("ok");
      assertThat(row.getInt(6)).isEqualTo(30);
      assertThat(row.getInt(7)).isEqualTo(30);
      assertThat(row.getDouble(8)).isPositive();
      assertThat(row.getString(9)).isEqualTo(spark.sparkContext().applicationId());
      assertThat(row.getString(10)).isEqualTo("1.0.0-M2.1");
      assertThat(row.getString(11)).isNotBlank();
      assertThat(row.getString(12))
          .contains("\"attention_rate\": " + plan.get(i).config().attentionRate());
      // every run's final weights, committed beside the tables, load back as its model
      Path weights =
          Path.of(
              ResultTables.weightsFile(
                  tmp.resolve("results").toString(), "tiny", plan.get(i).runId()));
      ModelFiles.Loaded model = ModelFiles.loadNpz(weights);
      assertThat(model.config()).isEqualTo(plan.get(i).config());
      assertThat(Double.isFinite(model.parameters().sumOfSquares())).isTrue();
    }
    // steps: rows at 0, 10, 20, 30 for each run; the logged loss at step 0 is about ln 11
    Row counts =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*), count(DISTINCT run_id, step), min(step), max(step), "
                    + "avg(CASE WHEN step = 0 THEN train_loss END) FROM steps")
            .first();
    assertThat(counts.getLong(0)).isEqualTo(16);
    assertThat(counts.getLong(1)).isEqualTo(16);
    assertThat(counts.getInt(2)).isZero();
    assertThat(counts.getInt(3)).isEqualTo(30);
    assertThat(counts.getDouble(4)).isBetween(Math.log(11) - 0.3, Math.log(11) + 0.3);
    // the final step's train loss in steps equals the runs table's final loss
    Row joined =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*) FROM steps s JOIN runs r USING (run_id) "
                    + "WHERE s.step = r.final_step AND s.train_loss = r.final_train_loss")
            .first();
    assertThat(joined.getLong(0)).isEqualTo(4);
    // every run learned something: its final train loss is below its loss at initialisation
    Row learned =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*) FROM steps a JOIN steps b ON a.run_id = b.run_id "
                    + "WHERE a.step = 0 AND b.step = 30 AND b.train_loss < a.train_loss")
            .first();
    assertThat(learned.getLong(0)).isEqualTo(4);
    // Gram ranks and dead neurons at every checkpoint (here only the last step: no
    // checkpoint_interval), within the layer widths (d_model 8, d_mlp 512), and in runs as final_*
    Row degeneracy =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*) FILTER (WHERE is_checkpoint), count(gram_rank_mlp_in), "
                    + "count(gram_rank_mlp_post), count(dead_neurons), min(gram_rank_mlp_in), "
                    + "max(gram_rank_mlp_in), min(gram_rank_mlp_post), max(gram_rank_mlp_post), "
                    + "min(dead_neurons), max(dead_neurons), count(*) FILTER (WHERE NOT is_checkpoint "
                    + "AND gram_rank_mlp_in IS NOT NULL) FROM steps")
            .first();
    assertThat(degeneracy.getLong(0)).isEqualTo(4);
    assertThat(degeneracy.getLong(1)).isEqualTo(4);
    assertThat(degeneracy.getLong(2)).isEqualTo(4);
    assertThat(degeneracy.getLong(3)).isEqualTo(4);
    assertThat(degeneracy.getInt(4)).isPositive();
    assertThat(degeneracy.getInt(5)).isLessThanOrEqualTo(8);
    assertThat(degeneracy.getInt(6)).isPositive();
    // at most the number of distinct inputs (121) and d_mlp: the Gram rank is bounded by both
    assertThat(degeneracy.getInt(7)).isLessThanOrEqualTo(121);
    assertThat(degeneracy.getInt(8)).isGreaterThanOrEqualTo(0);
    assertThat(degeneracy.getInt(9)).isLessThanOrEqualTo(512);
    assertThat(degeneracy.getLong(10)).isZero();
    Row finals =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*) FROM steps s JOIN runs r USING (run_id) WHERE s.step = r.final_step "
                    + "AND s.gram_rank_mlp_in = r.final_gram_rank_mlp_in "
                    + "AND s.gram_rank_mlp_post = r.final_gram_rank_mlp_post "
                    + "AND s.dead_neurons = r.final_dead_neurons")
            .first();
    assertThat(finals.getLong(0)).isEqualTo(4);
    // the tables are plain Iceberg tables: Iceberg's own reader, without Spark, sees the same rows
    var hadoop = spark.sparkContext().hadoopConfiguration();
    var tables = new org.apache.iceberg.hadoop.HadoopTables(hadoop);
    List<String> ids = new java.util.ArrayList<>();
    try (var rows =
        org.apache.iceberg.data.IcebergGenerics.read(
                tables.load(ResultTables.tableLocation(root, "runs")))
            .select("run_id", "sweep", "status")
            .build()) {
      for (var row : rows) {
        assertThat(row.getField("sweep")).isEqualTo("tiny");
        assertThat(row.getField("status")).isEqualTo("ok");
        ids.add((String) row.getField("run_id"));
      }
    }
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(plan.stream().map(PlannedRun::runId).toList());
    long stepRows = 0;
    try (var rows =
        org.apache.iceberg.data.IcebergGenerics.read(
                tables.load(ResultTables.tableLocation(root, "steps")))
            .build()) {
      for (var ignored : rows) {
        stepRows++;
      }
    }
    assertThat(stepRows).isEqualTo(16);
  }

  @Test
  void resumeTrainsOnlyMissingRunsAndNeverDuplicates() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    String root = tmp.resolve("resume").toString();
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    // a sweep stopped after three of its runs were committed
    SweepRunner.Result first =
        SweepRunner.run(
            spark, spec, plan.subList(0, 3), options(root, false, new ByteArrayOutputStream()));
    assertThat(first.executed()).isEqualTo(3);

    SweepRunner.Result resumed = run(spec, root, false);
    assertThat(resumed.skipped()).isEqualTo(3);
    assertThat(resumed.executed()).isEqualTo(1);
    SweepRunner.Result again = run(spec, root, false);
    assertThat(again.executed()).isZero();
    assertThat(again.skipped()).isEqualTo(4);
    assertOnceEach(root, 4, 16);
  }

  static SweepRunner.Options options(
      String root, boolean retryFailed, ByteArrayOutputStream console) {
    return new SweepRunner.Options(
        root, retryFailed, new PrintStream(console, true, StandardCharsets.UTF_8), 1000);
  }

  /** The root holds {@code runs} runs and {@code steps} steps, each once per sweep. */
  static void assertOnceEach(String root, long runs, long steps) {
    Row counts =
        SqlQuery.run(
                spark,
                root,
                "SELECT (SELECT count(*) FROM runs), (SELECT count(DISTINCT sweep, run_id) FROM runs), "
                    + "(SELECT count(*) FROM steps), "
                    + "(SELECT count(DISTINCT sweep, run_id, step) FROM steps)")
            .first();
    assertThat(counts.getLong(0)).isEqualTo(runs);
    assertThat(counts.getLong(1)).isEqualTo(runs);
    assertThat(counts.getLong(2)).isEqualTo(steps);
    assertThat(counts.getLong(3)).isEqualTo(steps);
  }

  @Test
  void aDriverStoppedBetweenCommitsLeavesNoRowsVisibleAndTheNextRunTakesThemOut() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    String root = tmp.resolve("between").toString();
    System.setProperty("phasemap.commitFault", "stop-before-runs");
    try {
      assertThatThrownBy(() -> run(spec, root, false))
          .hasMessageContaining("injected stop before the runs commit");
    } finally {
      System.clearProperty("phasemap.commitFault");
    }
    // the steps were committed, their runs were not: the steps table holds them for now
    assertThat(
            spark.read().format("iceberg").load(ResultTables.tableLocation(root, "steps")).count())
        .isEqualTo(16);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.Result again =
        SweepRunner.run(spark, spec, SweepPlanner.expand(spec), options(root, false, console));
    assertThat(again.executed()).isEqualTo(4);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("Took out the rows of 1 batch whose runs were never committed");
    assertOnceEach(root, 4, 16);
  }

  @Test
  void aCompleteBatchWhoseMarkerWasLeftIsKeptEvenAfterItsHistoryWasExpired() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    String root = tmp.resolve("kept").toString();
    System.setProperty("phasemap.commitFault", "keep-marker");
    try {
      run(spec, root, false);
    } finally {
      System.clearProperty("phasemap.commitFault");
    }
    // another sweep commits and the runs table's history is cut to its last snapshot, as a
    // compaction does: the batch id of the first sweep's commit is no longer in any snapshot
    run(
        SweepSpecParser.parse(SPEC.replace("name: tiny", "name: other"), "other.yaml"),
        root,
        false);
    var runs =
        new org.apache.iceberg.hadoop.HadoopTables(spark.sparkContext().hadoopConfiguration())
            .load(ResultTables.tableLocation(root, "runs"));
    runs.expireSnapshots().expireOlderThan(System.currentTimeMillis()).retainLast(1).commit();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.Result again =
        SweepRunner.run(spark, spec, SweepPlanner.expand(spec), options(root, false, console));
    assertThat(again.executed()).isZero();
    assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("Took out");
    assertOnceEach(root, 8, 32);
    assertThat(Path.of(ResultTables.icebergDir(root), "_pending", "sweep=tiny")).isEmptyDirectory();
  }

  @Test
  void aRelativeRootWorksAndItsTablesRecordAbsolutePaths() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    Path relative = Path.of("target", "relative-root-" + System.nanoTime());
    try {
      assertThat(run(spec, relative.toString(), false).executed()).isEqualTo(4);
      assertThat(run(spec, relative.toString(), false).skipped()).isEqualTo(4);
      assertOnceEach(relative.toString(), 4, 16);
      String metadata =
          Files.readString(
              Path.of(
                  ResultTables.tableLocation(relative.toString(), "runs"),
                  "metadata",
                  "v1.metadata.json"));
      assertThat(metadata).contains("\"location\":\"file:" + relative.toAbsolutePath());
    } finally {
      try (var paths = Files.walk(relative)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aCopiedRootIsRefusedBecauseItsTablesStillNameTheOriginalFiles() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    Path original = tmp.resolve("original");
    run(spec, original.toString(), false);
    Path copy = tmp.resolve("copy");
    try (var paths = Files.walk(original)) {
      for (Path p : paths.toList()) {
        Files.copy(p, copy.resolve(original.relativize(p).toString()));
      }
    }
    assertThatThrownBy(() -> SqlQuery.run(spark, copy.toString(), "SELECT count(*) FROM runs"))
        .hasMessageContaining("copied or moved")
        .hasMessageContaining(original.toString());
    assertThatThrownBy(() -> run(spec, copy.toString(), false))
        .hasMessageContaining("copied or moved");
    assertOnceEach(original.toString(), 4, 16);
  }

  @Test
  void aResumeRemovesTheFilesOfKilledAttempts() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    Path rootDir = tmp.resolve("staging");
    run(spec, rootDir.toString(), false);
    // what tasks killed mid-write leave: data files no commit references, from before this run
    Path stepsData =
        Path.of(ResultTables.tableLocation(rootDir.toString(), "steps"), "data", "sweep=tiny");
    Path weightsStaging = rootDir.resolve("weights/sweep=tiny/_staging");
    Files.createDirectories(weightsStaging);
    Path killedSteps =
        Files.writeString(stepsData.resolve("run-0123456789abcdef-x.parquet"), "partial");
    Path killedWeights =
        Files.writeString(weightsStaging.resolve("run-0123456789abcdef.npz.y.tmp"), "partial");
    for (Path p : List.of(killedSteps, killedWeights)) {
      Files.setLastModifiedTime(
          p, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }
    Set<String> committed = listParquet(stepsData);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.run(
        spark, spec, SweepPlanner.expand(spec), options(rootDir.toString(), false, console));
    assertThat(killedSteps).doesNotExist();
    assertThat(killedWeights).doesNotExist();
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("Removed 2 uncommitted files left by attempts stopped before this run");
    committed.remove(killedSteps.getFileName().toString());
    assertThat(listParquet(stepsData)).isEqualTo(committed).hasSize(4);
    assertOnceEach(rootDir.toString(), 4, 16);
  }

  @Test
  void aRootThatIsAFileIsBadInput() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    assertThatThrownBy(() -> run(spec, file.toString(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot use output root "
                + file
                + ": it is a file, not a folder (allowed: a new folder, or one"
                + " that 'phasemap run' wrote)");
  }

  @Test
  void aSweepLargerThanAWaveTrainsInSeveralJobsAndEveryRunOnce() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    String root = tmp.resolve("waves").toString();
    System.setProperty("phasemap.waveSize", "3");
    int jobsBefore = spark.sparkContext().statusTracker().getJobIdsForGroup("phasemap-tiny").length;
    try {
      SweepRunner.Result r = run(spec, root, false);
      assertThat(r.executed()).isEqualTo(4);
      assertThat(r.statusCounts()).containsEntry("ok", 4);
    } finally {
      System.clearProperty("phasemap.waveSize");
    }
    int jobs =
        spark.sparkContext().statusTracker().getJobIdsForGroup("phasemap-tiny").length - jobsBefore;
    assertThat(jobs).as("waves of 3 and 1 runs").isEqualTo(2);
    Row counts =
        SqlQuery.run(
                spark,
                root,
                "SELECT (SELECT count(*) FROM runs), (SELECT count(DISTINCT run_id) FROM runs), "
                    + "(SELECT count(DISTINCT run_index) FROM runs)")
            .first();
    assertThat(counts.getLong(0)).isEqualTo(4);
    assertThat(counts.getLong(1)).isEqualTo(4);
    assertThat(counts.getLong(2)).isEqualTo(4);
  }

  @Test
  void recordsFailedAndDivergedRunsAndRetriesOnlyFailedOnes() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    String failing = plan.get(0).runId();
    String diverging = plan.get(1).runId();
    String root = tmp.resolve("faults").toString();
    spark.conf().set("spark.phasemap.faults", "fail:" + failing + ",nan:" + diverging + "@15");
    SweepRunner.Result r;
    try {
      r = run(spec, root, false);
    } finally {
      spark.conf().unset("spark.phasemap.faults");
    }
    assertThat(r.statusCounts())
        .containsEntry("ok", 2)
        .containsEntry("failed", 1)
        .containsEntry("diverged", 1);
    Row failedRow =
        SqlQuery.run(spark, root, "SELECT status, error FROM runs WHERE run_id = '" + failing + "'")
            .first();
    assertThat(failedRow.getString(1)).contains("injected failure");
    Row divergedRow =
        SqlQuery.run(
                spark,
                root,
                "SELECT status, diverged_step, error, steps_completed FROM runs WHERE run_id = '"
                    + diverging
                    + "'")
            .first();
    assertThat(divergedRow.getString(0)).isEqualTo("diverged");
    assertThat(divergedRow.getInt(1)).isEqualTo(15);
    assertThat(divergedRow.getString(2)).contains("NaN");
    // the diverged run's logged steps before divergence are kept, and no NaN reaches a query
    Row steps =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*), sum(CASE WHEN isnan(train_loss) OR isnan(test_loss) THEN 1 ELSE 0 END) "
                    + "FROM steps WHERE run_id = '"
                    + diverging
                    + "'")
            .first();
    assertThat(steps.getLong(0)).isEqualTo(2); // steps 0 and 10
    assertThat(steps.getLong(1)).isZero();

    // resuming does not touch recorded failures; --retry-failed re-runs the failed run only
    assertThat(run(spec, root, false).executed()).isZero();
    SweepRunner.Result retried = run(spec, root, true);
    assertThat(retried.executed()).isEqualTo(1);
    assertThat(retried.statusCounts()).containsEntry("ok", 3).containsEntry("diverged", 1);
    assertThat(
            SqlQuery.run(spark, root, "SELECT count(*), count(DISTINCT run_id) FROM runs")
                .first()
                .getLong(1))
        .isEqualTo(4);
    // the retried run's old row is gone (an equality delete), its new steps are there, once each
    Row retriedRun =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*), min(status), (SELECT count(*) FROM steps WHERE run_id = '"
                    + failing
                    + "'), (SELECT count(DISTINCT step) FROM steps WHERE run_id = '"
                    + failing
                    + "') FROM runs WHERE run_id = '"
                    + failing
                    + "'")
            .first();
    assertThat(retriedRun.getLong(0)).isEqualTo(1);
    assertThat(retriedRun.getString(1)).isEqualTo("ok");
    assertThat(retriedRun.getLong(2)).isEqualTo(4);
    assertThat(retriedRun.getLong(3)).isEqualTo(4);
    assertOnceEach(root, 4, 14); // 4 steps each, the diverged run's 2
  }

  @Test
  void refusesAnotherSweepOfTheSameNameInTheSameRoot() throws Exception {
    String root = tmp.resolve("clash").toString();
    SweepRunner.prepareRoot(
        spark.sparkContext().hadoopConfiguration(), SweepSpecParser.parse(SPEC, "tiny.yaml"), root);
    SweepSpec other =
        SweepSpecParser.parse(SPEC.replace("modulus: 11", "modulus: 13"), "other.yaml");
    assertThatThrownBy(() -> run(other, root, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot run sweep 'tiny' into " + root)
        .hasMessageContaining("already holds a different sweep named 'tiny'")
        .hasMessageContaining(other.fingerprint());
  }

  @Test
  void refusesAnUnwritableRootBeforeTraining() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    String root = file.resolve("results").toString();
    SweepSpec spec = SweepSpecParser.parse(SPEC, "tiny.yaml");
    assertThatThrownBy(() -> run(spec, root, false))
        .hasMessageStartingWith("Cannot write to output root " + root);
  }

  @Test
  void reportsTheStepsOfRunsStillInProgressAndNeverCountsBack() throws Exception {
    SweepSpec spec =
        SweepSpecParser.parse(
            SPEC.replace("  steps: 30", "  steps: 4000")
                .replace(
                    "grid:\n  attention_rate: [0.0, 1.0]\n  init_seed: [0, 1]",
                    "grid:\n  init_seed: [5, 6]"),
            "long.yaml");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.run(
        spark,
        spec,
        SweepPlanner.expand(spec),
        new SweepRunner.Options(
            tmp.resolve("progress").toString(),
            false,
            new PrintStream(console, true, StandardCharsets.UTF_8),
            300));
    List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
    // while the runs train, executor heartbeats (every 1 s here) carry their step counts
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).containsPattern("0/2 runs done, 0 failed, [1-9][0-9]*/8000 steps"));
    assertThat(lines.get(lines.size() - 1))
        .contains("2/2 runs done")
        .contains("8000/8000 steps (100 %)");
    // a finishing run's final count replaces its partial one: the count only grows, up to the total
    Pattern stepsDone = Pattern.compile("runs done, \\d+ failed, (\\d+)/8000 steps");
    long previous = 0;
    for (String l : lines) {
      Matcher m = stepsDone.matcher(l);
      if (m.find()) {
        long done = Long.parseLong(m.group(1));
        assertThat(done).as(l).isBetween(previous, 8000L);
        previous = done;
      }
    }
  }

  @Test
  void estimatesTheLocalLearningCoefficientWhenTheSweepAsksForIt() throws Exception {
    SweepSpec spec =
        SweepSpecParser.parse(
            SPEC
                + "analysis:\n  llc:\n    chains: 2\n    draws: 4\n    burnin: 2\n    epsilon: 1.0e-4\n",
            "llc.yaml");
    String root = tmp.resolve("llc").toString();
    assertThat(run(spec, root, false).statusCounts()).containsEntry("ok", 4);
    Row steps =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(llc_mean), count(*) FILTER (WHERE is_checkpoint), min(llc_nbeta) FROM steps")
            .first();
    assertThat(steps.getLong(0))
        .isEqualTo(steps.getLong(1))
        .isEqualTo(4); // the final step of each run
    assertThat(steps.getDouble(2)).isPositive();
    Row runs =
        SqlQuery.run(spark, root, "SELECT count(final_llc_mean), min(analysis_options) FROM runs")
            .first();
    assertThat(runs.getLong(0)).isEqualTo(4);
    assertThat(runs.getString(1)).contains("LlcSettings");
    // 4 runs x 1 checkpoint x 2 chains x 4 draws, each draw once
    Row trace =
        SqlQuery.run(
                spark,
                root,
                "SELECT count(*), count(DISTINCT run_id, step, chain, draw), count(value) FROM llc_trace")
            .first();
    assertThat(trace.getLong(0)).isEqualTo(32);
    assertThat(trace.getLong(1)).isEqualTo(32);
    assertThat(trace.getLong(2)).isEqualTo(32);
  }

  @Test
  void progressLineShowsDoneTotalFailuresAndEta() {
    assertThat(SweepRunner.progress("s", 3, 1, 12, 250, 1000, 90_000))
        .isEqualTo("[s] 3/12 runs done, 1 failed, 250/1000 steps (25 %), elapsed 1m30s, ETA 4m30s");
    assertThat(SweepRunner.progress("s", 0, 0, 12, 0, 1000, 5_000)).endsWith("ETA ?");
    // 100 steps counted at 10 s, nothing reported since: the ETA counts down, it does not grow
    assertThat(SweepRunner.progress("s", 0, 0, 4, 100, 1000, 10_000, 10_000)).endsWith("ETA 1m30s");
    assertThat(SweepRunner.progress("s", 0, 0, 4, 100, 1000, 25_000, 10_000)).endsWith("ETA 1m15s");
  }

  static Set<String> listParquet(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
  }
}
