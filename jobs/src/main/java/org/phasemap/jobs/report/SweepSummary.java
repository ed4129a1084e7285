package org.phasemap.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.classify.AlgorithmLabel;
import org.phasemap.worker.train.RunStatus;

/**
 * What one sweep of a root holds: its runs by status and by label, the median step time and the
 * provenance of its results (a sweep resumed on another machine or commit shows several).
 *
 * @param statuses runs per status ({@code ok}, {@code diverged}, {@code failed}), only those seen
 * @param labels runs per final label in {@link Labels#ALL} order (all five, zeros included), then
 *     {@code none} for runs without a label when there are any
 * @param medianMsPerStep median of {@code ms_per_step} over the runs that have it, NaN if none
 * @param codeVersions distinct {@code code_version} values, sorted
 * @param gitCommits distinct {@code git_commit} values, sorted
 * @param backends distinct {@code nd4j_backend} values, sorted
 */
public record SweepSummary(
    String sweep,
    long runs,
    Map<String, Long> statuses,
    Map<String, Long> labels,
    double medianMsPerStep,
    List<String> codeVersions,
    List<String> gitCommits,
    List<String> backends) {

  public SweepSummary {
    statuses = Map.copyOf(statuses);
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    codeVersions = List.copyOf(codeVersions);
    gitCommits = List.copyOf(gitCommits);
    backends = List.copyOf(backends);
  }

  /** The provenance columns a summary lists the distinct values of, in record order. */
  private static final List<String> PROVENANCE =
      List.of(
          RunsTable.CODE_VERSION.name(),
          RunsTable.GIT_COMMIT.name(),
          RunsTable.ND4J_BACKEND.name());

  /** One summary per sweep of a runs table, by sweep name (one Spark aggregation). */
  public static List<SweepSummary> of(Dataset<Row> runs) {
    List<String> names = List.of(runs.columns());
    List<Column> aggs = new ArrayList<>();
    for (RunStatus status : RunStatus.values()) {
      String s = status.value();
      aggs.add(
          sum(when(col(RunsTable.STATUS.name()).equalTo(s), 1L).otherwise(0L)).as("status_" + s));
    }
    String finalLabel = RunsTable.FINAL_LABEL.name();
    Column label =
        names.contains(finalLabel) ? col(finalLabel) : lit(null).cast(DataTypes.StringType);
    for (String l : AlgorithmLabel.labels()) {
      aggs.add(sum(when(label.equalTo(l), 1L).otherwise(0L)).as("label_" + l));
    }
    aggs.add(sum(when(label.isNull(), 1L).otherwise(0L)).as("label_none"));
    String msPerStep = RunsTable.MS_PER_STEP.name();
    aggs.add(
        optional(names, msPerStep, "percentile(" + msPerStep + ", 0.5)", "CAST(NULL AS DOUBLE)")
            .as("median_ms"));
    for (String p : PROVENANCE) {
      aggs.add(optional(names, p, "array_sort(collect_set(" + p + "))", "array()").as(p));
    }
    List<SweepSummary> out = new ArrayList<>();
    for (Row r :
        runs.groupBy(col(ResultTables.SWEEP).cast(DataTypes.StringType).as(ResultTables.SWEEP))
            .agg(count(lit(1)).as("runs"), aggs.toArray(new Column[0]))
            .orderBy(ResultTables.SWEEP)
            .collectAsList()) {
      Map<String, Long> statuses = new LinkedHashMap<>();
      for (RunStatus status : RunStatus.values()) {
        String s = status.value();
        long n = r.getLong(r.fieldIndex("status_" + s));
        if (n > 0) {
          statuses.put(s, n);
        }
      }
      long known = statuses.values().stream().mapToLong(Long::longValue).sum();
      long runCount = r.getLong(r.fieldIndex("runs"));
      if (known < runCount) {
        statuses.put("other", runCount - known);
      }
      Map<String, Long> labels = new LinkedHashMap<>();
      for (String l : AlgorithmLabel.labels()) {
        labels.put(l, r.getLong(r.fieldIndex("label_" + l)));
      }
      long none = r.getLong(r.fieldIndex("label_none"));
      if (none > 0) {
        labels.put("none", none);
      }
      int m = r.fieldIndex("median_ms");
      out.add(
          new SweepSummary(
              r.getString(0),
              runCount,
              statuses,
              labels,
              r.isNullAt(m) ? Double.NaN : r.getDouble(m),
              r.getList(r.fieldIndex(PROVENANCE.get(0))),
              r.getList(r.fieldIndex(PROVENANCE.get(1))),
              r.getList(r.fieldIndex(PROVENANCE.get(2)))));
    }
    return out;
  }

  private static Column optional(List<String> names, String column, String present, String absent) {
    return expr(names.contains(column) ? present : absent);
  }
}
