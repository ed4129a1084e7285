package org.phasemap.driver.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.maps.MapJob;
import org.phasemap.jobs.stats.PhaseStatistics;
import org.phasemap.tables.ResultTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap stats ROOT}: a sweep's phase diagram as tables with error bars (shares per bin
 * with Wilson intervals, medians, the switch α* by logistic fits with bootstrap intervals).
 */
@Command(
    name = "stats",
    header =
        "Print a sweep's phase diagram as tables with error bars, and where the clock takes over.",
    mixinStandardHelpOptions = true,
    description = {
      "Print, as Markdown, per bin of the attention rate (and per group of --by, e.g. d_model or",
      "n_layers) the shares of runs that generalise, are circular, and are pizza, mixed or clock among",
      "the circular ones, with 95% Wilson intervals, beside median GS, DI and circularity; then the",
      "switch alpha* for GS < 0.95 and DI >= 0.6 by logistic fits with bootstrap intervals, and with",
      "--by d_model the line alpha*(d) = c0 + c1 log2(d/32). See docs/REPRODUCTION.md."
    })
final class StatsCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root written by 'phasemap run'")
  String root;

  @Option(names = "--sweep", paramLabel = "NAME", description = "Keep the runs of this sweep only")
  String sweep;

  @Option(
      names = "--where",
      paramLabel = "SQL",
      description = "Keep runs matching this Spark SQL condition, e.g. \"n_layers = 1\"")
  String where;

  @Option(
      names = "--x",
      paramLabel = "COLUMN",
      defaultValue = "attention_rate",
      description = "Numeric runs column to bin and fit along (default: ${DEFAULT-VALUE})")
  String x;

  @Option(
      names = "--bin-width",
      paramLabel = "W",
      defaultValue = "0.1",
      description = "Width of the bins of --x, from 0 (default: ${DEFAULT-VALUE})")
  double binWidth;

  @Option(
      names = "--by",
      paramLabel = "COLUMN",
      description =
          "Group by this runs column first, e.g. d_model (octaves when it has more than 12 values)"
              + " or n_layers")
  String by;

  @Option(
      names = "--min-circularity",
      paramLabel = "C",
      defaultValue = "0.995",
      description =
          "Circular runs need at least this final circularity (default: ${DEFAULT-VALUE}, the paper's)")
  double minCircularity;

  @Option(
      names = "--min-test-accuracy",
      paramLabel = "A",
      defaultValue = "0.99",
      description = "A run generalised at this final test accuracy (default: ${DEFAULT-VALUE})")
  double minTestAccuracy;

  @Option(
      names = "--resamples",
      paramLabel = "B",
      defaultValue = "2000",
      description = "Bootstrap resamples per fit (default: ${DEFAULT-VALUE})")
  int resamples;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "The bootstrap's seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "FILE.md",
      description = "Also write the tables to this Markdown file")
  String out;

  @Override
  public Integer call() {
    PhaseStatistics.Options options = options();
    if (out != null && !out.endsWith(".md")) {
      throw new IllegalArgumentException("--out names a .md file (got " + out + ")");
    }
    SparkSession spark = Sessions.create("phasemap stats");
    try {
      return print(spark, options);
    } finally {
      spark.stop();
    }
  }

  PhaseStatistics.Options options() {
    return new PhaseStatistics.Options(
        x, binWidth, by, minCircularity, minTestAccuracy, resamples, seed);
  }

  /** Prints (and writes) the tables with {@code spark} (which the caller owns). */
  int print(SparkSession spark, PhaseStatistics.Options options) {
    List<PhaseStatistics.Point> points =
        PhaseStatistics.collect(
            MapJob.select(ResultTables.runs(spark, root), sweep, where), options);
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot tabulate: no runs of "
              + root
              + " match"
              + (sweep == null ? "" : " --sweep " + sweep)
              + (where == null ? "" : " --where " + where)
              + " (got 0 runs)");
    }
    String title =
        (sweep == null ? "All sweeps of " + root : "Sweep " + sweep)
            + (where == null ? "" : ", where " + where);
    String md = PhaseStatistics.markdown(points, options, title);
    System.out.print(md);
    if (out != null) {
      String written =
          OutputDir.parentOf(out, spark.sparkContext().hadoopConfiguration())
              .write(OutputDir.fileName(out), md.getBytes(StandardCharsets.UTF_8));
      System.out.println("Wrote " + written);
    }
    return 0;
  }
}
