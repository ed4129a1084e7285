package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Row;
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
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.jobs.SqlQuery;
import org.phasemap.tables.IbDirectionsTable;
import org.phasemap.tables.IbEdgesTable;
import org.phasemap.tables.LlcTraceTable;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;

/**
 * {@code phasemap migrate} on roots written in the plain layout of earlier versions, with real
 * Parquet files, real Iceberg tables and Spark SQL reading both.
 */
class MigrateCommandTests {
  static final String A1 = "00000000000000a1";
  static final String A2 = "00000000000000a2";
  static final String A3 = "00000000000000a3";

  /** A run of sweep a whose task died after its steps and before its runs file. */
  static final String ORPHAN = "00000000000000a9";

  static final String B1 = "00000000000000b1";
  static final String B2 = "00000000000000b2";

  /**
   * Every row of every view, and a few aggregates: what must answer the same after migrating. An
   * average is rounded: its last bits depend on the order Spark adds the rows up in.
   */
  static final List<String> QUERIES =
      List.of(
          "SELECT * FROM runs ORDER BY ALL",
          "SELECT * FROM steps ORDER BY ALL",
          "SELECT * FROM llc_trace ORDER BY ALL",
          "SELECT * FROM ib_directions ORDER BY ALL",
          "SELECT * FROM ib_edges ORDER BY ALL",
          "SELECT sweep, count(*), sum(step), round(avg(train_loss), 9), max(test_acc) FROM steps"
              + " GROUP BY sweep ORDER BY sweep",
          "SELECT r.sweep, count(*), count(DISTINCT s.run_id) FROM steps s JOIN runs r"
              + " USING (run_id, sweep) GROUP BY r.sweep ORDER BY 1",
          "SELECT sweep, count(*), count(final_label), sum(init_seed) FROM runs GROUP BY sweep"
              + " ORDER BY sweep");

  static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark =
        LocalSpark.builder("MigrateCommandTests", 2)
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.executor.heartbeatInterval", "1s")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /**
   * A root as earlier versions left it: sweeps a (3 runs, one stopped run with steps, LLC trace and
   * edges but no runs file, a half-written staging file) and b (2 runs), every table present.
   */
  static String plainRoot(Path dir) throws Exception {
    String root = dir.resolve("results").toString();
    Configuration conf = new Configuration();
    for (String id : List.of(A1, A2, A3)) {
      PlainRoots.writeRun(conf, root, RunsTable.TABLE, "a", id, 1);
      PlainRoots.writeRun(conf, root, StepsTable.TABLE, "a", id, 5);
    }
    PlainRoots.writeRun(conf, root, StepsTable.TABLE, "a", ORPHAN, 5);
    PlainRoots.writeRun(conf, root, LlcTraceTable.TABLE, "a", ORPHAN, 3);
    PlainRoots.writeRun(conf, root, LlcTraceTable.TABLE, "a", A1, 4);
    PlainRoots.writeRun(conf, root, IbDirectionsTable.TABLE, "a", A2, 3);
    PlainRoots.writeRun(conf, root, IbEdgesTable.TABLE, "a", A3, 6);
    PlainRoots.writeRun(conf, root, IbEdgesTable.TABLE, "a", ORPHAN, 2);
    PlainRoots.writeStagingLeftover(root, RunsTable.TABLE, "a");
    PlainRoots.writeStagingLeftover(root, StepsTable.TABLE, "a");
    for (String id : List.of(B1, B2)) {
      PlainRoots.writeRun(conf, root, RunsTable.TABLE, "b", id, 1);
      PlainRoots.writeRun(conf, root, StepsTable.TABLE, "b", id, 5);
    }
    return root;
  }

  /** The answers of {@link #QUERIES}, one string per row. */
  static List<List<String>> answers(String root) {
    List<List<String>> out = new ArrayList<>();
    for (String q : QUERIES) {
      List<String> rows = new ArrayList<>();
      for (Row r : SqlQuery.run(spark, root, q).collectAsList()) {
        rows.add(r.toString());
      }
      out.add(rows);
    }
    return out;
  }

  static long count(String root, String sql) {
    return SqlQuery.run(spark, root, sql).first().getLong(0);
  }

