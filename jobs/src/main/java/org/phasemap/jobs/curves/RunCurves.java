package org.phasemap.jobs.curves;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;

/**
 * One run's logged steps, read from the {@code steps} table, with what the pictures need to say
 * about the run.
 *
 * @param lossKeys which key frequencies the restricted and excluded losses use: {@value
 *     #FINAL_KEYS} (the {@code *_final_keys} columns, the paper's retrospective measure,
 *     preferred), {@value #ONLINE_KEYS} (each checkpoint's own, for runs without the post-pass) or
 *     {@value #NO_KEYS} (no checkpoint measures at all)
 */
public record RunCurves(
    String runId, String sweep, String finalLabel, String lossKeys, List<StepPoint> points) {
  public static final String FINAL_KEYS = "final keys";
  public static final String ONLINE_KEYS = "online keys";
  public static final String NO_KEYS = "none";

  public RunCurves {
    Objects.requireNonNull(runId, "runId");
    points = List.copyOf(points);
  }

  /**
   * The curves of run {@code runId} in {@code root}; {@code sweep} picks the sweep when the same
   * run (the same configuration) was trained by several, null takes the first by name.
   *
   * @throws IllegalArgumentException when the root holds no such run, or it logged no step
   */
  public static RunCurves load(SparkSession spark, String root, String runId, String sweep) {
    Dataset<Row> runs =
        ResultTables.runs(spark, root).where(col(RunsTable.RUN_ID.name()).equalTo(runId));
    if (sweep != null) {
      runs = runs.where(col(ResultTables.SWEEP).equalTo(sweep));
    }
    List<String> runCols = List.of(runs.columns());
    String finalLabelColumn = RunsTable.FINAL_LABEL.name();
    Column label =
        runCols.contains(finalLabelColumn)
            ? col(finalLabelColumn)
            : lit(null).cast(DataTypes.StringType);
    List<Row> found =
        runs.select(col(ResultTables.SWEEP).cast(DataTypes.StringType), label)
            .orderBy(col(ResultTables.SWEEP))
            .limit(1)
            .collectAsList();
    if (found.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot draw the curves of run "
              + runId
              + ": no such run in "
              + root
              + (sweep == null ? "" : " (sweep " + sweep + ")")
              + "; list them with: phasemap sql "
              + root
              + " \"SELECT "
              + RunsTable.RUN_ID.name()
              + ", "
              + ResultTables.SWEEP
              + ", "
              + finalLabelColumn
              + " FROM "
              + ResultTables.RUNS
              + "\" (got "
              + runId
              + ")");
    }
    String theSweep = found.get(0).getString(0);
    String finalLabel = found.get(0).getString(1);

    if (!ResultTables.hasSteps(spark, root)) {
      throw new IllegalArgumentException(
          "Cannot draw the curves of run "
              + runId
              + ": "
              + root
              + " has no steps table (got no files in "
              + ResultTables.stepsDir(root)
              + ")");
    }
    Dataset<Row> steps =
        ResultTables.steps(spark, root)
            .where(
                col(StepsTable.RUN_ID.name())
                    .equalTo(runId)
                    .and(col(ResultTables.SWEEP).equalTo(theSweep)));
    List<String> cols = List.of(steps.columns());
    boolean finalKeys = hasValues(steps, cols, StepsTable.RESTRICTED_LOSS_FINAL_KEYS);
    boolean onlineKeys = hasValues(steps, cols, StepsTable.RESTRICTED_LOSS);
    String keys = finalKeys ? FINAL_KEYS : onlineKeys ? ONLINE_KEYS : NO_KEYS;
    String restricted =
        (finalKeys ? StepsTable.RESTRICTED_LOSS_FINAL_KEYS : StepsTable.RESTRICTED_LOSS).name();
    String excluded =
        (finalKeys ? StepsTable.EXCLUDED_LOSS_FINAL_KEYS : StepsTable.EXCLUDED_LOSS).name();

    List<Row> rows =
        steps
            .select(
                col(StepsTable.STEP.name()).cast(DataTypes.IntegerType),
                num(cols, StepsTable.TRAIN_LOSS.name()),
                num(cols, StepsTable.TRAIN_ACC.name()),
                num(cols, StepsTable.TEST_LOSS.name()),
                num(cols, StepsTable.TEST_ACC.name()),
                num(cols, StepsTable.SUM_SQ_WEIGHTS.name()),
                num(cols, restricted),
                num(cols, excluded),
                num(cols, StepsTable.GINI_EMBED.name()),
                num(cols, StepsTable.GINI_NEURON_LOGIT.name()),
                cols.contains(StepsTable.LABEL.name())
                    ? col(StepsTable.LABEL.name())
                    : lit(null).cast(DataTypes.StringType),
                mlp(cols, StepsTable.IB_NEEDED),
                mlp(cols, StepsTable.PCA_NEEDED),
                num(cols, StepsTable.IB_EDGES_NEEDED.name()))
            .orderBy(col(StepsTable.STEP.name()))
            .collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot draw the curves of run "
              + runId
              + ": it logged no step (failed before step 0?) (got 0 steps)");
    }
    List<StepPoint> points = new ArrayList<>();
    for (Row r : rows) {
      points.add(
          new StepPoint(
              r.getInt(0),
              d(r, 1),
              d(r, 2),
              d(r, 3),
              d(r, 4),
              d(r, 5),
              d(r, 6),
              d(r, 7),
              d(r, 8),
              d(r, 9),
              r.getString(10),
              d(r, 11),
              d(r, 12),
              d(r, 13)));
    }
    return new RunCurves(runId, theSweep, finalLabel, keys, points);
  }

  private static boolean hasValues(
      Dataset<Row> steps, List<String> cols, org.phasemap.tables.Column<?> column) {
    return cols.contains(column.name()) && !steps.where(col(column.name()).isNotNull()).isEmpty();
  }

  /**
   * The last block's {@code mlp_hidden} entry of a per-node-layer array column (counted from the
   * end, so for any number of layers), as a double (null: none).
   */
  private static Column mlp(List<String> cols, org.phasemap.tables.Column<?> column) {
    return cols.contains(column.name())
        ? element_at(col(column.name()), -StepsTable.MLP_HIDDEN_FROM_END).cast(DataTypes.DoubleType)
        : lit(null).cast(DataTypes.DoubleType);
  }

  private static Column num(List<String> cols, String name) {
    return cols.contains(name)
        ? col(name).cast(DataTypes.DoubleType)
        : lit(null).cast(DataTypes.DoubleType);
  }

  private static double d(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }
}
