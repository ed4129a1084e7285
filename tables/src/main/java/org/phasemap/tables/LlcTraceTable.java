package org.phasemap.tables;

import java.util.ArrayList;
import java.util.List;
import org.phasemap.worker.train.StepRecord;

/**
 * The {@code llc_trace} table: every recorded SGLD draw of the local learning coefficient, for
 * convergence checks (only when a sweep sets {@code analysis.llc}).
 */
public final class LlcTraceTable {

  /** One row: one recorded draw of one chain at one checkpoint. */
  public record Row(String runId, int step, int chain, int draw, double value) {}

  private static final Table.Builder<Row> B = Table.<Row>builder("llc_trace").nonFiniteAsNull();

  public static final Column<Row> RUN_ID =
      B.required("run_id", ColumnType.STRING, "the run", r -> r.runId());

  public static final Column<Row> STEP =
      B.required(
          "step", ColumnType.INT, "the checkpoint step the estimate belongs to", r -> r.step());

  public static final Column<Row> CHAIN =
      B.required("chain", ColumnType.INT, "SGLD chain, 0-based", r -> r.chain());

  public static final Column<Row> DRAW =
      B.required("draw", ColumnType.INT, "recorded draw of that chain, 0-based", r -> r.draw());

  public static final Column<Row> VALUE =
      B.optional(
          "value",
          ColumnType.DOUBLE,
          "nβ · (L_t − L_0) at that draw; the chain's λ̂ is the mean over its draws",
          r -> r.value());

  /** The table, columns in file order. */
  public static final Table<Row> TABLE = B.build();

  private LlcTraceTable() {}

  /** The rows of one logged step (none when it has no LLC estimate). */
  public static List<Row> rows(String runId, StepRecord s) {
    List<Row> rows = new ArrayList<>();
    if (s.checkpoint() == null || s.checkpoint().llc() == null) {
      return rows;
    }
    double[][] trace = s.checkpoint().llc().trace();
    for (int chain = 0; chain < trace.length; chain++) {
      for (int draw = 0; draw < trace[chain].length; draw++) {
        rows.add(new Row(runId, s.step(), chain, draw, trace[chain][draw]));
      }
    }
    return rows;
  }
}
