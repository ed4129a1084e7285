package org.phasemap.driver.output;

import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.analysis.DegeneracyMeasures;
import org.phasemap.worker.analysis.ProgressMeasures;
import org.phasemap.worker.analysis.Retrospective;
import org.phasemap.worker.analysis.Spectra;
import org.phasemap.worker.train.StepRecord;

/**
 * Columns of the {@code steps} table: one row per logged step of a run; the analysis columns are
 * filled at checkpoint steps only. The {@code sweep} column comes from the partition folder.
 * Non-finite values are stored as null. docs/TABLES.md describes every column.
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
          .optional("embed_fourier_norms", ColumnType.DOUBLE_ARRAY)
          .optional("gini_embed", ColumnType.DOUBLE)
          .optional("gini_neuron_logit", ColumnType.DOUBLE)
          .required("is_checkpoint", ColumnType.BOOLEAN)
          .optional("key_frequencies", ColumnType.INT_ARRAY)
          .optional("n_key_frequencies", ColumnType.INT)
          .optional("restricted_loss", ColumnType.DOUBLE)
          .optional("restricted_acc", ColumnType.DOUBLE)
          .optional("excluded_loss", ColumnType.DOUBLE)
          .optional("excluded_acc", ColumnType.DOUBLE)
          .optional("excluded_loss_per_freq", ColumnType.DOUBLE_ARRAY)
          .optional("cosine_coefficients", ColumnType.DOUBLE_ARRAY)
          .optional("attn_to_a", ColumnType.DOUBLE_ARRAY)
          .optional("attn_to_b", ColumnType.DOUBLE_ARRAY)
          .optional("restricted_loss_final_keys", ColumnType.DOUBLE)
          .optional("restricted_acc_final_keys", ColumnType.DOUBLE)
          .optional("excluded_loss_final_keys", ColumnType.DOUBLE)
          .optional("excluded_acc_final_keys", ColumnType.DOUBLE)
          .optional("gs", ColumnType.DOUBLE)
          .optional("di_correct", ColumnType.DOUBLE)
          .optional("di_maxwrong", ColumnType.DOUBLE)
          .optional("circularity", ColumnType.DOUBLE)
          .optional("label", ColumnType.STRING)
          .optional("gram_rank_mlp_in", ColumnType.INT)
          .optional("gram_rank_mlp_post", ColumnType.INT)
          .optional("dead_neurons", ColumnType.INT)
          .optional("llc_mean", ColumnType.DOUBLE)
          .optional("llc_std", ColumnType.DOUBLE)
          .optional("llc_nbeta", ColumnType.DOUBLE)
          .optional("llc_init_loss", ColumnType.DOUBLE)
          .build();

  /** Columns of the {@code llc_trace} table: every recorded SGLD draw, for convergence checks. */
  public static final TableSchema LLC_TRACE =
      TableSchema.builder()
          .required("run_id", ColumnType.STRING)
          .required("step", ColumnType.INT)
          .required("chain", ColumnType.INT)
          .required("draw", ColumnType.INT)
          .optional("value", ColumnType.DOUBLE)
          .build();

  private StepsTable() {}

  /** The row of one logged step, in schema order. */
  public static Object[] row(String runId, StepRecord s) {
    Spectra sp = s.spectra();
    Checkpoint c = s.checkpoint();
    ProgressMeasures pm = c == null ? null : c.progress();
    AlgorithmMeasures am = c == null ? null : c.algorithm();
    Retrospective rt = c == null ? null : c.retrospective();
    DegeneracyMeasures dg = c == null ? null : c.degeneracy();
    return new Object[] {
      runId,
      s.step(),
      s.learningRate(),
      finite(s.trainLoss()),
      finite(s.trainAccuracy()),
      finite(s.testLoss()),
      finite(s.testAccuracy()),
      finite(s.sumSquaredWeights()),
      s.elapsedSeconds(),
      sp == null ? null : sp.embedFourierNorms(),
      sp == null ? null : finite(sp.giniEmbed()),
      sp == null ? null : finite(sp.giniNeuronLogit()),
      c != null,
      pm == null ? null : pm.keyFrequencies(),
      pm == null ? null : pm.keyFrequencies().length,
      pm == null ? null : finite(pm.restrictedLoss()),
      pm == null ? null : finite(pm.restrictedAccuracy()),
      pm == null ? null : finite(pm.excludedLoss()),
      pm == null ? null : finite(pm.excludedAccuracy()),
      pm == null ? null : pm.excludedLossPerFrequency(),
      pm == null ? null : pm.cosineCoefficients(),
      pm == null ? null : pm.attentionToA(),
      pm == null ? null : pm.attentionToB(),
      rt == null ? null : finite(rt.restrictedLoss()),
      rt == null ? null : finite(rt.restrictedAccuracy()),
      rt == null ? null : finite(rt.excludedLoss()),
      rt == null ? null : finite(rt.excludedAccuracy()),
      am == null ? null : finite(am.gs()),
      am == null ? null : finite(am.diCorrect()),
      am == null ? null : finite(am.diMaxWrong()),
      am == null ? null : finite(am.circularity()),
      am == null ? null : am.label(),
      dg == null ? null : dg.gramRankMlpIn(),
      dg == null ? null : dg.gramRankMlpPost(),
      dg == null ? null : dg.deadNeurons(),
      c == null || c.llc() == null ? null : finite(c.llc().mean()),
      c == null || c.llc() == null ? null : finite(c.llc().std()),
      c == null || c.llc() == null ? null : finite(c.llc().nBeta()),
      c == null || c.llc() == null ? null : finite(c.llc().l0())
    };
  }

  /** The llc_trace rows of one logged step (none when it has no LLC estimate). */
  public static java.util.List<Object[]> llcTraceRows(String runId, StepRecord s) {
    java.util.List<Object[]> rows = new java.util.ArrayList<>();
    if (s.checkpoint() == null || s.checkpoint().llc() == null) {
      return rows;
    }
    double[][] trace = s.checkpoint().llc().trace();
    for (int chain = 0; chain < trace.length; chain++) {
      for (int draw = 0; draw < trace[chain].length; draw++) {
        rows.add(new Object[] {runId, s.step(), chain, draw, finite(trace[chain][draw])});
      }
    }
    return rows;
  }

  /** NaN and infinities become null, so that no query has to guard against them. */
  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
