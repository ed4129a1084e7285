package org.phasemap.jobs.report;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.curves.CurvesChart;
import org.phasemap.jobs.curves.Phases;
import org.phasemap.jobs.curves.RunCurves;
import org.phasemap.jobs.maps.DefaultAxes;
import org.phasemap.jobs.maps.HeatmapChart;
import org.phasemap.jobs.maps.MapTable;
import org.phasemap.jobs.maps.PhaseMaps;
import org.phasemap.jobs.maps.Scale;
import org.phasemap.jobs.maps.ScatterChart;
import org.phasemap.jobs.maps.ScatterData;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.jobs.plot.Palette;
import org.phasemap.tables.Column;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * One static HTML page about a results root: a summary table of every sweep, then per sweep its
 * phase map (over {@link DefaultAxes}), the papers' scatter (DI and GS over the attention rate),
 * and the curves of one representative run per final label. Representative = the first run, in the
 * sweep's run order, that ended with that label. Pictures are PNGs inlined as data URIs.
 */
public final class Report {
  static final int MAP_WIDTH = 900;
  static final int MAP_HEIGHT = 560;
  static final int MAP_MIN_HEIGHT = 340;
  static final int SCATTER_WIDTH = 1300;
  static final int SCATTER_HEIGHT = 520;
  static final int CURVES_WIDTH = 1000;
  static final int CURVES_HEIGHT = 1000;

  private Report() {}

  /** Builds the report of {@code root} and writes it to {@code out/fileName}; returns the path. */
  public static String write(SparkSession spark, String root, OutputDir out, String fileName) {
    return out.write(fileName, html(spark, root).getBytes(StandardCharsets.UTF_8));
  }

