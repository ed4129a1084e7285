package org.phasemap.jobs.curves;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.plot.Charts;

/** Draws one run's curves into {@code curves_RUNID.png} and {@code .svg}. */
public final class CurvesJob {
  public static final int DEFAULT_WIDTH = 1000;
  public static final int DEFAULT_HEIGHT = 1100;

  private CurvesJob() {}

  /** What was drawn. */
  public record Result(List<String> files, RunCurves curves, Phases phases) {}

  /** Reads run {@code runId} of {@code root} (sweep may be null) and writes its pictures. */
  public static Result draw(
      SparkSession spark,
      String root,
      String runId,
      String sweep,
      int width,
      int height,
      OutputDir out) {
    Charts.checkSize(width, height);
    RunCurves curves = RunCurves.load(spark, root, runId, sweep);
    Phases phases = Phases.of(curves.points());
    JFreeChart chart = CurvesChart.of(curves, phases);
    String name = "curves_" + runId;
    List<String> files =
        List.of(
            out.write(name + ".png", Charts.png(List.of(chart), width, height)),
            out.write(name + ".svg", Charts.svg(List.of(chart), width, height)));
    return new Result(files, curves, phases);
  }
}
