package org.phasemap.driver.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.phasemap.driver.output.FileCommit;
import org.phasemap.driver.output.IcebergTables;
import org.phasemap.driver.output.ParquetRowWriter;
import org.phasemap.driver.output.ResultCommitter;
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
 * What an executor does with one run: train it, stream its logged steps (and LLC draws,
 * interaction-basis directions and edges, when asked for) into data files of their tables, save the
 * final weights ({@code .npz}, not a table, committed by rename as before), and return the run's
 * runs row with the descriptions of its data files. The executor makes nothing visible in the
 * tables: the driver commits what it receives ({@link ResultCommitter}), once per run id, so a
 * retried or speculative attempt only leaves an unreferenced file behind, which a later sweep
 * removes.
 *
 * <p>A run that throws is recorded with {@code status = failed} and its error (the task itself
 * succeeds); only failures to write results fail the task, so that Spark retries it.
 */
public final class RunTask implements FlatMapFunction<Iterator<RunTask.Input>, RunTask.Summary> {
  private static final long serialVersionUID = 1L;

  /** One run to execute. {@code replace} allows replacing an already committed row (retries). */
  public record Input(RunConfig config, RunsTable.Origin origin, boolean replace)
      implements Serializable {}

  /**
   * What the driver learns about a finished run: its status, and what to commit ({@code result}:
   * its runs row and the data files holding its other rows, which stay where the executor wrote
   * them).
   */
  public record Summary(
      String runId,
      long index,
      String status,
      String error,
      double seconds,
      ResultCommitter.RunResult result)
      implements Serializable {}

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
  private final Map<String, IcebergTables.Target> targets;

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
      LongAccumulator stepCounter,
      Map<String, IcebergTables.Target> targets) {
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
    this.targets = Map.copyOf(targets);
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
      if (!RunStatus.OK.value().equals(s.status())) {
        failed.add(1);
      }
    }
    return out.iterator();
  }

  private Summary execute(Input in) throws IOException {
    RunConfig config = in.config();
    String runId = config.runId();
    Configuration conf = hadoopConf.get();
    Path weightsDir = new Path(ResultTables.sweepDir(ResultTables.weightsDir(root), sweep));
    FileSystem fs = weightsDir.getFileSystem(conf);
    long startedAt = System.currentTimeMillis();
    DataFileWriter<StepsTable.Row> steps = new DataFileWriter<>(conf, StepsTable.TABLE, runId);
    DataFileWriter<LlcTraceTable.Row> trace =
        new DataFileWriter<>(conf, LlcTraceTable.TABLE, runId);
    DataFileWriter<IbDirectionsTable.Row> directions =
        new DataFileWriter<>(conf, IbDirectionsTable.TABLE, runId);
    DataFileWriter<IbEdgesTable.Row> edges = new DataFileWriter<>(conf, IbEdgesTable.TABLE, runId);
    RunOutcome outcome;
    Trainer trainer = null;
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
    List<ResultCommitter.TableFile> files = new ArrayList<>();
    for (DataFileWriter<?> w : List.of(steps, trace, directions, edges)) {
      ResultCommitter.TableFile f = w.close();
      if (f != null) {
        files.add(f);
      }
    }
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
    Object[] runsRow =
        RunsTable.TABLE.values(new RunsTable.Row(config, in.origin(), outcome, ex, analysis));
    return new Summary(
        runId,
        in.origin().runIndex(),
        outcome.status().value(),
        outcome.error(),
        (ex.finishedAtMs() - startedAt) / 1000.0,
        new ResultCommitter.RunResult(runId, in.replace(), runsRow, files));
  }

  /**
   * One run's data file of one table, written where the table keeps its data ({@link
   * IcebergTables.Target#newFile}) under a name no other attempt uses: opened at the first row,
   * absent when the run logs none (most sweeps have no {@code llc_trace} rows). Nothing reads it
   * until the driver commits it.
   */
  private final class DataFileWriter<R> {
    private final Configuration conf;
    private final Table<R> table;
    private final IcebergTables.Target target;
    private final String runId;
    private Path path;
    private ParquetRowWriter<R> writer;

    DataFileWriter(Configuration conf, Table<R> table, String runId) {
      this.conf = conf;
      this.table = table;
      this.target = targets.get(table.name());
      this.runId = runId;
    }

    void write(R row) throws IOException {
      if (writer == null) {
        path = target.newFile(sweep, "run-" + runId);
        writer = ParquetRowWriter.create(conf, path, table);
      }
      writer.write(row);
    }

    /** Closes the file and describes it for the commit; null if no row was written. */
    ResultCommitter.TableFile close() throws IOException {
      if (writer == null) {
        return null;
      }
      writer.close();
      return new ResultCommitter.TableFile(table.name(), target.describe(conf, sweep, path));
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
