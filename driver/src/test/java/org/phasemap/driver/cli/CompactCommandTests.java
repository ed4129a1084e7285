package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.LocalSpark;
import org.phasemap.driver.cli.MainTests.Outcome;
import org.phasemap.driver.output.IcebergTables;
import org.phasemap.driver.output.PlainMigration;
import org.phasemap.driver.output.PlainRoots;
import org.phasemap.driver.output.ResultCommitter;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;

/**
 * {@code phasemap compact} on real Iceberg roots: a migrated one plus batches committed by the
 * driver's {@link ResultCommitter}, orphan files and a batch cut between its commits.
 */
class CompactCommandTests {
  static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark =
        LocalSpark.builder("CompactCommandTests", 2)
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    MigrateCommandTests.spark = spark;
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** A plain root migrated to Iceberg: sweeps a (3 runs) and b (2 runs), one file per run. */
  String icebergRoot() throws Exception {
    String root = MigrateCommandTests.plainRoot(tmp);
    PlainMigration.migrate(
        new Configuration(), root, new PrintStream(new ByteArrayOutputStream(), true));
    return root;
  }

  /** Commits run {@code runId} of {@code sweep} (a runs row and 5 steps) as a sweep's batch. */
  static void commitRun(String root, String sweep, String runId) throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, org.apache.iceberg.Table> tables = IcebergTables.open(conf, root);
    IcebergTables.Target steps = IcebergTables.Target.of("steps", tables.get("steps"));
    org.apache.hadoop.fs.Path file = steps.newFile(sweep, "steps-" + runId);
    PlainRoots.write(conf, file, StepsTable.TABLE, PlainRoots.rows(StepsTable.TABLE, runId, 5));
    new ResultCommitter(conf, root, sweep, tables)
        .commit(
            List.of(
                new ResultCommitter.RunResult(
                    runId,
                    false,
                    PlainRoots.rows(RunsTable.TABLE, runId, 1).get(0),
                    List.of(
                        new ResultCommitter.TableFile(
                            "steps", steps.describe(conf, sweep, file))))));
  }

  Outcome compact(String root, String sweep, long ageMs) throws Exception {
    CompactCommand c = new CompactCommand();
    c.root = root;
    c.sweep = sweep;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = c.compact(spark, ageMs, new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), "");
  }

  static Map<String, Integer> files(String root, String table) throws Exception {
    return CompactCommand.filesBySweep(
        IcebergTables.load(spark.sparkContext().hadoopConfiguration(), root).get(table));
  }

  @Test
  void compactionLeavesEveryAnswerAsItWasAndRemovesOnlyOldOrphans() throws Exception {
    String root = icebergRoot();
    commitRun(root, "a", "00000000000000a5");
    commitRun(root, "b", "00000000000000b5");
    assertThat(files(root, "steps")).containsEntry("a", 4).containsEntry("b", 3);
    assertThat(files(root, "runs")).containsEntry("a", 4).containsEntry("b", 3);
    Path data = Path.of(ResultTables.tableLocation(root, "steps"), "data", "sweep=a");
    Path old = Files.writeString(data.resolve("old-orphan.parquet"), "killed attempt");
    Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
    Path young = Files.writeString(data.resolve("young-orphan.parquet"), "attempt in progress");
    List<List<String>> before = MigrateCommandTests.answers(root);
    assertThat(before.get(0)).hasSize(7);

    Outcome o = compact(root, null, CompactCommand.parseDuration("--orphan-age", "1h"));

    assertThat(o.code()).isZero();
    assertThat(o.out())
        .containsPattern("steps +7 -> 2 data files, 35 rows \\(unchanged\\), 1 orphan file removed")
        .containsPattern("runs +7 -> 2 data files, 7 rows \\(unchanged\\), 0 orphan files removed");
    assertThat(files(root, "steps")).containsExactly(Map.entry("a", 1), Map.entry("b", 1));
    assertThat(files(root, "runs")).containsExactly(Map.entry("a", 1), Map.entry("b", 1));
    assertThat(MigrateCommandTests.answers(root)).isEqualTo(before);
    assertThat(old).doesNotExist();
    assertThat(young).exists();
    // the migrated plain files were rewritten; they stay on disk, outside the tables' folders
    assertThat(tmp.resolve("results/steps/sweep=b/run-" + MigrateCommandTests.B1 + ".parquet"))
        .exists();
    var steps = IcebergTables.load(spark.sparkContext().hadoopConfiguration(), root).get("steps");
    assertThat(steps.snapshots()).hasSize(1);
  }

  @Test
  void aBatchCutBetweenItsCommitsIsUndoneOnceOlderThanTheOrphanAge() throws Exception {
    String root = icebergRoot();
    String cut = "00000000000000a7";
    System.setProperty("phasemap.commitFault", "stop-before-runs");
    try {
      assertThatThrownBy(() -> commitRun(root, "a", cut)).hasMessageContaining("injected stop");
    } finally {
      System.clearProperty("phasemap.commitFault");
    }
    String stepsOfCut = "SELECT count(*) FROM steps WHERE run_id = '" + cut + "'";
    assertThat(MigrateCommandTests.count(root, stepsOfCut)).isEqualTo(5);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    assertThat(ResultCommitter.pendingSweeps(conf, root)).containsExactly("a");

    // a marker younger than the age may be a sweep committing right now: left alone, sweep a too
    Outcome young = compact(root, null, 3_600_000);
    assertThat(young.out()).contains("Sweep a: a batch is being committed");
    assertThat(MigrateCommandTests.count(root, stepsOfCut)).isEqualTo(5);
    assertThat(files(root, "steps")).containsEntry("a", 4).containsEntry("b", 1);

    Outcome old = compact(root, "a", 0);
    assertThat(old.out()).contains("Sweep a: took out the rows of 1 batch");
    assertThat(MigrateCommandTests.count(root, stepsOfCut)).isZero();
    assertThat(ResultCommitter.pendingSweeps(conf, root)).isEmpty();
    assertThat(files(root, "steps")).containsEntry("a", 1);
    assertThat(old.out()).containsPattern("steps +3 -> 1 data files, 15 rows \\(unchanged\\)");
    // the runs file the cut batch wrote but never committed is an orphan older than 0 s
    assertThat(old.out())
        .containsPattern("runs +3 -> 1 data files, 3 rows \\(unchanged\\), 1 orphan file removed");
  }

  @Test
  void tablesNoSweepHasWrittenToAreLeftAsTheyAre() throws Exception {
    String root = tmp.resolve("fresh").toString();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    IcebergTables.open(conf, root); // what a sweep that committed nothing yet leaves
    commitRun(root, "a", "00000000000000a5");
    Outcome o = compact(root, null, 0);
    assertThat(o.code()).isZero();
    assertThat(o.out())
        .containsPattern("ib_edges +0 -> 0 data files, 0 rows \\(unchanged\\)")
        .containsPattern("steps +1 -> 1 data files, 5 rows \\(unchanged\\)");
    assertThat(IcebergTables.load(conf, root).get("ib_edges").currentSnapshot()).isNull();
  }

  @Test
  void badInputIsExitCodeTwoNamingTheRootOrValueAndWhatIsAllowed() throws Exception {
    String plain = MigrateCommandTests.plainRoot(tmp.resolve("p"));
    Outcome p = MainTests.run("compact", plain);
    assertThat(p.code()).isEqualTo(2);
    assertThat(p.err())
        .contains("phasemap: Cannot compact " + plain, "plain Parquet layout")
        .contains("allowed: a root with Iceberg tables", "phasemap migrate " + plain);

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Outcome e = MainTests.run("compact", empty.toString());
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.err()).contains("Cannot compact " + empty + ": it holds no result tables");

    Outcome age = MainTests.run("compact", empty.toString(), "--orphan-age", "5x");
    assertThat(age.code()).isEqualTo(2);
    assertThat(age.err()).contains("Invalid --orphan-age: 5x", "s, m, h or d", "0s, 30m, 1h, 2d");

    String root = icebergRoot();
    Outcome sweep = MainTests.run("compact", root, "--sweep", "zzz");
    assertThat(sweep.code()).isEqualTo(2);
    assertThat(sweep.err())
        .contains("Cannot compact sweep zzz of " + root, "allowed: a, b", "got --sweep zzz");
  }

  @Test
  void durationsReadInSecondsMinutesHoursAndDays() {
    assertThat(CompactCommand.parseDuration("--orphan-age", "0s")).isZero();
    assertThat(CompactCommand.parseDuration("--orphan-age", "30m")).isEqualTo(1_800_000L);
    assertThat(CompactCommand.parseDuration("--orphan-age", "1h")).isEqualTo(3_600_000L);
    assertThat(CompactCommand.parseDuration("--orphan-age", "2d")).isEqualTo(172_800_000L);
    assertThatThrownBy(() -> CompactCommand.parseDuration("--orphan-age", "-1h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid --orphan-age: -1h (allowed: a whole number followed by s, m, h or d, e.g. 0s,"
                + " 30m, 1h, 2d)");
  }
}
