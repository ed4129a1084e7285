package org.phasemap.driver.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.curves.CurvesJob;
import org.phasemap.jobs.curves.Phases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap curves ROOT --run ID}: one run's progress measures over its steps (docs/MAPS.md).
 */
@Command(
    name = "curves",
    header = "Draw one run's progress measures over its steps.",
    mixinStandardHelpOptions = true,
    description = {
      "Draw one run's progress measures over its steps: train/test loss, restricted and excluded loss,",
      "accuracy, sum of squared weights, Gini, the label at each checkpoint, with the memorisation,",
      "circuit-formation and clean-up phases tinted. Writes curves_RUN_ID.png and .svg. See docs/MAPS.md."
    })
final class CurvesCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root written by 'phasemap run'")
  String root;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "RUN_ID",
      description = "run_id of the run (16 hex digits)")
  String runId;

  @Option(
      names = "--sweep",
      paramLabel = "NAME",
      description = "The sweep, when several trained the same run (default: the first by name)")
  String sweep;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ROOT/_maps)")
  String out;

  @Option(
      names = "--width",
      paramLabel = "PX",
      defaultValue = "" + CurvesJob.DEFAULT_WIDTH,
      description = "Picture width (default: ${DEFAULT-VALUE})")
  int width;

  @Option(
      names = "--height",
      paramLabel = "PX",
      defaultValue = "" + CurvesJob.DEFAULT_HEIGHT,
      description = "Picture height (default: ${DEFAULT-VALUE})")
  int height;

  @Override
  public Integer call() {
    RunIds.require(runId, "Cannot draw curves");
    SparkSession spark = Sessions.create("phasemap curves " + runId);
    try {
      return draw(spark);
    } finally {
      spark.stop();
    }
  }

  /** Draws the curves with {@code spark} (which the caller owns). */
  int draw(SparkSession spark) {
    String dir = out != null ? out : OutputDir.defaultFor(root);
    CurvesJob.Result r =
        CurvesJob.draw(
            spark,
            root,
            runId,
            sweep,
            width,
            height,
            OutputDir.of(dir, spark.sparkContext().hadoopConfiguration()));
    Phases p = r.phases();
    System.out.printf(
        "Run %s (sweep %s, %d logged steps, final label %s): %s%n",
        runId,
        r.curves().sweep(),
        r.curves().points().size(),
        r.curves().finalLabel(),
        p.describe());
    for (String f : r.files()) {
      System.out.println("  " + f);
    }
    return 0;
  }
}
