package org.phasemap.driver.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.phasemap.driver.output.FileCommit;
import org.phasemap.driver.output.ParquetRowWriter;
import org.phasemap.driver.output.SerializableHadoopConf;
import org.phasemap.tables.IbDirectionsTable;
import org.phasemap.tables.IbEdgesTable;
import org.phasemap.tables.LlcTraceTable;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;
import org.phasemap.tables.Table;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.io.ModelFiles;
import org.phasemap.worker.train.RunOutcome;
import org.phasemap.worker.train.RunStatus;
import org.phasemap.worker.train.Trainer;

/**
 * What an executor does with one run: train it, stream its logged steps into its own Parquet file,
 * then commit the steps file, the final weights ({@code .npz}, not a table) and finally the run's
 * row. All three files have names derived from the run id and are replaced atomically ({@link
 * FileCommit}), so a retried, speculative or resumed task can only replace them: the tables never
 * hold a run twice. The runs row is committed last and marks the run as done.
 *
 * <p>A run that throws is recorded with {@code status = failed} and its error (the task itself
 * succeeds); only failures to write results fail the task, so that Spark retries it.
 */
public final class RunTask implements FlatMapFunction<Iterator<RunTask.Input>, RunTask.Summary> {
  private static final long serialVersionUID = 1L;

  /** One run to execute. {@code replace} allows replacing an already committed row (retries). */
  public record Input(RunConfig config, RunsTable.Origin origin, boolean replace)
      implements Serializable {}

  /** What the driver learns about a finished run (the rows themselves stay on the executor). */
  public record Summary(String runId, long index, String status, String error, double seconds)
      implements Serializable {
    public static final String ALREADY_COMMITTED = "already_committed";
  }

  private final String root;
  private final String sweep;
  private final SerializableHadoopConf hadoopConf;
  private final String sparkVersion;
  private final String appId;
  private final LongAccumulator finished;
  private final LongAccumulator failed;
  private final String faults;
  private final AnalysisOptions analysis;
  private final LongAccumulator stepCounter;

  public RunTask(
      String root,
      String sweep,
      Configuration hadoopConf,
      String sparkVersion,
      String appId,
      LongAccumulator finished,
      LongAccumulator failed,
      String faults,
      AnalysisOptions analysis,
      LongAccumulator stepCounter) {
    this.root = root;
    this.sweep = sweep;
    this.hadoopConf = new SerializableHadoopConf(hadoopConf);
    this.sparkVersion = sparkVersion;
    this.appId = appId;
    this.finished = finished;
    this.failed = failed;
    this.faults = faults == null ? "" : faults;
    this.analysis = analysis;
    this.stepCounter = stepCounter;
  }

  /**
   * The injected fault for a run, from {@code spark.phasemap.faults}: a comma-separated list of
   * {@code fail:RUN_ID} (the run throws), {@code nan:RUN_ID@STEP} (its weights become NaN at STEP,
   * so it diverges) and {@code slow:RUN_ID@SECONDS} (the task's first attempt waits SECONDS before
   * training, ignoring interrupts, so Spark's speculation starts a copy). For resilience tests;
   * empty in normal use. Returns "fail", the NaN step, "slow@SECONDS" or null.
   */
  static String faultFor(String faults, String runId) {
    for (String f : faults.split(",")) {
      String x = f.strip();
      if (x.startsWith("fail:" + runId)) {
        return "fail";
      }
      if (x.startsWith("slow:" + runId + "@")) {
        return "slow@" + x.substring(x.indexOf('@') + 1);
      }
      if (x.startsWith("nan:" + runId + "@")) {
        return x.substring(x.indexOf('@') + 1);
      }
    }
    return null;
  }

