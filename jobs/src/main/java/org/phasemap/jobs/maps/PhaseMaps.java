package org.phasemap.jobs.maps;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * The aggregation behind a phase map, as Spark SQL over the {@code runs} table.
 *
 * <p>A cell is one distinct (x, y) pair of two numeric run columns; every run with both values
 * non-null falls in exactly one cell, whatever its seeds and other hyperparameters (so a cell pools
 * seeds, and also any axis not on the map: filter with {@code --where} to hold one fixed). Per
 * cell: {@code n}, the number of runs; {@code share_<label>} for each label of {@link Labels#ALL},
 * the share of the cell's runs with that {@code final_label} (runs without a label, i.e. failed
 * ones, count in {@code n} but in no share, so the shares then sum to less than 1); {@code
 * dominant}, the label with the largest share (ties go to the label listed first; null when no run
 * of the cell has a label); and, with a colour column, {@code mean_<column>}, its mean over the
 * cell's runs where it is not null.
 */
public final class PhaseMaps {
  /** The colour option meaning "by the dominant label" rather than by a numeric column. */
  public static final String BY_CLASS = "class";

  /** The label column of the runs table. */
  public static final String LABEL = RunsTable.FINAL_LABEL.name();

  /** The column of an aggregated map holding the cell count. */
  public static final String COUNT = "n";

  /** The column of an aggregated map holding the dominant label. */
  public static final String DOMINANT = "dominant";

  private static final String MEAN_PREFIX = "mean_";
  private static final String SHARE_PREFIX = "share_";

  private PhaseMaps() {}

  /** The column holding the share of {@code label} in an aggregated map: {@code share_<label>}. */
  public static String shareColumn(String label) {
    return SHARE_PREFIX + label;
  }

  /**
   * The colour column whose cell mean {@code meanColumn} holds, or null if it is no mean column.
   */
  public static String meanOf(String meanColumn) {
    return meanColumn.startsWith(MEAN_PREFIX) ? meanColumn.substring(MEAN_PREFIX.length()) : null;
  }

  /** Name of the column holding the cell mean of {@code colorColumn}. */
  public static String meanColumn(String colorColumn) {
    return MEAN_PREFIX + colorColumn;
  }

  /** The numeric columns of a runs table, in table order. */
  public static List<String> numericColumns(StructType schema) {
    List<String> names = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (f.dataType() instanceof NumericType) {
        names.add(f.name());
      }
    }
    return names;
  }

  /**
   * The numeric column that {@code name} means: the column itself, or else {@code final_<name>}, so
   * {@code gs}, {@code di_maxwrong}, {@code circularity} name the final measures.
   *
   * @param option the option that gave the name ({@code --x}), for the message
   * @throws IllegalArgumentException naming the column and listing the numeric ones, when there is
   *     no such numeric column
   */
  public static String resolve(StructType schema, String name, String option) {
    List<String> numeric = numericColumns(schema);
    for (String candidate : List.of(name, RunsTable.FINAL_PREFIX + name)) {
      if (numeric.contains(candidate)) {
        return candidate;
      }
    }
    String why;
    List<String> all = List.of(schema.fieldNames());
    if (all.contains(name)) {
      why =
          "column "
              + name
              + " is not numeric ("
              + schema.apply(name).dataType().simpleString()
              + ")";
    } else {
      why = "the runs table has no column " + name;
    }
    throw new IllegalArgumentException(
        "Cannot draw a map with "
            + option
            + " "
            + name
            + ": "
            + why
            + "; numeric columns: "
            + String.join(", ", numeric)
            + " (got "
            + name
            + ")");
  }

  /**
   * One row per cell: {@code x, y, n, share_clock, share_pizza, share_mixed, share_non_circular,
   * share_no_generalisation, dominant} and, when {@code colorColumn} is a column rather than null
   * or {@value #BY_CLASS}, {@code mean_<colorColumn>}; ordered by x then y. The x and y columns
   * keep their names and hold doubles. Column names may be given as {@link #resolve} accepts them.
   *
   * <pre>
   *   SELECT x, y, count(*) AS n,
   *          avg(CASE WHEN final_label = 'clock' THEN 1.0 ELSE 0.0 END) AS share_clock, ...,
   *          CASE WHEN greatest(shares) = 0 THEN NULL WHEN share_clock = greatest(shares) THEN 'clock' ... END AS dominant,
   *          avg(color) AS mean_color
   *   FROM runs WHERE x IS NOT NULL AND y IS NOT NULL GROUP BY x, y ORDER BY x, y
   * </pre>
   */
  public static Dataset<Row> aggregate(Dataset<Row> runs, String x, String y, String colorColumn) {
    StructType schema = runs.schema();
    String xc = resolve(schema, x, "--x");
    String yc = resolve(schema, y, "--y");
    if (xc.equals(yc)) {
      throw new IllegalArgumentException(
          "Cannot draw a map: --x and --y name the same column; choose two (got " + xc + ")");
    }
    String cc =
        colorColumn == null || BY_CLASS.equals(colorColumn)
            ? null
            : resolve(schema, colorColumn, "--color");
    Column label =
        List.of(schema.fieldNames()).contains(LABEL)
            ? col(LABEL)
            : lit(null).cast(DataTypes.StringType);

    List<Column> selected = new ArrayList<>();
    selected.add(col(xc).cast(DataTypes.DoubleType).as(xc));
    selected.add(col(yc).cast(DataTypes.DoubleType).as(yc));
    selected.add(label.as("_label"));
    if (cc != null) {
      selected.add(col(cc).cast(DataTypes.DoubleType).as("_color"));
    }
    Dataset<Row> in =
        runs.where(col(xc).isNotNull().and(col(yc).isNotNull()))
            .select(selected.toArray(new Column[0]));

    List<Column> aggs = new ArrayList<>();
    for (String l : AlgorithmLabel.labels()) {
      aggs.add(
          avg(when(col("_label").equalTo(l), 1.0).otherwise(0.0)).as(PhaseMaps.shareColumn(l)));
    }
    if (cc != null) {
      aggs.add(avg(col("_color")).as(meanColumn(cc)));
    }
    Dataset<Row> cells =
        in.groupBy(col(xc), col(yc)).agg(count(lit(1)).as(COUNT), aggs.toArray(new Column[0]));

    String greatest =
        "greatest("
            + AlgorithmLabel.labels().stream()
                .map(l -> "`" + PhaseMaps.shareColumn(l) + "`")
                .collect(Collectors.joining(", "))
            + ")";
    StringBuilder dominant = new StringBuilder("CASE WHEN " + greatest + " = 0 THEN NULL");
    for (String l : AlgorithmLabel.labels()) {
      dominant
          .append(" WHEN `")
          .append(PhaseMaps.shareColumn(l))
          .append("` = ")
          .append(greatest)
          .append(" THEN '")
          .append(l)
          .append("'");
    }
    dominant.append(" END");

    List<Column> out = new ArrayList<>();
    out.add(col(xc));
    out.add(col(yc));
    out.add(col(COUNT));
    for (String l : AlgorithmLabel.labels()) {
      out.add(col(PhaseMaps.shareColumn(l)));
    }
    out.add(expr(dominant.toString()).as(DOMINANT));
    if (cc != null) {
      out.add(col(meanColumn(cc)));
    }
    return cells.select(out.toArray(new Column[0])).orderBy(col(xc), col(yc));
  }
}
