package org.phasemap.driver.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.phasemap.driver.output.FileCommit;
import org.phasemap.driver.spec.PlannedRun;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.train.RunStatus;

/**
 * Runs a planned sweep on Spark: one run per task, results committed by the executors run by run.
 *
 * <p>Before anything trains, the runner checks that the output root is writable and that it does
 * not hold a different sweep under the same name, and reads which runs of this sweep are already
 * committed: those are skipped (resume), except failed ones under {@link Options#retryFailed()}.
 * While the job runs, it prints runs done/total, failures and an ETA.
 */
public final class SweepRunner {

  /** How to run: where to write, whether to re-run failed runs, where to print progress. */
  public record Options(
      String root, boolean retryFailed, PrintStream console, long progressEveryMs) {
    public Options {
      if (root == null || root.isBlank()) {
        throw new IllegalArgumentException("Cannot run a sweep: the output root is empty");
      }
    }
  }

  /** Counts by status after the sweep, and how many runs were trained in this invocation. */
  public record Result(int planned, int skipped, int executed, Map<String, Integer> statusCounts) {
    public int count(String status) {
      return statusCounts.getOrDefault(status, 0);
    }
  }

  private SweepRunner() {}

  /** Trains every run of {@code plan} that the root does not hold yet and commits the results. */
  public static Result run(SparkSession spark, SweepSpec spec, List<PlannedRun> plan, Options o)
      throws IOException {
    return run(spark, spec, plan::iterator, 0, o);
  }

  /**
   * Most runs handed to Spark in one job (system property {@code phasemap.waveSize}, default 4096);
   * bigger sweeps go in waves, so the driver's memory stays flat.
   */
  static int waveSize() {
    return Math.max(1, Integer.getInteger("phasemap.waveSize", 4096));
  }

  /**
   * Trains every run of {@code plan} that the root does not hold yet, tagging the rows with {@code
   * round} (0 for the spec's own runs, 1.. for refinement rounds).
   *
   * <p>The plan is read twice, once to count what is missing (for the ETA) and once to train it, in
   * waves of at most {@link #waveSize()} runs, one Spark job each: the driver holds one wave's
   * configurations at a time and, for resume, the ids of the committed runs.
   */
  public static Result run(
      SparkSession spark, SweepSpec spec, Supplier<Iterator<PlannedRun>> plan, int round, Options o)
      throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    long callStart = System.currentTimeMillis();
    prepareRoot(hadoop, spec, o.root());

