package org.phasemap.tables;

import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The layout of a results root and the SQL views over it. What each table holds is declared in
 * {@link RunsTable}, {@link StepsTable} and {@link LlcTraceTable}.
 *
 * <pre>
 *   ROOT/runs/sweep=NAME/run-RUNID.parquet    one row per run (config, status, final measures, provenance)
 *   ROOT/steps/sweep=NAME/run-RUNID.parquet   one row per logged step of that run
 *   ROOT/weights/sweep=NAME/run-RUNID.npz     final weights + config.json of that run (numpy.load reads it)
 *   ROOT/_sweeps/NAME.yaml                    the spec the sweep was planned from
 * </pre>
 *
 * <p>Every run owns exactly one file per table, named after its run id, and a task replaces it
 * atomically (write to {@code _staging/}, then rename). That is what makes output exactly-once:
 * re-running, retrying or speculatively duplicating a run can only replace its file, never add a
 * second one. Folders starting with {@code _} are invisible to Spark's reader. The runs file is
 * written last, so it marks a committed run; the {@code steps} view only shows steps of committed
 * runs.
 */
public final class ResultTables {
  /** The runs table's folder and SQL view. */
  public static final String RUNS = RunsTable.TABLE.name();

  /** The steps table's folder and SQL view. */
  public static final String STEPS = StepsTable.TABLE.name();

  /** The llc_trace table's folder and SQL view. */
  public static final String LLC_TRACE = LlcTraceTable.TABLE.name();

  /** The ib_directions table's folder and SQL view. */
  public static final String IB_DIRECTIONS = IbDirectionsTable.TABLE.name();

  /** The ib_edges table's folder and SQL view. */
  public static final String IB_EDGES = IbEdgesTable.TABLE.name();

  /** The folder of the runs' weights (not a table). */
  public static final String WEIGHTS = "weights";

  /**
   * The partition column every table gets from its {@code sweep=NAME} folders: the sweep's name. It
   * is not in the files, so no {@link Table} declares it.
   */
  public static final String SWEEP = "sweep";

  private ResultTables() {}

  /** Root of the runs table. */
  public static String runsDir(String root) {
    return join(root, RUNS);
  }

  /** Root of the llc_trace table (SGLD draws of the local learning coefficient, when enabled). */
  public static String llcTraceDir(String root) {
    return join(root, LLC_TRACE);
  }

  /**
   * Root of the ib_directions table (every direction of the interaction and PCA bases, when a sweep
   * sets {@code analysis.interaction_basis}).
   */
  public static String ibDirectionsDir(String root) {
    return join(root, IB_DIRECTIONS);
  }

  /**
   * Root of the ib_edges table (every edge of the interaction graph, when a sweep sets {@code
   * analysis.interaction_graph}).
   */
  public static String ibEdgesDir(String root) {
    return join(root, IB_EDGES);
  }

  /** Root of the steps table. */
  public static String stepsDir(String root) {
    return join(root, STEPS);
  }

  /**
   * Root of the final weights: one {@code .npz} per run (docs/IMPORT.md), committed before the
   * run's row. Not a table: Spark never reads it.
   */
  public static String weightsDir(String root) {
    return join(root, WEIGHTS);
  }

  /** The weights file of one run: {@code ROOT/weights/sweep=NAME/run-RUNID.npz}. */
  public static String weightsFile(String root, String sweep, String runId) {
    return join(sweepDir(weightsDir(root), sweep), weightsFileName(runId));
  }

  /**
   * The folder of one run's checkpoint weights (kept on request, {@code
   * analysis.keep_checkpoint_weights}): {@code ROOT/weights/sweep=NAME/run-RUNID/}, one {@code
   * step-N.npz} per checkpoint.
   */
  public static String checkpointWeightsDir(String root, String sweep, String runId) {
    return join(sweepDir(weightsDir(root), sweep), "run-" + runId);
  }

  /** The file name of the weights at checkpoint {@code step}. */
  public static String checkpointWeightsFileName(int step) {
    return "step-" + step + ".npz";
  }

  /** The file name of one run's weights. */
  public static String weightsFileName(String runId) {
    return "run-" + runId + ".npz";
  }

  /** Folder holding the specs of the sweeps written to this root. */
  public static String specsDir(String root) {
    return join(root, "_sweeps");
  }

  /** The partition folder of one sweep inside a table. */
  public static String sweepDir(String tableDir, String sweep) {
    return join(tableDir, SWEEP + "=" + sweep);
  }

  /** The file name that one run owns in each table. */
  public static String runFileName(String runId) {
    return "run-" + runId + ".parquet";
  }

  private static String join(String root, String child) {
    return root.endsWith("/") ? root + child : root + "/" + child;
  }

