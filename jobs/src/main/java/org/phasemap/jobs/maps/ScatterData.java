package org.phasemap.jobs.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;

/**
 * One point per run for the papers' scatter style (SCIENCE.md 2.5): x and y from two numeric
 * columns, coloured by a third or by the run's label. Runs with a null x, y or colour value are
 * left out (failed runs have no final measures).
 *
 * @param color the colour column, or null to colour by {@code final_label}
 */
public record ScatterData(String x, String y, String color, List<ScatterData.Point> points) {
  public ScatterData {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    points = List.copyOf(points);
  }

  /**
   * One run: {@code c} is NaN when colouring by label; {@code round} is 0 for the spec's own runs
   * and r for those added by refinement round r.
   */
  public record Point(
      String runId, String sweep, double x, double y, double c, String label, int round) {}

  /** Selects the points from a runs table; column names as {@link PhaseMaps#resolve} takes them. */
  public static ScatterData collect(Dataset<Row> runs, String x, String y, String colorColumn) {
    StructType schema = runs.schema();
    String xc = PhaseMaps.resolve(schema, x, "--x");
    String yc = PhaseMaps.resolve(schema, y, "--y");
    String cc =
        colorColumn == null || PhaseMaps.BY_CLASS.equals(colorColumn)
            ? null
            : PhaseMaps.resolve(schema, colorColumn, "--color");
    List<String> names = List.of(schema.fieldNames());
    Column label =
        names.contains(PhaseMaps.LABEL)
            ? runs.col(PhaseMaps.LABEL)
            : org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType);
    String roundColumn = RunsTable.ROUND.name();
    Column sweep =
        names.contains(ResultTables.SWEEP)
            ? runs.col(ResultTables.SWEEP).cast(DataTypes.StringType)
            : org.apache.spark.sql.functions.lit("");
    Column round =
        names.contains(roundColumn)
            ? runs.col(roundColumn).cast(DataTypes.IntegerType)
            : org.apache.spark.sql.functions.lit(0);
    Column c =
        cc == null
            ? org.apache.spark.sql.functions.lit(Double.NaN)
            : runs.col(cc).cast(DataTypes.DoubleType);
    Column keep = runs.col(xc).isNotNull().and(runs.col(yc).isNotNull());
    if (cc != null) {
      keep = keep.and(runs.col(cc).isNotNull());
    }
    List<Point> points = new ArrayList<>();
    for (Row r :
        runs.where(keep)
            .select(
                runs.col(RunsTable.RUN_ID.name()),
                sweep,
                runs.col(xc).cast(DataTypes.DoubleType),
                runs.col(yc).cast(DataTypes.DoubleType),
                c,
                label,
                round)
            .orderBy(runs.col(RunsTable.RUN_ID.name()))
            .collectAsList()) {
      points.add(
          new Point(
              r.getString(0),
              r.getString(1),
              r.getDouble(2),
              r.getDouble(3),
              r.getDouble(4),
              r.getString(5),
              r.isNullAt(6) ? 0 : r.getInt(6)));
    }
    return new ScatterData(xc, yc, cc, points);
  }

  /** The points as CSV: {@code run_id, sweep, X, Y[, C], final_label, round}, one line per run. */
  public String csv() {
    StringBuilder sb =
        new StringBuilder(
            String.join(",", RunsTable.RUN_ID.name(), ResultTables.SWEEP, x, y)
                + (color == null ? "" : "," + color)
                + ","
                + PhaseMaps.LABEL
                + ","
                + RunsTable.ROUND.name()
                + "\n");
    for (Point p : points) {
      sb.append(p.runId())
          .append(',')
          .append(p.sweep())
          .append(',')
          .append(MapTable.number(p.x()))
          .append(',')
          .append(MapTable.number(p.y()));
      if (color != null) {
        sb.append(',').append(MapTable.number(p.c()));
      }
      sb.append(',')
          .append(p.label() == null ? "" : p.label())
          .append(',')
          .append(p.round())
          .append('\n');
    }
    return sb.toString();
  }
}
