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
 *   ROOT/iceberg/TABLE/                       an Apache Iceberg table (runs, steps, llc_trace, ...),
 *                                             partitioned by sweep: data/sweep=NAME/*.parquet + metadata/
 *   ROOT/weights/sweep=NAME/run-RUNID.npz     final weights + config.json of that run (numpy.load reads it)
 *   ROOT/_sweeps/NAME.yaml                    the spec the sweep was planned from
 * </pre>
 *
 * <p>The tables are Iceberg tables (a Hadoop table per folder, no catalog server): executors write
 * data files, the driver commits them in batches, one atomic append per table with the runs table
 * last, so a query sees a run with all its rows or not at all (docs/TABLES.md,
 * docs/ARCHITECTURE.md).
 *
 * <p>Roots written before the tables moved to Iceberg hold one plain Parquet file per run and table
 * ({@code ROOT/runs/sweep=NAME/run-RUNID.parquet}, ...); they are still read (the {@code steps}
 * view then shows only steps of runs with a runs row), and {@code phasemap migrate} turns them into
 * Iceberg tables in place.
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

  /** The folder of the Iceberg tables under a results root. */
  public static final String ICEBERG = "iceberg";

  /** The folder of the runs' weights (not a table). */
  public static final String WEIGHTS = "weights";

  /**
   * The partition column every table gets from its {@code sweep=NAME} folders: the sweep's name. It
   * is not in the files, so no {@link Table} declares it.
   */
  public static final String SWEEP = "sweep";

  private ResultTables() {}

  /** The folder holding the Iceberg tables of {@code root}. */
  public static String icebergDir(String root) {
    return join(root, ICEBERG);
  }

  /** The location of one Iceberg table of {@code root}: {@code ROOT/iceberg/TABLE}. */
  public static String tableLocation(String root, String table) {
    return join(icebergDir(root), table);
  }

  /**
   * The marker ({@code ROOT/iceberg/_migrating}) that {@code phasemap migrate} keeps while it
   * registers a plain root's files: until it is gone, the plain tables are the complete ones.
   */
  public static final String MIGRATING = "_migrating";

  /**
   * True when {@code root} holds Iceberg tables (its runs table has metadata and no migration is
   * under way), false for a new root or one in the plain layout of earlier versions.
   *
   * @throws IllegalStateException when the tables were created at another location: the root was
   *     copied or moved, and Iceberg's metadata still names the files at the old place
   */
  public static boolean isIceberg(org.apache.hadoop.conf.Configuration conf, String root) {
    try {
      Path p = new Path(join(tableLocation(root, RUNS), "metadata"));
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p) || fs.exists(new Path(join(icebergDir(root), MIGRATING)))) {
        return false;
      }
      checkLocation(fs, root);
      return true;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot read " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a root whose runs table records another location than where it lies: Iceberg metadata
   * holds absolute paths, so a copied or moved root would read (and its maintenance would delete)
   * the files at the old place.
   */
  private static void checkLocation(FileSystem fs, String root) throws java.io.IOException {
    Path metadata = new Path(join(tableLocation(root, RUNS), "metadata"));
    Path hint = new Path(metadata, "version-hint.text");
    if (!fs.exists(hint)) {
      return;
    }
    String version;
    try (var in = fs.open(hint)) {
      version = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }
    Path json = new Path(metadata, "v" + version + ".metadata.json");
    if (!fs.exists(json)) {
      return;
    }
    String recorded;
    try (var in = fs.open(json)) {
      recorded =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("location").asText();
    }
    String here = fs.makeQualified(new Path(tableLocation(root, RUNS))).toUri().getPath();
    String there = fs.makeQualified(new Path(recorded)).toUri().getPath();
    if (!recorded.isEmpty() && !stripSlash(here).equals(stripSlash(there))) {
      throw new IllegalStateException(
          "Cannot use results root "
              + root
              + ": its tables were written at "
              + recorded
              + " and this root was copied or moved since (Iceberg records absolute file paths, so"
              + " reading it here would read the files there). Move it back, or work on the"
              + " original");
    }
  }

  private static String stripSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static boolean isIceberg(SparkSession spark, String root) {
    return isIceberg(spark.sparkContext().hadoopConfiguration(), root);
  }

  /**
   * True when {@code root} holds result tables in the plain layout of earlier versions (one Parquet
   * file per run under {@code ROOT/runs/sweep=NAME/}) and no Iceberg tables.
   */
  public static boolean isPlain(org.apache.hadoop.conf.Configuration conf, String root) {
    try {
      Path p = new Path(runsDir(root));
      return !isIceberg(conf, root) && p.getFileSystem(conf).exists(p);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot read " + root + ": " + e.getMessage(), e);
    }
  }

  /** Root of the runs table in the plain layout of earlier versions. */
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

  /** True when {@code root} holds a runs table (Iceberg), or one with a committed run (plain). */
  public static boolean hasRuns(SparkSession spark, String root) {
    return isIceberg(spark, root) || nonEmptyDir(spark, runsDir(root));
  }

  /**
   * True when {@code root} holds a steps table (Iceberg), or one with at least one file (plain).
   */
  public static boolean hasSteps(SparkSession spark, String root) {
    return isIceberg(spark, root) || nonEmptyDir(spark, stepsDir(root));
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
              + tableLocation(root, RUNS)
              + ", written by 'phasemap run')");
    }
    if (isIceberg(spark, root)) {
      return readIceberg(spark, root, RunsTable.TABLE);
    }
    return read(spark, runsDir(root), RunsTable.TABLE);
  }

  /** The steps table restricted to committed runs (those with a row in runs). */
  public static Dataset<Row> steps(SparkSession spark, String root) {
    if (isIceberg(spark, root)) {
      return readIceberg(spark, root, StepsTable.TABLE); // holds committed runs only
    }
    return committedOnly(spark, stepsDir(root), StepsTable.TABLE, runs(spark, root));
  }

  /**
   * Any table of {@code root}, as its view shows it: declared columns plus {@code sweep}, committed
   * runs only. Empty when a plain root has no such table.
   */
  public static Dataset<Row> table(SparkSession spark, String root, Table<?> table) {
    if (isIceberg(spark, root)) {
      return readIceberg(spark, root, table);
    }
    if (table.equals(RunsTable.TABLE)) {
      return runs(spark, root);
    }
    String dir = join(root, table.name());
    if (!nonEmptyDir(spark, dir)) {
      return spark.createDataFrame(
          List.of(), sparkSchema(table.columns()).add(SWEEP, DataTypes.StringType, true));
    }
    return committedOnly(spark, dir, table, runs(spark, root));
  }

  /**
   * An Iceberg table of {@code root} as its declared columns plus {@code sweep}, in declaration
   * order; a declared column the table does not have yet (a root last written by an older version)
   * reads as null.
   */
  private static Dataset<Row> readIceberg(SparkSession spark, String root, Table<?> table) {
    configurePathCatalog(spark, root);
    Dataset<Row> all = spark.read().format("iceberg").load(tableLocation(root, table.name()));
    java.util.Set<String> present = java.util.Set.of(all.columns());
    List<org.apache.spark.sql.Column> cols = new java.util.ArrayList<>();
    for (Column<?> c : table.columns()) {
      cols.add(
          present.contains(c.name())
              ? all.col(c.name())
              : org.apache.spark.sql.functions.lit(null).cast(sparkType(c.type())).as(c.name()));
    }
    cols.add(all.col(SWEEP));
    return all.select(cols.toArray(new org.apache.spark.sql.Column[0]));
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

  /** The catalog Iceberg resolves table paths through ({@code format("iceberg").load(path)}). */
  static final String PATH_CATALOG = "spark.sql.catalog.default_iceberg";

  /**
   * Makes Iceberg's path catalog a filesystem (Hadoop) one, unless the session configures it: by
   * default Iceberg makes it a Hive catalog, which needs a Hive metastore on the classpath even to
   * read a table by its path. Its cache is off, so every read sees the latest commit. The warehouse
   * is never written: phasemap only loads tables by path.
   */
  static void configurePathCatalog(SparkSession spark, String root) {
    if (spark.conf().getOption(PATH_CATALOG).isEmpty()) {
      spark.conf().set(PATH_CATALOG, "org.apache.iceberg.spark.SparkCatalog");
      spark.conf().set(PATH_CATALOG + ".type", "hadoop");
      spark.conf().set(PATH_CATALOG + ".warehouse", icebergDir(root));
      spark.conf().set(PATH_CATALOG + ".cache-enabled", "false");
    }
  }

  /**
   * Registers the views {@code runs}, {@code steps}, {@code llc_trace}, {@code ib_directions} and
   * {@code ib_edges} (in a plain root, the last three only when present).
   */
  public static void register(SparkSession spark, String root) {
    if (isIceberg(spark, root)) {
      for (Table<?> table :
          List.of(
              RunsTable.TABLE,
              StepsTable.TABLE,
              LlcTraceTable.TABLE,
              IbDirectionsTable.TABLE,
              IbEdgesTable.TABLE)) {
        readIceberg(spark, root, table).createOrReplaceTempView(table.name());
      }
      return;
    }
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