  static int dataFiles(org.apache.iceberg.Table table) throws Exception {
    table.refresh();
    int n = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask ignored : tasks) {
        n++;
      }
    }
    return n;
  }

  @Test
  void migratedRootAnswersEveryQueryAsBeforeAndTakesNewSweeps() throws Exception {
    String root = plainRoot(tmp);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<List<String>> before = answers(root);
    assertThat(before.get(0)).hasSize(5); // runs
    assertThat(before.get(1)).hasSize(25); // steps of the 5 committed runs
    assertThat(before.get(4)).hasSize(6); // ib_edges of A3 only
    assertThat(count(root, "SELECT count(*) FROM steps WHERE run_id = '" + ORPHAN + "'")).isZero();
    assertThat(ResultTables.isPlain(conf, root)).isTrue();

    Outcome o = MainTests.run("migrate", root);

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .containsPattern("runs +5 files, +5 rows registered in 1 commit\\b")
        .containsPattern(
            "steps +5 files, +25 rows registered in 1 commit; 1 file \\(5 rows\\) of runs without"
                + " a runs row left out")
        .containsPattern("llc_trace +1 files, +4 rows registered")
        .containsPattern("ib_edges +1 files, +6 rows registered")
        .contains("Migrated " + root + " to Iceberg tables: 13 files registered in place");
    assertThat(ResultTables.isIceberg(conf, root)).isTrue();
    assertThat(PlainMigration.inProgress(conf, root)).isFalse();
    assertThat(answers(root)).isEqualTo(before);
    assertThat(count(root, "SELECT count(*) FROM llc_trace WHERE run_id = '" + ORPHAN + "'"))
        .isZero();
    // the files are referenced where they lie: nothing was copied into the tables' data folders
    Map<String, org.apache.iceberg.Table> tables = IcebergTables.load(conf, root);
    assertThat(dataFiles(tables.get("steps"))).isEqualTo(5);
    assertThat(tmp.resolve("results/iceberg/steps/data")).doesNotExist();
    assertThat(tmp.resolve("results/steps/sweep=b/run-" + B1 + ".parquet")).exists();

    Outcome again = MainTests.run("migrate", root);
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err())
        .contains("phasemap: Cannot migrate " + root, "already holds Iceberg tables")
        .contains("allowed: a root in the plain Parquet layout");
    assertThat(answers(root)).isEqualTo(before);

    // a new sweep trains into the migrated root, and its rows join the old ones
    SweepSpec spec =
        SweepSpecParser.parse(org.phasemap.driver.spark.SweepRunnerTests.SPEC, "tiny.yaml");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.Result r =
        SweepRunner.run(
            spark,
            spec,
            SweepPlanner.expand(spec),
            new SweepRunner.Options(
                root, false, new PrintStream(console, true, StandardCharsets.UTF_8), 1000));
    assertThat(r.executed()).as(console.toString(StandardCharsets.UTF_8)).isEqualTo(4);
    List<String> perSweep = new ArrayList<>();
    for (Row row :
        SqlQuery.run(
                spark,
                root,
                "SELECT r.sweep, count(DISTINCT r.run_id), count(*) FROM runs r JOIN steps s"
                    + " USING (run_id, sweep) GROUP BY r.sweep ORDER BY 1")
            .collectAsList()) {
      perSweep.add(row.toString());
    }
    assertThat(perSweep).containsExactly("[a,3,15]", "[b,2,10]", "[tiny,4,16]");
    assertThat(count(root, "SELECT count(*) FROM runs")).isEqualTo(9);
    assertThat(
            SqlQuery.run(spark, root, "SELECT * FROM runs WHERE sweep <> 'tiny' ORDER BY ALL")
                .collectAsList()
                .stream()
                .map(Row::toString)
                .toList())
        .isEqualTo(before.get(0));
  }

  @Test
  void aMigrationStoppedHalfWayIsRefusedElsewhereAndFinishedByRunningItAgain() throws Exception {
    String root = plainRoot(tmp);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<List<String>> before = answers(root);
    // what a migration stopped after its first commit leaves: the marker, the tables, one file
    Path marker = Path.of(ResultTables.icebergDir(root), PlainMigration.MARKER);
    Files.createDirectories(marker.getParent());
    Files.writeString(marker, "stopped");
    Map<String, org.apache.iceberg.Table> tables = IcebergTables.open(conf, root);
    IcebergTables.Target steps = IcebergTables.Target.of("steps", tables.get("steps"));
    tables
        .get("steps")
        .newAppend()
        .appendFile(
            steps.describe(
                conf,
                "a",
                new org.apache.hadoop.fs.Path(
                    ResultTables.sweepDir(ResultTables.stepsDir(root), "a"),
                    ResultTables.runFileName(A1))))
        .commit();

    Outcome compact = MainTests.run("compact", root);
    assertThat(compact.code()).isEqualTo(2);
    assertThat(compact.err())
        .contains("Cannot compact " + root, "stopped half way", "phasemap migrate " + root);

    Outcome o = MainTests.run("migrate", root);
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("Finishing the migration of " + root);
    assertThat(marker).doesNotExist();
    assertThat(dataFiles(IcebergTables.load(conf, root).get("steps"))).isEqualTo(5);
    assertThat(answers(root)).isEqualTo(before);
  }

  @Test
  void aRootWithoutPlainTablesIsBadInputNamingTheRootAndWhatIsAllowed() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Outcome o = MainTests.run("migrate", empty.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains("phasemap: Cannot migrate " + empty)
        .contains("holds no result tables in the plain Parquet layout")
        .contains(empty + "/runs/sweep=NAME/run-RUNID.parquet");
    assertThat(empty.resolve("iceberg")).doesNotExist();
    Outcome missing = MainTests.run("migrate", tmp.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Cannot migrate " + tmp.resolve("nope"));
  }

  @Test
  void helpListsBothCommandsInOneSentenceEach() {
    Outcome o = MainTests.run("--help");
    assertThat(o.out())
        .containsPattern("migrate +Turn a results root of earlier phasemap versions into Iceberg")
        .containsPattern("compact +Compact the Iceberg tables of a results root");
    assertThat(MainTests.run("compact", "--help").out())
        .contains("Usage: phasemap compact", "--orphan-age", "--sweep");
    assertThat(MainTests.run("migrate", "--help").out()).contains("Usage: phasemap migrate");
  }
}
