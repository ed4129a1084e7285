package org.phasemap.driver.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasemap report ROOT}: one static HTML page about a results root (docs/MAPS.md). */
@Command(
    name = "report",
    header = "Write one static HTML page about a results root.",
    mixinStandardHelpOptions = true,
    description = {
      "Write one static HTML page about a results root: per sweep its runs by status and label, median",
      "step time and provenance, its phase map and DI/GS scatter, and the curves of one run per label.",
      "Pictures are inlined, so the page is a single file. See docs/MAPS.md."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root written by 'phasemap run'")
  String root;

  @Option(
      names = "--out",
      paramLabel = "FILE.html",
      description = "The page to write (default: ROOT/_maps/report.html)")
  String out;

  @Override
  public Integer call() {
    SparkSession spark = Sessions.create("phasemap report");
    try {
      return write(spark);
    } finally {
      spark.stop();
    }
  }

  /** Writes the report with {@code spark} (which the caller owns). */
  int write(SparkSession spark) {
    String file = out != null ? out : OutputDir.defaultFor(root) + "/report.html";
    if (!file.endsWith(".html") && !file.endsWith(".htm")) {
      throw new IllegalArgumentException(
          "Cannot write the report: --out names an .html file (got " + file + ")");
    }
    String written =
        Report.write(
            spark,
            root,
            OutputDir.parentOf(file, spark.sparkContext().hadoopConfiguration()),
            OutputDir.fileName(file));
    System.out.println("Wrote " + written);
    return 0;
  }
}
