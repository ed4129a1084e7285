package org.phasemap.driver.output;

import org.phasemap.worker.train.StepRecord;

/**
 * Columns of the {@code steps} table: one row per logged step of a run. The {@code sweep} column
 * comes from the partition folder. Non-finite values are stored as null.
 */
public final class StepsTable {
  public static final TableSchema SCHEMA =
      TableSchema.builder()
          .required("run_id", ColumnType.STRING)
          .required("step", ColumnType.INT)
          .required("lr", ColumnType.DOUBLE)
          .optional("train_loss", ColumnType.DOUBLE)
          .optional("train_acc", ColumnType.DOUBLE)
          .optional("test_loss", ColumnType.DOUBLE)
          .optional("test_acc", ColumnType.DOUBLE)
          .optional("sum_sq_weights", ColumnType.DOUBLE)
          .required("elapsed_seconds", ColumnType.DOUBLE)
          .build();

  private StepsTable() {}

  /** The row of one logged step, in schema order. */
  public static Object[] row(String runId, StepRecord s) {
    return new Object[] {
      runId,
      s.step(),
      s.learningRate(),
      RunsTable.finite(s.trainLoss()),
      RunsTable.finite(s.trainAccuracy()),
      RunsTable.finite(s.testLoss()),
      RunsTable.finite(s.testAccuracy()),
      RunsTable.finite(s.sumSquaredWeights()),
      s.elapsedSeconds()
    };
  }
}
