package org.phasemap.jobs.maps;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.train.RunStatus;

/**
 * Draws one map of a results root: reads the {@code runs} table, keeps the runs of {@code --sweep}
 * matching {@code --where}, aggregates or selects them, and writes {@code NAME.png}, {@code
 * NAME.svg} and {@code NAME.csv}.
 */
public final class MapJob {
  private MapJob() {}

  /** What was drawn: the files written, the runs on the picture, its columns. */
  public record Result(
      List<String> files, long runs, String x, String y, String color, long divergedLeftOut) {}

  /** Draws {@code spec} over the runs of {@code root} into {@code out}. */
  public static Result draw(SparkSession spark, String root, MapSpec spec, OutputDir out) {
    Dataset<Row> runs = select(ResultTables.runs(spark, root), spec.sweep(), spec.where());
    // Diverged runs (docs/SPEC.md's rule) are not points of the phase space: left out, and counted,
    // unless the --where condition decides about status itself.
    long diverged = 0;
    String status = RunsTable.STATUS.name();
    String divergedValue = RunStatus.DIVERGED.value();
    boolean statusChosen =
        spec.where() != null && spec.where().toLowerCase(java.util.Locale.ROOT).contains(status);
    if (!statusChosen && List.of(runs.columns()).contains(status)) {
      diverged = runs.where(col(status).equalTo(divergedValue)).count();
      if (diverged > 0) {
        runs = runs.where(col(status).notEqual(divergedValue));
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot draw a map: no runs of "
              + root
              + " match"
              + (spec.sweep() == null ? "" : " --sweep " + spec.sweep())
              + (spec.where() == null ? "" : " --where " + spec.where())
              + (diverged > 0
                  ? " ("
                      + diverged
                      + " diverged runs left out; --where \"status = 'diverged'\" draws them)"
                  : "")
              + "; list the sweeps with: scripts/phasemap sql "
              + root
              + " \"SELECT sweep, count(*) FROM runs GROUP BY sweep\" (got 0 runs)");
    }
    String caption = caption(spec);
    if (diverged > 0) {
      caption =
          (caption.isEmpty() ? "" : caption + " · ")
              + diverged
              + " diverged run"
              + (diverged == 1 ? "" : "s")
              + " left out";
    }
    if (spec.style() == MapSpec.Style.HEATMAP) {
      String x = spec.x();
      String y = spec.y();
      if (x == null || y == null) {
        DefaultAxes.Choice c = DefaultAxes.choose(runs);
        x = x == null ? (c.x().equals(y) ? c.y() : c.x()) : x;
        y = y == null ? (c.y().equals(x) ? c.x() : c.y()) : y;
      }
      MapTable table = MapTable.collect(PhaseMaps.aggregate(runs, x, y, spec.color()));
      if (table.cells().isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot draw a map: no selected run has both "
                + table.x()
                + " and "
                + table.y()
                + " (got 0 runs)");
      }
      JFreeChart chart = HeatmapChart.of(table, spec.xScale(), spec.yScale(), caption);
      String name = name(spec, "map", table.x(), table.y(), table.color());
      List<String> files = write(out, name, List.of(chart), spec, table.csv());
      return new Result(files, table.runs(), table.x(), table.y(), table.color(), diverged);
    }
    String x = spec.x() == null ? RunConfig.ATTENTION_RATE.name() : spec.x();
    String y = spec.y() == null ? RunsTable.FINAL_DI_MAXWRONG.name() : spec.y();
    String color =
        spec.color() != null
            ? spec.color()
            : spec.boundary() != null ? PhaseMaps.BY_CLASS : RunsTable.FINAL_GS.name();
    ScatterData data = ScatterData.collect(runs, x, y, color);
    BoundaryLine boundary = null;
    if (spec.boundary() != null) {
      boundary =
          BoundaryLine.estimate(
              data.points(),
              spec.boundary(),
              spec.xScale().isLog(distinct(data, true), data.x()),
              spec.yScale().isLog(distinct(data, false), data.y()));
    }
    List<JFreeChart> panels =
        ScatterChart.of(data, spec.xScale(), spec.yScale(), caption, boundary);
    String name =
        name(
            spec,
            "scatter",
            data.x(),
            data.y(),
            data.color() == null ? PhaseMaps.BY_CLASS : data.color());
    List<String> files = write(out, name, panels, spec, data.csv());
    if (boundary != null) {
      files = new ArrayList<>(files);
      files.add(
          out.write(
              name + ".boundary.csv", boundary.csv(data.x()).getBytes(StandardCharsets.UTF_8)));
    }
    return new Result(files, data.points().size(), data.x(), data.y(), data.color(), diverged);
  }

  /**
   * The runs of {@code sweep} (null: all) matching the SQL condition {@code where} (null: all).
   *
   * @throws IllegalArgumentException when {@code where} is not valid SQL over the runs columns
   */
  public static Dataset<Row> select(Dataset<Row> runs, String sweep, String where) {
    Dataset<Row> r = runs;
    if (sweep != null) {
      r = r.where(col(ResultTables.SWEEP).equalTo(sweep));
    }
    if (where != null && !where.isBlank()) {
      try {
        r = r.where(where);
      } catch (Exception e) {
        if (e instanceof AnalysisException) {
          // the first line that says something: a parse error's message starts with an empty one
          String msg =
              String.valueOf(e.getMessage())
                  .lines()
                  .map(String::strip)
                  .filter(l -> !l.isEmpty())
                  .findFirst()
                  .orElse(e.getClass().getSimpleName());
          throw new IllegalArgumentException(
              "Cannot select runs with --where: " + msg + " (got " + where + ")", e);
        }
        throw e;
      }
    }
    return r;
  }

  /** The distinct x (or y) values of the points, as the scatter's axes decide log or linear. */
  private static double[] distinct(ScatterData data, boolean x) {
    return data.points().stream().mapToDouble(p -> x ? p.x() : p.y()).distinct().sorted().toArray();
  }

  private static String caption(MapSpec spec) {
    List<String> parts = new ArrayList<>();
    if (spec.sweep() != null) {
      parts.add("sweep " + spec.sweep());
    }
    if (spec.where() != null && !spec.where().isBlank()) {
      parts.add("where " + spec.where());
    }
    return String.join(" · ", parts);
  }

  private static String name(MapSpec spec, String kind, String x, String y, String color) {
    if (spec.name() != null) {
      return spec.name();
    }
    StringBuilder sb = new StringBuilder();
    if (spec.sweep() != null) {
      sb.append(spec.sweep()).append('_');
    }
    sb.append(kind).append('_').append(x).append('_').append(y);
    if (color != null) {
      sb.append('_').append(color);
    }
    return sb.toString();
  }

  private static List<String> write(
      OutputDir out, String name, List<JFreeChart> panels, MapSpec spec, String csv) {
    List<String> files = new ArrayList<>();
    files.add(out.write(name + ".png", Charts.png(panels, spec.width(), spec.height())));
    files.add(out.write(name + ".svg", Charts.svg(panels, spec.width(), spec.height())));
    files.add(out.write(name + ".csv", csv.getBytes(StandardCharsets.UTF_8)));
    return files;
  }
}