  /** The report of {@code root} as one HTML document. */
  public static String html(SparkSession spark, String root) {
    Charts.headless();
    Dataset<Row> runs = ResultTables.runs(spark, root).cache();
    try {
      List<SweepSummary> sweeps = SweepSummary.of(runs);
      StringBuilder h = new StringBuilder();
      h.append(
              "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>phasemap report: ")
          .append(esc(root))
          .append("</title>\n<style>")
          .append(CSS)
          .append("</style></head><body>\n");
      long total = sweeps.stream().mapToLong(SweepSummary::runs).sum();
      h.append("<h1>phasemap report</h1>\n<p class=\"meta\">Results root <code>")
          .append(esc(root))
          .append("</code> · ")
          .append(total)
          .append(" runs in ")
          .append(sweeps.size())
          .append(sweeps.size() == 1 ? " sweep" : " sweeps")
          .append(" · generated ")
          .append(
              DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                  Instant.now().atOffset(ZoneOffset.UTC).withNano(0)))
          .append(" UTC</p>\n");
      summaryTable(h, sweeps);
      boolean hasSteps = ResultTables.hasSteps(spark, root);
      for (SweepSummary s : sweeps) {
        sweepSection(
            h, spark, root, runs.where(col(ResultTables.SWEEP).equalTo(s.sweep())), s, hasSteps);
      }
      h.append(
          "<p class=\"meta\">Pictures and rules: docs/MAPS.md. Columns: docs/TABLES.md.</p>\n</body></html>\n");
      return h.toString();
    } finally {
      runs.unpersist();
    }
  }

  private static void summaryTable(StringBuilder h, List<SweepSummary> sweeps) {
    h.append("<h2>Sweeps</h2>\n<table><tr><th>sweep</th><th>runs</th><th>status</th>");
    for (String l : AlgorithmLabel.labels()) {
      h.append("<th><span class=\"dot\" style=\"background:")
          .append(hex(Palette.of(l)))
          .append("\"></span>")
          .append(esc(l.replace('_', ' ')))
          .append("</th>");
    }
    h.append(
        "<th>no label</th><th>median ms/step</th><th>code version</th><th>git commit</th><th>ND4J backend</th></tr>\n");
    for (SweepSummary s : sweeps) {
      h.append("<tr><td><a href=\"#sweep-")
          .append(esc(s.sweep()))
          .append("\">")
          .append(esc(s.sweep()))
          .append("</a></td><td class=\"n\">")
          .append(s.runs())
          .append("</td><td>");
      List<String> st = new ArrayList<>();
      s.statuses().forEach((k, v) -> st.add(v + " " + k));
      h.append(esc(String.join(", ", st))).append("</td>");
      for (String l : AlgorithmLabel.labels()) {
        h.append("<td class=\"n\">").append(s.labels().get(l)).append("</td>");
      }
      h.append("<td class=\"n\">")
          .append(s.labels().getOrDefault("none", 0L))
          .append("</td><td class=\"n\">")
          .append(
              Double.isNaN(s.medianMsPerStep())
                  ? "–"
                  : String.format(java.util.Locale.ROOT, "%.2f", s.medianMsPerStep()))
          .append("</td><td>")
          .append(esc(String.join(", ", s.codeVersions())))
          .append("</td><td><code>")
          .append(esc(String.join(", ", s.gitCommits())))
          .append("</code></td><td class=\"small\">")
          .append(esc(String.join("; ", s.backends())))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void sweepSection(
      StringBuilder h,
      SparkSession spark,
      String root,
      Dataset<Row> runs,
      SweepSummary s,
      boolean hasSteps) {
    h.append("<h2 id=\"sweep-")
        .append(esc(s.sweep()))
        .append("\">Sweep ")
        .append(esc(s.sweep()))
        .append("</h2>\n");

    DefaultAxes.Choice axes = DefaultAxes.choose(runs);
    MapTable table =
        MapTable.collect(PhaseMaps.aggregate(runs, axes.x(), axes.y(), PhaseMaps.BY_CLASS));
    h.append("<h3>Phase map: ")
        .append(esc(axes.x()))
        .append(" × ")
        .append(esc(axes.y()))
        .append("</h3>\n");
    h.append("<p>Each cell pools the runs with that ")
        .append(esc(axes.x()))
        .append(" and ")
        .append(esc(axes.y()))
        .append(
            " over seeds and every other axis; colour = most common label, shade = its share.</p>\n");
    if (table.cells().isEmpty()) {
      h.append("<p class=\"note\">No run has both columns.</p>\n");
    } else {
      // a map with one or two rows needs less height than a full grid
      int height =
          Math.max(MAP_MIN_HEIGHT, Math.min(MAP_HEIGHT, 220 + 120 * table.yValues().length));
      image(
          h,
          List.of(HeatmapChart.of(table, Scale.AUTO, Scale.AUTO, "sweep " + s.sweep())),
          MAP_WIDTH,
          height,
          "phase map of sweep " + s.sweep());
    }

    h.append("<h3>Gradient symmetricity and distance irrelevance (one dot per run)</h3>\n");
    h.append(
            "<p>Every run with the measures, as in Zhong et al.'s figure; theirs keeps only circular embeddings:")
        .append(" <code>phasemap map ROOT --style scatter --sweep ")
        .append(esc(s.sweep()))
        .append(" --where \"")
        .append(RunsTable.FINAL_CIRCULARITY.name())
        .append(" &gt;= 0.995\"</code>.</p>\n");
    try {
      ScatterData d =
          ScatterData.collect(
              runs,
              RunConfig.ATTENTION_RATE.name(),
              RunsTable.FINAL_DI_MAXWRONG.name(),
              RunsTable.FINAL_GS.name());
      image(
          h,
          ScatterChart.of(d, Scale.AUTO, Scale.AUTO, ""),
          SCATTER_WIDTH,
          SCATTER_HEIGHT,
          "DI and GS against attention rate, sweep " + s.sweep());
    } catch (IllegalArgumentException e) {
      h.append("<p class=\"note\">").append(esc(e.getMessage())).append("</p>\n");
    }

    h.append("<h3>Representative runs</h3>\n");
    List<Row> reps = representatives(runs);
    if (reps.isEmpty()) {
      h.append("<p class=\"note\">No run has a label.</p>\n");
      return;
    }
    h.append(
            "<table><tr><th>label</th><th>run_id</th><th>attention_rate</th><th>d_model</th><th>test acc</th>")
        .append("<th>GS</th><th>DI (max wrong)</th><th>circularity</th></tr>\n");
    for (Row r : reps) {
      h.append("<tr><td><span class=\"dot\" style=\"background:")
          .append(hex(Palette.of(r.getString(0))))
          .append("\"></span>")
          .append(esc(r.getString(0)))
          .append("</td><td><a href=\"#run-")
          .append(esc(r.getString(1)))
          .append("\"><code>")
          .append(esc(r.getString(1)))
          .append("</code></a></td>");
      for (int i = 2; i < r.size(); i++) {
        h.append("<td class=\"n\">")
            .append(r.isNullAt(i) ? "–" : Charts.number(round(((Number) r.get(i)).doubleValue())))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
    if (!hasSteps) {
      return;
    }
    for (Row r : reps) {
      String id = r.getString(1);
      h.append("<h4 id=\"run-")
          .append(esc(id))
          .append("\">")
          .append(esc(r.getString(0)))
          .append(": run <code>")
          .append(esc(id))
          .append("</code></h4>\n");
      try {
        RunCurves curves = RunCurves.load(spark, root, id, s.sweep());
        image(
            h,
            List.of(CurvesChart.of(curves, Phases.of(curves.points()))),
            CURVES_WIDTH,
            CURVES_HEIGHT,
            "curves of run " + id);
      } catch (IllegalArgumentException e) {
        h.append("<p class=\"note\">").append(esc(e.getMessage())).append("</p>\n");
      }
    }
  }

  /** Per label present, the first run in run order with it: label, run_id and a few measures. */
  static List<Row> representatives(Dataset<Row> runs) {
    List<String> names = List.of(runs.columns());
    if (!names.contains(PhaseMaps.LABEL)) {
      return List.of();
    }
    String runId = RunsTable.RUN_ID.name();
    String runIndex = RunsTable.RUN_INDEX.name();
    String order = names.contains(runIndex) ? runIndex + ", " + runId : runId;
    List<String> measures = new ArrayList<>();
    List<String> shown =
        new ArrayList<>(List.of(RunConfig.ATTENTION_RATE.name(), RunConfig.D_MODEL.name()));
    for (Column<?> c :
        List.of(
            RunsTable.FINAL_TEST_ACC,
            RunsTable.FINAL_GS,
            RunsTable.FINAL_DI_MAXWRONG,
            RunsTable.FINAL_CIRCULARITY)) {
      shown.add(c.name());
    }
    for (String c : shown) {
      measures.add(
          names.contains(c) ? "CAST(" + c + " AS DOUBLE) AS " + c : "CAST(NULL AS DOUBLE) AS " + c);
    }
    List<String> select = new ArrayList<>(List.of(PhaseMaps.LABEL, runId));
    select.addAll(measures);
    select.add(
        "row_number() OVER (PARTITION BY " + PhaseMaps.LABEL + " ORDER BY " + order + ") AS _rank");
    List<Row> firsts =
        runs.where(col(PhaseMaps.LABEL).isNotNull())
            .selectExpr(select.toArray(new String[0]))
            .where(col("_rank").equalTo(1))
            .drop("_rank")
            .collectAsList();
    List<Row> out = new ArrayList<>();
    for (String l : AlgorithmLabel.labels()) {
      firsts.stream().filter(r -> l.equals(r.getString(0))).forEach(out::add);
    }
    return out;
  }

  private static double round(double v) {
    return Math.abs(v) >= 1000 || v == Math.rint(v)
        ? v
        : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", v));
  }

  private static void image(
      StringBuilder h, List<JFreeChart> panels, int width, int height, String alt) {
    byte[] png = Charts.png(panels, width, height);
    h.append("<img width=\"")
        .append(width)
        .append("\" alt=\"")
        .append(esc(alt))
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png))
        .append("\">\n");
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String hex(java.awt.Color c) {
    return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

  private static final String CSS =
      String.join(
          "\n",
          "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:24px 32px;color:#222;max-width:1320px}",
          "h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin-top:36px;border-bottom:1px solid #ccc;padding-bottom:4px}",
          "h3{font-size:16px;margin:22px 0 6px}h4{font-size:14px;margin:18px 0 4px}",
          "table{border-collapse:collapse;font-size:13px;margin:8px 0}",
          "th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}",
          "td.n{text-align:right;font-variant-numeric:tabular-nums}td.small{font-size:11px;max-width:360px;color:#555}",
          "img{max-width:100%;height:auto;display:block;border:1px solid #eee;margin:6px 0}",
          ".meta{color:#666;font-size:13px}.note{color:#a33;font-size:13px}p{font-size:14px}",
          ".dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}",
          "code{font-size:12px}");
}