  /** True when {@code root} holds a runs table with at least one committed run. */
  public static boolean hasRuns(SparkSession spark, String root) {
    return nonEmptyDir(spark, runsDir(root));
  }

  /** True when {@code root} holds a steps table with at least one file. */
  public static boolean hasSteps(SparkSession spark, String root) {
    return nonEmptyDir(spark, stepsDir(root));
  }

  private static boolean nonEmptyDir(SparkSession spark, String dir) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p) && fs.listStatus(p).length > 0;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The runs table (all sweeps), columns merged across files written by different versions. */
  public static Dataset<Row> runs(SparkSession spark, String root) {
    if (!hasRuns(spark, root)) {
      throw new IllegalArgumentException(
          "Cannot open results at "
              + root
              + ": no runs table (expected "
              + runsDir(root)
              + "/sweep=NAME/*.parquet)");
    }
    return read(spark, runsDir(root), RunsTable.TABLE);
  }

  /** The steps table restricted to committed runs (those with a row in runs). */
  public static Dataset<Row> steps(SparkSession spark, String root) {
    return committedOnly(spark, stepsDir(root), StepsTable.TABLE, runs(spark, root));
  }

  /**
   * The rows of the table under {@code dir} whose (run_id, sweep) has a row in {@code runs}: a task
   * that died between committing its steps (or LLC trace) and its runs row leaves files that no
   * view should show until the run is trained again.
   */
  private static Dataset<Row> committedOnly(
      SparkSession spark, String dir, Table<?> table, Dataset<Row> runs) {
    String runId = RunsTable.RUN_ID.name();
    Dataset<Row> committed = runs.select(runId, SWEEP);
    Dataset<Row> rows = read(spark, dir, table);
    return rows.join(
        committed,
        rows.col(runId)
            .equalTo(committed.col(runId))
            .and(rows.col(SWEEP).equalTo(committed.col(SWEEP))),
        "left_semi");
  }

  /** Registers the views {@code runs}, {@code steps} and (when present) {@code llc_trace}. */
  public static void register(SparkSession spark, String root) {
    Dataset<Row> runs = runs(spark, root);
    runs.createOrReplaceTempView(RUNS);
    if (nonEmptyDir(spark, stepsDir(root))) {
      committedOnly(spark, stepsDir(root), StepsTable.TABLE, runs).createOrReplaceTempView(STEPS);
    } else {
      // a root whose runs all failed before logging a step has no steps table yet
      spark
          .sql(
              "SELECT CAST(NULL AS STRING) AS "
                  + StepsTable.RUN_ID.name()
                  + ", CAST(NULL AS INT) AS "
                  + StepsTable.STEP.name()
                  + " WHERE false")
          .createOrReplaceTempView(STEPS);
    }
    if (nonEmptyDir(spark, llcTraceDir(root))) {
      committedOnly(spark, llcTraceDir(root), LlcTraceTable.TABLE, runs)
          .createOrReplaceTempView(LLC_TRACE);
    }
    if (nonEmptyDir(spark, ibDirectionsDir(root))) {
      committedOnly(spark, ibDirectionsDir(root), IbDirectionsTable.TABLE, runs)
          .createOrReplaceTempView(IB_DIRECTIONS);
    }
    if (nonEmptyDir(spark, ibEdgesDir(root))) {
      committedOnly(spark, ibEdgesDir(root), IbEdgesTable.TABLE, runs)
          .createOrReplaceTempView(IB_EDGES);
    }
  }

  /**
   * The table under {@code dir} read with its declared schema plus the {@code sweep} partition
   * column, so no Spark job has to open every file's footer to merge schemas first. Files written
   * before a column was declared read as null there; a column this version does not declare is not
   * shown.
   */
  private static Dataset<Row> read(SparkSession spark, String dir, Table<?> table) {
    StructType schema = sparkSchema(table.columns()).add(SWEEP, DataTypes.StringType, true);
    return spark.read().schema(schema).parquet(dir);
  }

  /** The Spark type a column of type {@code type} reads as. */
  public static DataType sparkType(ColumnType type) {
    return switch (type) {
      case INT -> DataTypes.IntegerType;
      case LONG -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
      case STRING -> DataTypes.StringType;
      case DOUBLE_ARRAY -> DataTypes.createArrayType(DataTypes.DoubleType, false);
      case LONG_ARRAY -> DataTypes.createArrayType(DataTypes.LongType, false);
      case INT_ARRAY -> DataTypes.createArrayType(DataTypes.IntegerType, false);
    };
  }

  /** The Spark schema of {@code columns}, in that order, as Spark reads them from the files. */
  public static StructType sparkSchema(List<? extends Column<?>> columns) {
    StructType schema = new StructType();
    for (Column<?> c : columns) {
      schema = schema.add(c.name(), sparkType(c.type()), c.nullable());
    }
    return schema;
  }
}
