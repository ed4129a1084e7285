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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.phasemap.driver.output.FileCommit;
import org.phasemap.driver.output.IcebergTables;
import org.phasemap.driver.output.ResultCommitter;
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
    Map<String, org.apache.iceberg.Table> tables = IcebergTables.open(hadoop, o.root());
    ResultCommitter committer = new ResultCommitter(hadoop, o.root(), spec.name(), tables);
    int undone = committer.repair();
    if (undone > 0) {
      o.console()
          .printf(
              "Took out the rows of %d batch%s whose runs were never committed (a driver stopped"
                  + " between commits); those runs train again%n",
              undone, undone == 1 ? "" : "es");
    }

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
      finish(spark, out, committer, hadoop, o.root(), spec.name(), callStart);
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
            progress.stepCounter,
            IcebergTables.targets(tables));
    Commits commits = new Commits(committer, committed.keySet(), out);
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
          summaries.addAll(failures(runWave(jsc, spec, task, wave, progress, commits)));
          wave = new ArrayList<>();
        }
      }
      if (!wave.isEmpty()) {
        summaries.addAll(failures(runWave(jsc, spec, task, wave, progress, commits)));
      }
    } finally {
      spark.sparkContext().removeSparkListener(progress.steps);
    }
    out.println(progress.line(missing, totalSteps));
    for (RunTask.Summary s : summaries) {
      out.printf("  run %s (#%d) %s: %s%n", s.runId(), s.index(), s.status(), s.error());
    }
    finish(spark, out, committer, hadoop, o.root(), spec.name(), callStart);
    return new Result(planned, skipped, missing, countStatuses(spark, o.root(), spec.name()));
  }

  /**
   * Data files per table and sweep from which a sweep compacts its partition when it ends (system
   * property {@code phasemap.compactFiles}, default 100; 0 never compacts).
   */
  static int compactFiles() {
    return Integer.getInteger("phasemap.compactFiles", 100);
  }

  /**
   * After the last commit: removes what attempts killed before {@code callStart} left (data files
   * no snapshot references, weights staging files), and compacts the sweep's partitions that hold
   * many small files.
   */
  private static void finish(
      SparkSession spark,
      PrintStream out,
      ResultCommitter committer,
      Configuration hadoop,
      String root,
      String sweep,
      long callStart)
      throws IOException {
    Path weights = new Path(ResultTables.sweepDir(ResultTables.weightsDir(root), sweep));
    int stale =
        committer.removeOrphans(callStart)
            + FileCommit.removeStale(weights.getFileSystem(hadoop), weights, callStart);
    if (stale > 0) {
      out.printf(
          "Removed %d uncommitted file%s left by attempts stopped before this run%n",
          stale, stale == 1 ? "" : "s");
    }
    int minFiles = compactFiles();
    if (minFiles > 0) {
      long t0 = System.nanoTime();
      int rewritten = committer.compact(spark, minFiles);
      if (rewritten > 0) {
        out.printf(
            Locale.ROOT,
            "Compacted sweep %s: %d small files rewritten in %.1f s%n",
            sweep,
            rewritten,
            (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  private static boolean wanted(String committedStatus, Options o) {
    return committedStatus == null
        || (o.retryFailed() && RunStatus.FAILED.value().equals(committedStatus));
  }

  /** The summaries worth printing: runs that did not end ok. */
  private static List<RunTask.Summary> failures(List<RunTask.Summary> summaries) {
    List<RunTask.Summary> bad = new ArrayList<>();
    for (RunTask.Summary s : summaries) {
      if (!RunStatus.OK.value().equals(s.status())) {
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

  /**
   * Most runs per commit batch (system property {@code phasemap.commitRuns}, default 1000): a batch
   * is committed when it has that many runs, or when its oldest run has waited {@link #commitMs()}.
   * The time limit is the one that acts in practice: each batch adds one file to the runs table,
   * and at 20 000 tiny runs a cap of 50 made 401 of them, which slowed queries over the runs table
   * 4.5-fold before compaction (docs/PERFORMANCE.md).
   */
  static int commitRuns() {
    return Math.max(1, Integer.getInteger("phasemap.commitRuns", 1000));
  }

  /**
   * Longest wait of a finished run for its commit (property {@code phasemap.commitSeconds}, 10).
   */
  static long commitMs() {
    return Math.max(0, Integer.getInteger("phasemap.commitSeconds", 10)) * 1000L;
  }

  /**
   * The driver's side of exactly-once: finished runs queue here as their tasks end, and are
   * committed in batches; a run id already committed (or queued) by this sweep is dropped, with its
   * files.
   */
  private static final class Commits {
    final ResultCommitter committer;
    final java.util.Set<String> committed;
    final PrintStream out;
    final java.util.concurrent.LinkedBlockingQueue<RunTask.Summary> arrived =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final List<ResultCommitter.RunResult> batch = new ArrayList<>();
    long batchSince;

    Commits(ResultCommitter committer, java.util.Set<String> committed, PrintStream out) {
      this.committer = committer;
      this.committed = new java.util.HashSet<>(committed);
      this.out = out;
    }

    /** Takes what has arrived (waiting up to {@code waitMs} for the first) into the batch. */
    List<RunTask.Summary> drain(long waitMs) throws InterruptedException {
      List<RunTask.Summary> got = new ArrayList<>();
      RunTask.Summary first = arrived.poll(waitMs, TimeUnit.MILLISECONDS);
      if (first != null) {
        got.add(first);
        arrived.drainTo(got);
      }
      for (RunTask.Summary s : got) {
        ResultCommitter.RunResult r = s.result();
        if (batchHas(r.runId()) || committed.contains(r.runId()) && !r.replace()) {
          continue; // a second result for a run id: its files stay unreferenced, removed later
        }
        committed.add(r.runId());
        if (batch.isEmpty()) {
          batchSince = System.currentTimeMillis();
        }
        batch.add(r);
      }
      return got;
    }

    private boolean batchHas(String runId) {
      for (ResultCommitter.RunResult r : batch) {
        if (r.runId().equals(runId)) {
          return true;
        }
      }
      return false;
    }

    /** Commits the batch when it is full or old enough, or whenever {@code force}. */
    void commitIfDue(boolean force) throws IOException {
      if (batch.isEmpty()) {
        return;
      }
      if (force
          || batch.size() >= commitRuns()
          || System.currentTimeMillis() - batchSince >= commitMs()) {
        // taken out first: a commit that fails is not tried again in this invocation (its marker
        // lets the next one take out whatever of it was committed)
        List<ResultCommitter.RunResult> taken = new ArrayList<>(batch);
        batch.clear();
        committer.commit(taken);
      }
    }
  }

  /** What a task does with its partition: the runs' summaries. */
  private static final class RunPartition
      extends scala.runtime.AbstractFunction1<
          scala.collection.Iterator<RunTask.Input>, List<RunTask.Summary>>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final RunTask task;

    RunPartition(RunTask task) {
      this.task = task;
    }

    @Override
    public List<RunTask.Summary> apply(scala.collection.Iterator<RunTask.Input> inputs) {
      try {
        List<RunTask.Summary> out = new ArrayList<>();
        task.call(scala.jdk.javaapi.CollectionConverters.asJava(inputs)).forEachRemaining(out::add);
        return out;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * One Spark job over {@code wave}, one run per task; commits what finishes, in batches, and
   * prints progress until the job ends. Each task's result reaches the driver once (a speculative
   * copy's result never does), as soon as the task ends.
   */
  private static List<RunTask.Summary> runWave(
      JavaSparkContext jsc,
      SweepSpec spec,
      RunTask task,
      List<RunTask.Input> wave,
      Progress progress,
      Commits commits)
      throws IOException {
    jsc.setJobGroup("phasemap-" + spec.name(), "phasemap sweep " + spec.name(), true);
    org.apache.spark.SimpleFutureAction<scala.runtime.BoxedUnit> job;
    try {
      JavaRDD<RunTask.Input> inputs = jsc.parallelize(wave, wave.size());
      List<Object> partitions = new ArrayList<>();
      for (int i = 0; i < wave.size(); i++) {
        partitions.add(i);
      }
      java.util.concurrent.LinkedBlockingQueue<RunTask.Summary> arrived = commits.arrived;
      job =
          jsc.sc()
              .submitJob(
                  inputs.rdd(),
                  new RunPartition(task),
                  scala.jdk.javaapi.CollectionConverters.asScala(partitions).toList(),
                  new scala.runtime.AbstractFunction2<
                      Object, List<RunTask.Summary>, scala.runtime.BoxedUnit>() {
                    @Override
                    public scala.runtime.BoxedUnit apply(
                        Object partition, List<RunTask.Summary> result) {
                      arrived.addAll(result);
                      return scala.runtime.BoxedUnit.UNIT;
                    }
                  },
                  new scala.runtime.AbstractFunction0<scala.runtime.BoxedUnit>() {
                    @Override
                    public scala.runtime.BoxedUnit apply() {
                      return scala.runtime.BoxedUnit.UNIT;
                    }
                  });
    } finally {
      jsc.clearJobGroup(); // the group names the training jobs only, not the reads around them
    }
    List<RunTask.Summary> summaries = new ArrayList<>();
    try {
      while (!job.isCompleted() || !commits.arrived.isEmpty()) {
        summaries.addAll(commits.drain(500));
        commits.commitIfDue(false);
        progress.tick();
      }
    } catch (InterruptedException e) {
      job.cancel();
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running sweep " + spec.name(), e);
    } catch (IOException | RuntimeException e) {
      job.cancel();
      throw e;
    } finally {
      commits.commitIfDue(true);
    }
    scala.util.Try<scala.runtime.BoxedUnit> outcome = job.value().get();
    if (outcome.isFailure()) {
      Throwable cause = outcome.failed().get();
      throw new IOException(
          "Sweep "
              + spec.name()
              + " stopped: "
              + cause.getMessage()
              + "\nEvery run committed so far is kept; run the same command again to finish the rest.",
          cause);
    }
    return summaries;
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
    if (org.phasemap.driver.output.PlainMigration.inProgress(hadoop, root)) {
      throw new IllegalArgumentException(
          "Cannot run sweep '"
              + spec.name()
              + "' into "
              + root
              + ": its migration to Iceberg stopped half way (allowed: a new folder, or one with"
              + " Iceberg tables and no unfinished migration). Run 'phasemap migrate "
              + root
              + "' again to finish it, then run again.");
    }
    if (ResultTables.isPlain(hadoop, root)) {
      throw new IllegalArgumentException(
          "Cannot run sweep '"
              + spec.name()
              + "' into "
              + root
              + ": it holds result tables in the plain Parquet layout of earlier phasemap versions"
              + " (allowed: a new folder, or one with Iceberg tables). Run 'phasemap migrate "
              + root
              + "' once to turn them into Iceberg tables in place, then run again.");
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
    if (!ResultTables.hasRuns(spark, root)) {
      return m;
    }
    for (Row r :
        ResultTables.runs(spark, root)
            .where(org.apache.spark.sql.functions.col(ResultTables.SWEEP).equalTo(sweep))
            .select(RunsTable.RUN_ID.name(), RunsTable.STATUS.name())
            .collectAsList()) {
      m.put(r.getString(0), r.getString(1));
    }
    return m;
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