    Map<String, String> committed = committedStatuses(spark, o.root(), spec.name());
    int planned = 0;
    int skipped = 0;
    int missing = 0;
    long totalSteps = 0;
    long countStart = System.nanoTime();
    long lastReport = countStart;
    for (Iterator<PlannedRun> it = plan.get(); it.hasNext(); ) {
      PlannedRun r = it.next();
      planned++;
      if ((planned & 0x3FFF) == 0 && System.nanoTime() - lastReport > 5_000_000_000L) {
        // planning millions of runs (each a config and its hash) takes a while: say so
        lastReport = System.nanoTime();
        o.console()
            .printf(
                Locale.ROOT,
                "Sweep %s: planned %d runs so far, %d of them already in %s, %.0f s%n",
                spec.name(),
                planned,
                skipped,
                o.root(),
                (lastReport - countStart) / 1e9);
      }
      if (wanted(committed.get(r.runId()), o)) {
        missing++;
        totalSteps += r.config().steps();
      } else {
        skipped++;
      }
    }
    PrintStream out = o.console();
    String master = spark.sparkContext().master();
    out.printf(
        "Sweep %s%s: %d runs planned, %d already in %s, %d to train on %s (%d task slots)%n",
        spec.name(),
        round == 0 ? "" : " round " + round,
        planned,
        skipped,
        o.root(),
        missing,
        master,
        spark.sparkContext().defaultParallelism());
    if (missing == 0) {
      reportStale(out, removeStaleStaging(hadoop, o.root(), spec.name(), callStart));
      return new Result(planned, skipped, 0, countStatuses(spark, o.root(), spec.name()));
    }

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Progress progress = new Progress(jsc, spec.name(), missing, totalSteps, o);
    spark.sparkContext().addSparkListener(progress.steps);
    RunTask task =
        new RunTask(
            o.root(),
            spec.name(),
            hadoop,
            spark.version(),
            spark.sparkContext().applicationId(),
            progress.finished,
            progress.failed,
            spark.conf().get("spark.phasemap.faults", ""),
            spec.analysis(),
            progress.stepCounter);
    List<RunTask.Summary> summaries = new ArrayList<>();
    try {
      int waveSize = waveSize();
      List<RunTask.Input> wave = new ArrayList<>();
      for (Iterator<PlannedRun> it = plan.get(); it.hasNext(); ) {
        PlannedRun r = it.next();
        String status = committed.get(r.runId());
        if (!wanted(status, o)) {
          continue;
        }
        boolean retry = o.retryFailed() && RunStatus.FAILED.value().equals(status);
        wave.add(
            new RunTask.Input(
                r.config(),
                new RunsTable.Origin(spec.seed(), spec.fingerprint(), r.index(), round),
                retry));
        if (wave.size() == waveSize) {
          summaries.addAll(failures(runWave(jsc, spec, task, wave, progress)));
          wave = new ArrayList<>();
        }
      }
      if (!wave.isEmpty()) {
        summaries.addAll(failures(runWave(jsc, spec, task, wave, progress)));
      }
    } finally {
      spark.sparkContext().removeSparkListener(progress.steps);
    }
    out.println(progress.line(missing, totalSteps));
    for (RunTask.Summary s : summaries) {
      out.printf("  run %s (#%d) %s: %s%n", s.runId(), s.index(), s.status(), s.error());
    }
    reportStale(out, removeStaleStaging(hadoop, o.root(), spec.name(), callStart));
    return new Result(planned, skipped, missing, countStatuses(spark, o.root(), spec.name()));
  }

  private static void reportStale(PrintStream out, int stale) {
    if (stale > 0) {
      out.printf(
          "Removed %d staging file%s left by attempts killed before this run%n",
          stale, stale == 1 ? "" : "s");
    }
  }

  /**
   * Deletes the uncommitted files that attempts killed before {@code beforeMs} left in this sweep's
   * table folders: every task of this call has ended, and earlier attempts are gone.
   */
  static int removeStaleStaging(Configuration hadoop, String root, String sweep, long beforeMs)
      throws IOException {
    int removed = 0;
    for (String table :
        List.of(
            ResultTables.runsDir(root),
            ResultTables.stepsDir(root),
            ResultTables.llcTraceDir(root),
            ResultTables.ibDirectionsDir(root),
            ResultTables.ibEdgesDir(root),
            ResultTables.weightsDir(root))) {
      Path dir = new Path(ResultTables.sweepDir(table, sweep));
      removed += FileCommit.removeStale(dir.getFileSystem(hadoop), dir, beforeMs);
    }
    return removed;
  }

  private static boolean wanted(String committedStatus, Options o) {
    return committedStatus == null
        || (o.retryFailed() && RunStatus.FAILED.value().equals(committedStatus));
  }

  /** The summaries worth printing: runs that did not end ok. */
  private static List<RunTask.Summary> failures(List<RunTask.Summary> summaries) {
    List<RunTask.Summary> bad = new ArrayList<>();
    for (RunTask.Summary s : summaries) {
      if (!RunStatus.OK.value().equals(s.status())
          && !RunTask.Summary.ALREADY_COMMITTED.equals(s.status())) {
        bad.add(s);
      }
    }
    return bad;
  }

  /** The counters shared by all waves of one call, and the progress line they make. */
  private static final class Progress {
    final LongAccumulator finished;
    final LongAccumulator failed;
    final LongAccumulator stepCounter;
    final StepProgress steps;
    final String sweep;
    final int total;
    final long totalSteps;
    final Options o;
    final long start = System.currentTimeMillis();
    long lastPrint = 0;
    long lastDone = -1;

    Progress(JavaSparkContext jsc, String sweep, int total, long totalSteps, Options o) {
      this.finished = jsc.sc().longAccumulator("phasemap.runs.finished");
      this.failed = jsc.sc().longAccumulator("phasemap.runs.failed");
      this.stepCounter = jsc.sc().longAccumulator("phasemap.steps");
      this.steps = new StepProgress(stepCounter);
      this.sweep = sweep;
      this.total = total;
      this.totalSteps = totalSteps;
      this.o = o;
    }

    long lastSteps = -1;
    long lastChange = start;

    /**
     * The progress line. Running tasks report their steps with executor heartbeats, so between two
     * reports the count stands still: the ETA is taken at the last change of the count and counts
     * down from there, instead of growing while nothing is reported.
     */
    String line(long done, long stepsDone) {
      long now = System.currentTimeMillis();
      if (stepsDone != lastSteps) {
        lastSteps = stepsDone;
        lastChange = now;
      }
      return progress(
          sweep,
          done,
          failed.value(),
          total,
          stepsDone,
          totalSteps,
          now - start,
          lastChange - start);
    }

    void tick() {
      long now = System.currentTimeMillis();
      long done = finished.value();
      if (done != lastDone || now - lastPrint >= o.progressEveryMs()) {
        o.console().println(line(done, steps.done()));
        lastDone = done;
        lastPrint = now;
      }
    }
  }

  /** One Spark job over {@code wave}, one run per task; prints progress until it ends. */
  private static List<RunTask.Summary> runWave(
      JavaSparkContext jsc,
      SweepSpec spec,
      RunTask task,
      List<RunTask.Input> wave,
      Progress progress)
      throws IOException {
    jsc.setJobGroup("phasemap-" + spec.name(), "phasemap sweep " + spec.name(), true);
    JavaFutureAction<List<RunTask.Summary>> job;
    try {
      JavaRDD<RunTask.Input> inputs = jsc.parallelize(wave, wave.size());
      job = inputs.mapPartitions(task).collectAsync();
    } finally {
      jsc.clearJobGroup(); // the group names the training jobs only, not the reads around them
    }
    while (true) {
      try {
        return job.get(500, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        progress.tick();
      } catch (InterruptedException e) {
        job.cancel(true);
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while running sweep " + spec.name(), e);
      } catch (ExecutionException e) {
        throw new IOException(
            "Sweep "
                + spec.name()
                + " stopped: "
                + e.getCause().getMessage()
                + "\nEvery run committed so far is kept; run the same command again to finish the rest.",
            e.getCause());
      }
    }
  }

  /**
   * One progress line: runs done/total, failures, training steps done/total (runs in progress
   * included, as of their executors' last heartbeat), elapsed time and the remaining time at the
   * current rate of steps.
   */
  static String progress(
      String sweep,
      long done,
      long failed,
      long total,
      long stepsDone,
      long totalSteps,
      long elapsedMs) {
    return progress(sweep, done, failed, total, stepsDone, totalSteps, elapsedMs, elapsedMs);
  }

  /**
   * The progress line, its ETA from the rate at {@code countedAtMs} (when {@code stepsDone} was
   * last seen to change) less the time since.
   */
  static String progress(
      String sweep,
      long done,
      long failed,
      long total,
      long stepsDone,
      long totalSteps,
      long elapsedMs,
      long countedAtMs) {
    long steps = Math.min(stepsDone, totalSteps);
    String eta =
        steps == 0
            ? "?"
            : duration(
                Math.max(
                    0,
                    (long) ((double) countedAtMs / steps * (totalSteps - steps))
                        - (elapsedMs - countedAtMs)));
    return String.format(
        "[%s] %d/%d runs done, %d failed, %d/%d steps (%.0f %%), elapsed %s, ETA %s",
        sweep,
        done,
        total,
        failed,
        steps,
        totalSteps,
        totalSteps == 0 ? 100.0 : 100.0 * steps / totalSteps,
        duration(elapsedMs),
        eta);
  }

  static String duration(long ms) {
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /**
   * Makes sure the root is writable and holds no other sweep of the same name; records the spec.
   * The spec is stored as {@code _sweeps/NAME.yaml}, its first line carrying the fingerprint.
   */
  static void prepareRoot(Configuration hadoop, SweepSpec spec, String root) throws IOException {
    Path specsDir = new Path(ResultTables.specsDir(root));
    Path rootPath = new Path(root);
    if (rootPath.getFileSystem(hadoop).isFile(rootPath)) {
      throw new IllegalArgumentException(
          "Cannot use output root "
              + root
              + ": it is a file, not a folder (allowed: a new folder, or one that 'phasemap run' wrote)");
    }
    FileSystem fs;
    try {
      fs = specsDir.getFileSystem(hadoop);
      fs.mkdirs(specsDir);
      Path probe = new Path(specsDir, ".write-probe-" + System.nanoTime());
      try (OutputStream os = fs.create(probe, true)) {
        os.write(1);
      }
      fs.delete(probe, false);
    } catch (IOException | RuntimeException e) {
      throw new IOException("Cannot write to output root " + root + ": " + e.getMessage(), e);
    }
    Path specFile = new Path(specsDir, spec.name() + ".yaml");
    String header = "# phasemap sweep spec, fingerprint " + spec.fingerprint() + "\n";
    if (fs.exists(specFile)) {
      String existing;
      try (InputStream in = fs.open(specFile)) {
        existing = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String firstLine = existing.lines().findFirst().orElse("");
      if (!firstLine.equals(header.strip())) {
        throw new IllegalArgumentException(
            "Cannot run sweep '"
                + spec.name()
                + "' into "
                + root
                + ": that root already holds a different sweep named '"
                + spec.name()
                + "' ("
                + firstLine.replace("# phasemap sweep spec, ", "")
                + ", this spec has fingerprint "
                + spec.fingerprint()
                + "). Use another --out or give the sweep another name.");
      }
      return;
    }
    try (OutputStream os = fs.create(specFile, false)) {
      os.write((header + spec.sourceText()).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** run_id to status of the runs of {@code sweep} committed under {@code root}. */
  static Map<String, String> committedStatuses(SparkSession spark, String root, String sweep) {
    Map<String, String> m = new HashMap<>();
    if (!sweepHasRuns(spark, root, sweep)) {
      return m;
    }
    String dir = ResultTables.sweepDir(ResultTables.runsDir(root), sweep);
    for (Row r :
        spark
            .read()
            .parquet(dir)
            .select(RunsTable.RUN_ID.name(), RunsTable.STATUS.name())
            .collectAsList()) {
      m.put(r.getString(0), r.getString(1));
    }
    return m;
  }

  private static boolean sweepHasRuns(SparkSession spark, String root, String sweep) {
    try {
      Path p = new Path(ResultTables.sweepDir(ResultTables.runsDir(root), sweep));
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return false;
      }
      for (var st : fs.listStatus(p)) {
        if (st.isFile() && st.getPath().getName().endsWith(".parquet")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list runs of sweep " + sweep + " in " + root, e);
    }
  }

  /** Committed runs of a sweep by status (one per run id). */
  public static Map<String, Integer> countStatuses(SparkSession spark, String root, String sweep) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String status : committedStatuses(spark, root, sweep).values()) {
      counts.merge(status, 1, Integer::sum);
    }
    return counts;
  }
}
