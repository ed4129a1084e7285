package org.phasemap.driver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.io.ModelFiles;
import org.phasemap.worker.train.RunOutcome;
import org.phasemap.worker.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap export ROOT --run ID --out DIR}: writes one run's final weights as .npy files
 * plus config.json (docs/IMPORT.md), from the weights file the run's task saved, or, with {@code
 * --retrain}, by training the run again from its {@code config_json} (deterministic).
 */
@Command(
    name = "export",
    header = "Write one run's final weights as .npy files plus config.json.",
    mixinStandardHelpOptions = true,
    description = {
      "Write one run's final weights as <tensor>.npy files plus config.json (docs/IMPORT.md),",
      "ready for numpy.load or 'phasemap analyze'. The weights come from",
      "ROOT/weights/sweep=S/run-ID.npz, saved by every run since weights were kept; for older runs",
      "--retrain trains the run again from its config (same backend: the same weights bit for bit)."
    })
final class ExportCommand implements Callable<Integer> {
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
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Directory to write (created if needed); a name ending in .npz writes one archive")
  Path out;

  @Option(
      names = "--retrain",
      description = "Without a saved weights file, train the run again from its config")
  boolean retrain;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = Sessions.create("phasemap export " + runId);
    try {
      return export(spark);
    } finally {
      spark.stop();
    }
  }

  /** The export, reading the runs table through {@code spark} (which the caller owns). */
  int export(SparkSession spark) throws Exception {
    Stored stored = find(spark);
    RunConfig config = stored.config();
    org.phasemap.worker.model.Parameters params;
    if (stored.weights() != null) {
      ModelFiles.Loaded loaded;
      try {
        loaded = ModelFiles.loadNpz(stored.weights());
      } finally {
        Files.deleteIfExists(stored.weights());
      }
      if (!loaded.config().equals(config)) {
        throw new IllegalStateException(
            "Cannot export run "
                + runId
                + ": its weights file holds another config (got run id "
                + loaded.config().runId()
                + ")");
      }
      params = loaded.parameters();
      System.out.printf(
          "Read the weights of run %s (sweep %s, status %s)%n",
          runId, stored.sweep(), stored.status());
    } else if (retrain) {
      System.out.printf(
          "Retraining run %s from its config (%d steps, %s)...%n",
          runId, config.steps(), config.preset());
      Provenance.singleThreaded();
      Trainer trainer = Trainer.forRun(config);
      RunOutcome outcome = trainer.train(r -> {});
      if (!Double.isFinite(trainer.parameters().sumOfSquares())) {
        throw new IllegalStateException(
            "Cannot export run "
                + runId
                + ": retraining "
                + outcome.status()
                + " and left non-finite weights (got "
                + outcome.error()
                + ")");
      }
      params = trainer.parameters();
      System.out.printf(
          "Retrained run %s: status %s in %.1f s%n",
          runId, outcome.status(), outcome.trainSeconds());
    } else {
      throw new IllegalArgumentException(
          "Cannot export run "
              + runId
              + ": "
              + root
              + " holds no weights for it (runs trained before weights were saved have none);"
              + " add --retrain to train it again from its config, deterministically"
              + " (got no file "
              + stored.weightsPath()
              + ")");
    }
    if (out.getFileName() != null && out.getFileName().toString().endsWith(".npz")) {
      ModelFiles.exportNpz(config, params, out);
    } else {
      ModelFiles.export(config, params, out);
    }
    System.out.printf("Wrote run %s to %s%nAnalyze it: phasemap analyze %s%n", runId, out, out);
    return 0;
  }

  /** The run's row and, when one was saved, a local copy of its weights file. */
  private record Stored(
      String sweep, String status, RunConfig config, String weightsPath, Path weights) {}

  private Stored find(SparkSession spark) throws IOException {
    RunIds.require(runId, "Cannot export run");
    List<Row> rows =
        ResultTables.runs(spark, root)
            .where(functions.col(RunsTable.RUN_ID.name()).equalTo(runId))
            .select(ResultTables.SWEEP, RunsTable.STATUS.name(), RunsTable.CONFIG_JSON.name())
            .collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot export run "
              + runId
              + ": no such run in "
              + root
              + "; list them with: phasemap sql "
              + root
              + " \"SELECT run_id, sweep, status FROM runs\" (got "
              + runId
              + ")");
    }
    Stored first = null;
    for (Row row : rows) {
      String sweep = String.valueOf(row.get(0));
      RunConfig config = ModelFiles.parseConfig(row.getString(2), "config_json of run " + runId);
      String weightsPath = ResultTables.weightsFile(root, sweep, runId);
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(weightsPath);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p)) {
        Path local = Files.createTempFile("phasemap-" + runId, ".npz");
        try (InputStream in = fs.open(p);
            OutputStream o = Files.newOutputStream(local)) {
          in.transferTo(o);
        }
        return new Stored(sweep, row.getString(1), config, weightsPath, local);
      }
      if (first == null) {
        first = new Stored(sweep, row.getString(1), config, weightsPath, null);
      }
    }
    return first;
  }
}
