package org.phasemap.driver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.refine.RefineRounds;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.SweepCost;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.worker.train.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasemap run SPEC --out ROOT}: trains the sweep's missing runs and writes the tables. */
@Command(
    name = "run",
    header = "Train the runs of a sweep that ROOT does not hold yet.",
    mixinStandardHelpOptions = true,
    description = {
      "Train the runs of a sweep that ROOT does not hold yet and write the runs and steps tables.",
      "One run per Spark task; ROOT is any Hadoop path (local, file://, hdfs://, s3a://).",
      "Runs on embedded local[*] unless spark-submit gives a master. Re-running resumes:",
      "committed runs are skipped, failed ones are re-run only with --retry-failed.",
      "A spec with a refine block then runs its refinement rounds (docs/SAMPLING.md): each",
      "round reads the runs table and adds runs between neighbours whose labels differ."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "Sweep spec (YAML)")
  Path specFile;

  @Option(names = "--out", required = true, paramLabel = "ROOT", description = "Results root")
  String root;

  @Option(names = "--retry-failed", description = "Also re-run runs recorded with status failed")
  boolean retryFailed;

  @Option(
      names = "--no-refine",
      description = "Train only the spec's own runs, not the rounds of its refine block")
  boolean noRefine;

  @Option(
      names = "--progress-seconds",
      defaultValue = "30",
      description = "Print progress at least this often (default: ${DEFAULT-VALUE})")
  int progressSeconds;

  @Option(
      names = "--allow-large",
      description =
          "Train a sweep above the size guard (more than 10 000 runs, or more than 200 estimated"
              + " core-hours; 'plan' shows the estimate)")
  boolean allowLarge;

  @Override
  public Integer call() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(specFile);
    SweepCost cost = SweepCost.of(spec);
    System.out.printf(
        "Sweep %s: %s%n", spec.name(), cost.describe(Runtime.getRuntime().availableProcessors()));
    if (cost.aboveGuard() && !allowLarge) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "Not training sweep %s: %d runs, about %.0f core-hours, is above the size guard (%d runs or %.0f"
                  + " core-hours). Check it with 'scripts/phasemap plan %s'; add --allow-large to train it anyway"
                  + " (re-running resumes, so it can be stopped and continued)",
              spec.name(),
              cost.runs() + cost.refineRuns(),
              cost.coreHours(),
              SweepCost.GUARD_RUNS,
              SweepCost.GUARD_CORE_HOURS,
              specFile));
    }
    SparkSession spark = Sessions.create("phasemap run " + spec.name());
    try {
      SweepRunner.Options options =
          new SweepRunner.Options(root, retryFailed, System.out, progressSeconds * 1000L);
      SweepRunner.Result r =
          SweepRunner.run(spark, spec, () -> SweepPlanner.iterate(spec), 0, options);
      System.out.printf(
          "Sweep %s in %s: %s (trained %d now, %d were already there)%n",
          spec.name(), root, r.statusCounts(), r.executed(), r.skipped());
      int failed = r.count(RunStatus.FAILED.value());
      if (spec.refine() != null && !noRefine) {
        failed = RefineRounds.run(spark, spec, options).failed();
      }
      System.out.printf("Query it: scripts/phasemap sql %s \"SELECT * FROM runs\"%n", root);
      return failed > 0 ? 1 : 0;
    } finally {
      spark.stop();
    }
  }
}
