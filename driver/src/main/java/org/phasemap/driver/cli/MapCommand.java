package org.phasemap.driver.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.maps.MapJob;
import org.phasemap.jobs.maps.MapSpec;
import org.phasemap.jobs.maps.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap map ROOT}: a phase-space map of the runs table as PNG, SVG and CSV
 * (docs/MAPS.md).
 */
@Command(
    name = "map",
    header = "Draw a phase-space map: which algorithm the runs learned over two columns.",
    mixinStandardHelpOptions = true,
    description = {
      "Draw a phase-space map of a results root: which algorithm the runs learned over two run columns,",
      "aggregated over seeds and every other axis (heatmap), or one dot per run in the papers' style",
      "(--style scatter). Writes NAME.png, NAME.svg and NAME.csv. See docs/MAPS.md."
    })
final class MapCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root written by 'phasemap run'")
  String root;

  @Option(
      names = "--x",
      paramLabel = "COLUMN",
      description =
          "Numeric runs column on x (heatmap default: the most varied hyperparameter; scatter: attention_rate)")
  String x;

  @Option(
      names = "--y",
      paramLabel = "COLUMN",
      description =
          "Numeric runs column on y (heatmap default: the next most varied; scatter: final_di_maxwrong)")
  String y;

  @Option(
      names = "--color",
      paramLabel = "class|COLUMN",
      description =
          "'class' (dominant final_label; heatmap default) or a numeric column, e.g. gs, di_correct,"
              + " di_maxwrong, circularity, final_test_acc (scatter default: final_gs). 'gs' means final_gs, etc.")
  String color;

  @Option(
      names = "--style",
      paramLabel = "heatmap|scatter",
      defaultValue = "heatmap",
      description =
          "heatmap: one cell per distinct (x, y); scatter: one dot per run, two panels (default: ${DEFAULT-VALUE})")
  String style;

  @Option(
      names = "--where",
      paramLabel = "SQL",
      description =
          "Keep runs matching this Spark SQL condition, e.g. \"final_circularity >= 0.995\"")
  String where;

  @Option(names = "--sweep", paramLabel = "NAME", description = "Keep the runs of this sweep only")
  String sweep;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ROOT/_maps)")
  String out;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "File name without extension (default: from the style and columns)")
  String name;

  @Option(
      names = "--width",
      paramLabel = "PX",
      description = "Picture width (default: 900; scatter 1400)")
  Integer width;

  @Option(
      names = "--height",
      paramLabel = "PX",
      description = "Picture height (default: 700; scatter 620)")
  Integer height;

  @Option(
      names = "--boundary",
      paramLabel = "CLASS",
      description =
          "Scatter: draw the estimated boundary where the share of CLASS (e.g. clock) crosses 1/2"
              + " along y, with its bracketing band, over the runs coloured by class or by --color;"
              + " its points go to NAME.boundary.csv")
  String boundary;

  @Option(
      names = "--log-x",
      description = "Log x axis (default: log when the x values are log-spaced)")
  boolean logX;

  @Option(
      names = "--log-y",
      description = "Log y axis (default: log when the y values are log-spaced)")
  boolean logY;

  @Override
  public Integer call() {
    MapSpec spec = spec();
    SparkSession spark = Sessions.create("phasemap map");
    try {
      return draw(spark, spec);
    } finally {
      spark.stop();
    }
  }

  /** The request as the options give it; bad values are bad input. */
  MapSpec spec() {
    MapSpec.Style s =
        switch (style.toLowerCase(Locale.ROOT)) {
          case "heatmap" -> MapSpec.Style.HEATMAP;
          case "scatter" -> MapSpec.Style.SCATTER;
          default ->
              throw new IllegalArgumentException(
                  "Cannot draw a map: --style is heatmap or scatter (got " + style + ")");
        };
    boolean scatter = s == MapSpec.Style.SCATTER;
    int w = width != null ? width : scatter ? MapSpec.SCATTER_WIDTH : MapSpec.DEFAULT_WIDTH;
    int h = height != null ? height : scatter ? MapSpec.SCATTER_HEIGHT : MapSpec.DEFAULT_HEIGHT;
    return new MapSpec(
        s,
        x,
        y,
        color,
        where,
        sweep,
        logX ? Scale.LOG : Scale.AUTO,
        logY ? Scale.LOG : Scale.AUTO,
        w,
        h,
        name,
        boundary);
  }

  /** Draws the map with {@code spark} (which the caller owns). */
  int draw(SparkSession spark, MapSpec spec) {
    String dir = out != null ? out : OutputDir.defaultFor(root);
    MapJob.Result r =
        MapJob.draw(
            spark, root, spec, OutputDir.of(dir, spark.sparkContext().hadoopConfiguration()));
    System.out.printf(
        "Drew %d runs: %s x %s, colour %s%n",
        r.runs(), r.x(), r.y(), r.color() == null ? "class" : r.color());
    if (r.divergedLeftOut() > 0) {
      System.out.printf(
          "Left out %d diverged run%s (--where \"status = 'diverged'\" draws them)%n",
          r.divergedLeftOut(), r.divergedLeftOut() == 1 ? "" : "s");
    }
    for (String f : r.files()) {
      System.out.println("  " + f);
    }
    return 0;
  }
}
