package org.phasemap.driver.cli;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.tables.Column;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.io.ModelFiles;
import org.phasemap.worker.train.RunOutcome;
import org.phasemap.worker.train.StepRecord;
import org.phasemap.worker.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap replay ROOT --run ID}: trains a committed run again from its row (config and the
 * sweep's analysis settings) and checks that every logged row of the steps table comes out the
 * same, bit for bit, except the wall-clock column {@code elapsed_seconds}. Exit 0 when identical, 1
 * at the first difference (step, column, both values).
 */
@Command(
    name = "replay",
    header = "Train a committed run again and check its steps are reproduced bit for bit.",
    mixinStandardHelpOptions = true,
    description = {
      "Train a committed run again from its row and check that its steps table is reproduced bit for",
      "bit (every column but elapsed_seconds). On the same machine and backend a run is deterministic;",
      "elsewhere float rounding may differ, and the report names the first step and column that do.",
      "Exit 0: identical; 1: a difference; 2: bad usage or no such run."
    })
final class ReplayCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root written by 'phasemap run'")
  String root;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "RUN_ID",
      description = "run_id of the run (16 hex digits)")
  String runId;

  @Override
  public Integer call() throws Exception {
    RunIds.require(runId, "Cannot replay run");
    SparkSession spark = Sessions.create("phasemap replay " + runId);
    try {
      return replay(spark);
    } finally {
      spark.stop();
    }
  }

  int replay(SparkSession spark) throws Exception {
    List<Row> runs =
        ResultTables.runs(spark, root)
            .where(functions.col(RunsTable.RUN_ID.name()).equalTo(runId))
            .select(ResultTables.SWEEP, RunsTable.CONFIG_JSON.name())
            .collectAsList();
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot replay run "
              + runId
              + ": no such run in "
              + root
              + "; list them with: scripts/phasemap sql "
              + root
              + " \"SELECT run_id, sweep, status FROM runs\"");
    }
    String sweep = String.valueOf(runs.get(0).get(0));
    RunConfig config =
        ModelFiles.parseConfig(runs.get(0).getString(1), "config_json of run " + runId);
    AnalysisOptions analysis = analysisOf(spark, sweep);
    List<Row> stored =
        ResultTables.steps(spark, root)
            .where(
                functions
                    .col(RunsTable.RUN_ID.name())
                    .equalTo(runId)
                    .and(functions.col(ResultTables.SWEEP).equalTo(sweep)))
            .orderBy(StepsTable.STEP.name())
            .collectAsList();
    System.out.printf(
        "Replaying run %s (sweep %s, %d steps, %s, %d stored rows)...%n",
        runId, sweep, config.steps(), config.preset(), stored.size());
    Provenance.singleThreaded();
    List<StepRecord> replayed = new ArrayList<>();
    RunOutcome outcome = Trainer.forRun(config).train(replayed::add, analysis);
    System.out.printf(
        "Retrained in %.1f s (status %s)%n", outcome.trainSeconds(), outcome.status());
    String difference = firstDifference(stored, replayed);
    if (difference == null) {
      System.out.printf(
          "Identical: %d logged steps, every column but elapsed_seconds, bit for bit.%n",
          replayed.size());
      return 0;
    }
    System.out.println("Different: " + difference);
    return 1;
  }

  /** The analysis settings the run was trained with: those of its sweep's stored spec. */
  private AnalysisOptions analysisOf(SparkSession spark, String sweep) throws Exception {
    org.apache.hadoop.fs.Path p =
        new org.apache.hadoop.fs.Path(ResultTables.specsDir(root) + "/" + sweep + ".yaml");
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(p)) {
      System.out.println(
          "No stored spec for sweep "
              + sweep
              + " ("
              + p
              + "): replaying with the default analysis");
      return AnalysisOptions.defaults();
    }
    try (InputStream in = fs.open(p)) {
      return SweepSpecParser.analysisOf(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), p.toString());
    }
  }

  /** The first difference between the stored rows and the replayed ones, or null. */
  static String firstDifference(List<Row> stored, List<StepRecord> replayed) {
    String runId = StepsTable.RUN_ID.name();
    for (int i = 0; i < Math.max(stored.size(), replayed.size()); i++) {
      if (i >= stored.size() || i >= replayed.size()) {
        return String.format(
            Locale.ROOT,
            "the stored run has %d logged steps, the replay %d",
            stored.size(),
            replayed.size());
      }
      Row row = stored.get(i);
      StepsTable.Row ours =
          new StepsTable.Row(row.getString(row.fieldIndex(runId)), replayed.get(i));
      for (Column<StepsTable.Row> column : StepsTable.TABLE.columns()) {
        if (column == StepsTable.ELAPSED_SECONDS) {
          continue; // wall time differs by nature
        }
        String name = column.name();
        Object a = canonical(row.get(row.fieldIndex(name)));
        Object b = canonical(column.valueOf(ours));
        if (!Objects.equals(a, b)) {
          return String.format(
              Locale.ROOT,
              "at step %s, column %s: stored %s, replayed %s%s",
              row.get(row.fieldIndex(StepsTable.STEP.name())),
              name,
              a,
              b,
              relative(a, b));
        }
      }
    }
    return null;
  }

  /** Arrays as lists, Spark's and ours alike, so that values compare by content. */
  private static Object canonical(Object v) {
    if (v instanceof double[] d) {
      return Arrays.stream(d).boxed().toList();
    }
    if (v instanceof int[] n) {
      return Arrays.stream(n).boxed().toList();
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(s));
    }
    return v;
  }

  private static String relative(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return String.format(
          Locale.ROOT,
          " (relative difference %.2e)",
          Math.abs(x - y) / Math.max(Math.abs(x), 1e-300));
    }
    return "";
  }
}
