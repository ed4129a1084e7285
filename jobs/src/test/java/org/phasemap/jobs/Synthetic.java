package org.phasemap.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.phasemap.jobs.curves.StepPoint;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * Synthetic results roots for tests: real Parquet written by Spark in the layout of {@link
 * ResultTables} ({@code runs/sweep=NAME/}, {@code steps/sweep=NAME/}), with the columns the maps,
 * curves and report read, and values chosen by the test.
 */
public final class Synthetic {
  private Synthetic() {}

  /** A local one-core session on loopback, without UI, shared by a test class. */
  public static SparkSession spark(String name) {
    return SparkSession.builder()
        .master("local[1]")
        .appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  /** One row of the runs table; null measures are written as null. */
  public record Run(
      String sweep,
      String runId,
      double attentionRate,
      int dModel,
      long initSeed,
      String status,
      String label,
      Double gs,
      Double di,
      Double circularity,
      Double testAcc,
      long runIndex) {

    /** An ok run with a label and measures. */
    public static Run ok(
        String sweep,
        String runId,
        double alpha,
        int dModel,
        long seed,
        String label,
        double gs,
        double di) {
      return new Run(sweep, runId, alpha, dModel, seed, "ok", label, gs, di, 0.999, 1.0, seed);
    }

    /** A failed run: no label, no measures. */
    public static Run failed(String sweep, String runId, double alpha, int dModel, long seed) {
      return new Run(
          sweep, runId, alpha, dModel, seed, "failed", null, null, null, null, null, seed);
    }
  }

  /**
   * Five cells of sweep {@code s} over attention_rate × d_model, seeds pooled:
   *
   * <pre>
   *   (0, 32):   3 pizza + 1 mixed                         → pizza 0.75
   *   (0, 64):   1 mixed + 1 clock (a tie)                 → clock (listed first)
   *   (1, 32):   2 clock + 1 non_circular + 1 failed       → clock 0.5, n = 4
   *   (1, 64):   3 no_generalisation                       → no_generalisation 1
   *   (0.5, 64): 1 failed only                             → no dominant
   * </pre>
   */
  public static List<Run> knownShares() {
    List<Run> r = new ArrayList<>();
    r.add(Run.ok("s", "a0", 0, 32, 0, "pizza", 0.99, 0.2));
    r.add(Run.ok("s", "a1", 0, 32, 1, "pizza", 0.98, 0.3));
    r.add(Run.ok("s", "a2", 0, 32, 2, "pizza", 0.97, 0.1));
    r.add(Run.ok("s", "a3", 0, 32, 3, "mixed", 0.90, 0.6));
    r.add(Run.ok("s", "b0", 0, 64, 0, "mixed", 0.95, 0.5));
    r.add(Run.ok("s", "b1", 0, 64, 1, "clock", 0.50, 0.9));
    r.add(Run.ok("s", "c0", 1, 32, 0, "clock", 0.40, 0.8));
    r.add(Run.ok("s", "c1", 1, 32, 1, "clock", 0.30, 0.9));
    r.add(Run.ok("s", "c2", 1, 32, 2, "non_circular", 0.20, 0.7));
    r.add(Run.failed("s", "c3", 1, 32, 3));
    r.add(Run.ok("s", "d0", 1, 64, 0, "no_generalisation", 0.6, 0.6));
    r.add(Run.ok("s", "d1", 1, 64, 1, "no_generalisation", 0.7, 0.7));
    r.add(Run.ok("s", "d2", 1, 64, 2, "no_generalisation", 0.8, 0.8));
    r.add(Run.failed("s", "e0", 0.5, 64, 0));
    return r;
  }

  /** The runs columns the maps, curves and report read, declared by the runs table itself. */
  public static final StructType RUNS =
      ResultTables.sparkSchema(
          List.of(
              RunsTable.RUN_ID,
              RunsTable.config(RunConfig.MODULUS),
              RunsTable.config(RunConfig.D_MODEL),
              RunsTable.config(RunConfig.ATTENTION_RATE),
              RunsTable.config(RunConfig.ACTIVATION),
              RunsTable.config(RunConfig.INIT_SEED),
              RunsTable.RUN_INDEX,
              RunsTable.STATUS,
              RunsTable.FINAL_LABEL,
              RunsTable.FINAL_GS,
              RunsTable.FINAL_DI_MAXWRONG,
              RunsTable.FINAL_CIRCULARITY,
              RunsTable.FINAL_TEST_ACC,
              RunsTable.MS_PER_STEP,
              RunsTable.CODE_VERSION,
              RunsTable.GIT_COMMIT,
              RunsTable.ND4J_BACKEND));

  /** Writes the runs, one Parquet folder per sweep, into {@code root/runs/sweep=NAME}. */
  public static void writeRuns(SparkSession spark, Path root, List<Run> runs) {
    Map<String, List<Row>> bySweep = new LinkedHashMap<>();
    for (Run r : runs) {
      bySweep
          .computeIfAbsent(r.sweep(), k -> new ArrayList<>())
          .add(
              RowFactory.create(
                  r.runId(),
                  23,
                  r.dModel(),
                  r.attentionRate(),
                  "relu",
                  r.initSeed(),
                  r.runIndex(),
                  r.status(),
                  r.label(),
                  r.gs(),
                  r.di(),
                  r.circularity(),
                  r.testAcc(),
                  6.0 + r.runIndex(),
                  "0.1.0-test",
                  "abc1234",
                  "CpuBackend, OpenBLAS, 1 thread"));
    }
    bySweep.forEach(
        (sweep, rows) ->
            spark
                .createDataFrame(rows, RUNS)
                .coalesce(1)
                .write()
                .mode("append")
                .parquet(ResultTables.sweepDir(ResultTables.runsDir(root.toString()), sweep)));
  }

  /** The steps columns the curves read, declared by the steps table itself. */
  public static final StructType STEPS =
      ResultTables.sparkSchema(
          List.of(
              StepsTable.RUN_ID,
              StepsTable.STEP,
              StepsTable.TRAIN_LOSS,
              StepsTable.TRAIN_ACC,
              StepsTable.TEST_LOSS,
              StepsTable.TEST_ACC,
              StepsTable.SUM_SQ_WEIGHTS,
              StepsTable.GINI_EMBED,
              StepsTable.GINI_NEURON_LOGIT,
              StepsTable.IS_CHECKPOINT,
              StepsTable.RESTRICTED_LOSS,
              StepsTable.EXCLUDED_LOSS,
              StepsTable.RESTRICTED_LOSS_FINAL_KEYS,
              StepsTable.EXCLUDED_LOSS_FINAL_KEYS,
              StepsTable.LABEL));

  /**
   * Writes one run's steps into {@code root/steps/sweep=NAME}. Checkpoint rows are those with a
   * label; their restricted/excluded losses go to the online columns, and, when {@code finalKeys},
   * 0.9 times them to the final-keys columns.
   */
  public static void writeSteps(
      SparkSession spark,
      Path root,
      String sweep,
      String runId,
      List<StepPoint> points,
      boolean finalKeys) {
    List<Row> rows = new ArrayList<>();
    for (StepPoint p : points) {
      boolean cp = p.label() != null;
      rows.add(
          RowFactory.create(
              runId,
              p.step(),
              nan(p.trainLoss()),
              nan(p.trainAcc()),
              nan(p.testLoss()),
              nan(p.testAcc()),
              nan(p.sumSqWeights()),
              nan(p.giniEmbed()),
              nan(p.giniNeuronLogit()),
              cp,
              cp ? nan(p.restrictedLoss()) : null,
              cp ? nan(p.excludedLoss()) : null,
              cp && finalKeys ? nan(0.9 * p.restrictedLoss()) : null,
              cp && finalKeys ? nan(0.9 * p.excludedLoss()) : null,
              p.label()));
    }
    spark
        .createDataFrame(rows, STEPS)
        .coalesce(1)
        .write()
        .mode("append")
        .parquet(ResultTables.sweepDir(ResultTables.stepsDir(root.toString()), sweep));
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /**
   * A grokking-shaped run of {@code steps} logged every 100 steps: train accuracy reaches 1 at
   * {@code memorised}, Σw² falls steeply from {@code cleanup}, test accuracy reaches 1 at {@code
   * generalised}; checkpoints every 500 steps labelled {@code mixed} before {@code generalised} and
   * {@code label} from then on.
   */
  public static List<StepPoint> grokking(
      int steps, int memorised, int cleanup, int generalised, String label) {
    List<StepPoint> out = new ArrayList<>();
    for (int s = 0; s <= steps; s += 100) {
      double trainAcc = s >= memorised ? 1.0 : 0.05 + 0.9 * s / memorised;
      double testAcc =
          s >= generalised
              ? 1.0
              : s >= cleanup ? 0.05 + 0.9 * (s - cleanup) / (generalised - cleanup) : 0.02;
      // Σw²: slow decay of 1e-5 per step, a steep fall (1e-3 per step) during clean-up
      double w = 500 * Math.exp(-1e-5 * s - 1e-3 * Math.max(0, Math.min(s, generalised) - cleanup));
      double trainLoss = Math.max(1e-7, 3.2 * Math.exp(-s / (memorised / 8.0)));
      double testLoss =
          s < generalised
              ? 3.2
                  + 10
                      * Math.min(1, (double) s / memorised)
                      * (s < cleanup ? 1 : (double) (generalised - s) / (generalised - cleanup))
              : 1e-4;
      boolean cp = s % 500 == 0;
      out.add(
          new StepPoint(
              s,
              trainLoss,
              trainAcc,
              testLoss,
              testAcc,
              w,
              cp ? Math.max(1e-6, 3.0 * Math.exp(-s / 800.0)) : Double.NaN,
              cp
                  ? 3.0 + Math.min(s, cleanup) / 1000.0 - Math.max(0, s - cleanup) / 2000.0
                  : Double.NaN,
              0.1 + 0.5 * s / steps,
              0.2 + 0.6 * s / steps,
              cp ? (s >= generalised ? label : AlgorithmLabel.MIXED.label()) : null));
    }
    return out;
  }
}