  /**
   * A straggler that a kill does not stop: it goes on to train and commit, as a hung node might.
   */
  private static void sleepThroughInterrupts(long ms) {
    long end = System.currentTimeMillis() + ms;
    for (long left = ms; left > 0; left = end - System.currentTimeMillis()) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        // swallowed on purpose: the straggler must survive Spark's kill of the losing attempt
      }
    }
  }

  @Override
  public Iterator<Summary> call(Iterator<Input> inputs) throws IOException {
    Provenance.singleThreaded();
    List<Summary> out = new ArrayList<>();
    while (inputs.hasNext()) {
      Summary s = execute(inputs.next());
      out.add(s);
      finished.add(1);
      if (!RunStatus.OK.value().equals(s.status())
          && !Summary.ALREADY_COMMITTED.equals(s.status())) {
        failed.add(1);
      }
    }
    return out.iterator();
  }

  private Summary execute(Input in) throws IOException {
    RunConfig config = in.config();
    String runId = config.runId();
    String fileName = ResultTables.runFileName(runId);
    Path runsDir = new Path(ResultTables.sweepDir(ResultTables.runsDir(root), sweep));
    Path stepsDir = new Path(ResultTables.sweepDir(ResultTables.stepsDir(root), sweep));
    Path runsTarget = new Path(runsDir, fileName);
    Path stepsTarget = new Path(stepsDir, fileName);
    Configuration conf = hadoopConf.get();
    FileSystem fs = runsTarget.getFileSystem(conf);
    if (!in.replace() && fs.exists(runsTarget)) {
      // an earlier attempt of this task committed the run before its result reached the driver
      return new Summary(runId, in.origin().runIndex(), Summary.ALREADY_COMMITTED, null, 0);
    }
    long startedAt = System.currentTimeMillis();
    Path stepsStaging = FileCommit.stagingPath(stepsDir, fileName);
    LazyFile<LlcTraceTable.Row> trace =
        new LazyFile<>(conf, LlcTraceTable.TABLE, ResultTables.llcTraceDir(root), fileName);
    LazyFile<IbDirectionsTable.Row> directions =
        new LazyFile<>(conf, IbDirectionsTable.TABLE, ResultTables.ibDirectionsDir(root), fileName);
    LazyFile<IbEdgesTable.Row> edges =
        new LazyFile<>(conf, IbEdgesTable.TABLE, ResultTables.ibEdgesDir(root), fileName);
    RunOutcome outcome;
    Trainer trainer = null;
    try (ParquetRowWriter<StepsTable.Row> steps =
        ParquetRowWriter.create(conf, stepsStaging, StepsTable.TABLE)) {
      try {
        String fault = faultFor(faults, runId);
        if ("fail".equals(fault)) {
          throw new IllegalStateException(
              "injected failure (spark.phasemap.faults) for run " + runId);
        }
        if (fault != null && fault.startsWith("slow@")) {
          TaskContext task = TaskContext.get();
          if (task == null || task.attemptNumber() == 0) {
            sleepThroughInterrupts(Long.parseLong(fault.substring(5)) * 1000);
          }
          fault = null;
        }
        trainer = Trainer.forRun(config);
        trainer.onStep(() -> stepCounter.add(1));
        Path checkpointDir = new Path(ResultTables.checkpointWeightsDir(root, sweep, runId));
        trainer.onCheckpointWeights(
            (step, weights) ->
                commitNpz(
                    fs,
                    config,
                    weights,
                    checkpointDir,
                    ResultTables.checkpointWeightsFileName(step)));
        if (fault != null) {
          trainer.injectNanAt(Integer.parseInt(fault));
        }
        outcome =
            trainer.train(
                record -> {
                  steps.write(new StepsTable.Row(runId, record));
                  for (LlcTraceTable.Row row : LlcTraceTable.rows(runId, record)) {
                    trace.write(row);
                  }
                  for (IbDirectionsTable.Row row : IbDirectionsTable.rows(runId, record)) {
                    directions.write(row);
                  }
                  for (IbEdgesTable.Row row : IbEdgesTable.rows(runId, record)) {
                    edges.write(row);
                  }
                },
                analysis);
      } catch (IOException e) {
        throw e; // cannot write results: let Spark retry the task
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        outcome = RunOutcome.failed(e, (System.currentTimeMillis() - startedAt) / 1000.0);
      }
    }
    FileCommit.commit(fs, stepsStaging, stepsTarget);
    trace.commit(fs);
    directions.commit(fs);
    edges.commit(fs);
    commitWeights(fs, config, trainer, outcome);

    TaskContext tc = TaskContext.get();
    RunsTable.Execution ex =
        new RunsTable.Execution(
            startedAt,
            System.currentTimeMillis(),
            Provenance.current(),
            sparkVersion,
            appId,
            tc == null ? -1 : tc.stageId(),
            tc == null ? 0 : tc.attemptNumber());
    Path runsStaging = FileCommit.stagingPath(runsDir, fileName);
    try (ParquetRowWriter<RunsTable.Row> runs =
        ParquetRowWriter.create(conf, runsStaging, RunsTable.TABLE)) {
      runs.write(new RunsTable.Row(config, in.origin(), outcome, ex, analysis));
    }
    FileCommit.commit(fs, runsStaging, runsTarget);
    return new Summary(
        runId,
        in.origin().runIndex(),
        outcome.status().value(),
        outcome.error(),
        (ex.finishedAtMs() - startedAt) / 1000.0);
  }

  /**
   * One run's file of a table that has rows only when the sweep asks for them ({@code llc_trace},
   * {@code ib_directions}): opened at the first row, committed like the others, absent otherwise.
   */
  private final class LazyFile<R> {
    private final Configuration conf;
    private final Table<R> table;
    private final Path dir;
    private final String name;
    private Path staging;
    private ParquetRowWriter<R> writer;

    LazyFile(Configuration conf, Table<R> table, String tableDir, String name) {
      this.conf = conf;
      this.table = table;
      this.dir = new Path(ResultTables.sweepDir(tableDir, sweep));
      this.name = name;
    }

    void write(R row) throws IOException {
      if (writer == null) {
        staging = FileCommit.stagingPath(dir, name);
        writer = ParquetRowWriter.create(conf, staging, table);
      }
      writer.write(row);
    }

    /** Closes and commits the file, if a row was written. */
    void commit(FileSystem fs) throws IOException {
      if (writer != null) {
        writer.close();
        FileCommit.commit(fs, staging, new Path(dir, name));
      }
    }
  }

  /**
   * Saves the final weights as {@code ROOT/weights/sweep=S/run-ID.npz} (docs/IMPORT.md), committed
   * like the table files and before the runs row, so a committed run always has its weights. Only
   * runs that ended with finite weights have any ({@code ok}, and {@code diverged} when the
   * divergence had not reached the weights yet); for others a file left by an earlier attempt is
   * removed, so a weights file never disagrees with its row.
   */
  private void commitWeights(FileSystem fs, RunConfig config, Trainer trainer, RunOutcome outcome)
      throws IOException {
    String runId = config.runId();
    Path dir = new Path(ResultTables.sweepDir(ResultTables.weightsDir(root), sweep));
    String name = ResultTables.weightsFileName(runId);
    Path target = new Path(dir, name);
    boolean ended = outcome.status() == RunStatus.OK || outcome.status() == RunStatus.DIVERGED;
    if (trainer == null || !ended || !Double.isFinite(trainer.parameters().sumOfSquares())) {
      fs.delete(target, false);
      return;
    }
    commitNpz(fs, config, trainer.parameters(), dir, name);
  }

  /**
   * Writes weights as {@code dir/name} (.npz, docs/IMPORT.md) through a staging file and a commit.
   */
  private static void commitNpz(
      FileSystem fs,
      RunConfig config,
      org.phasemap.worker.model.Parameters weights,
      Path dir,
      String name)
      throws IOException {
    Path staging = FileCommit.stagingPath(dir, name);
    try (OutputStream out = fs.create(staging, true)) {
      ModelFiles.exportNpz(config, weights, out);
    }
    FileCommit.commit(fs, staging, new Path(dir, name));
  }
}
