package org.phasemap.driver.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.io.Json;
import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.analysis.DegeneracyMeasures;
import org.phasemap.worker.train.RunOutcome;
import org.phasemap.worker.train.StepRecord;

/**
 * Columns of the {@code runs} table: one row per run with its full configuration, how it ended,
 * its final measures, timings and provenance. The {@code sweep} column comes from the partition
 * folder ({@code sweep=NAME}). docs/TABLES.md describes every column.
 */
public final class RunsTable {
  /** Provenance columns, in order; values come from {@link org.phasemap.worker.Provenance}. */
  public static final List<String> PROVENANCE =
      List.of("code_version", "git_commit", "nd4j_version", "nd4j_backend", "java_version", "os", "arch", "host");

  public static final TableSchema SCHEMA = schema();

  private RunsTable() {}

  private static TableSchema schema() {
    TableSchema.Builder b = TableSchema.builder().required("run_id", ColumnType.STRING);
    for (RunConfig.Field f : RunConfig.FIELDS) {
      b.required(f.name(), columnType(f.type()));
    }
    b.required("sweep_seed", ColumnType.LONG)
        .required("spec_fingerprint", ColumnType.STRING)
        .required("run_index", ColumnType.LONG)
        .required("round", ColumnType.INT)
        .required("status", ColumnType.STRING)
        .optional("error", ColumnType.STRING)
        .required("steps_completed", ColumnType.INT)
        .optional("diverged_step", ColumnType.INT)
        .optional("final_step", ColumnType.INT)
        .optional("final_train_loss", ColumnType.DOUBLE)
        .optional("final_train_acc", ColumnType.DOUBLE)
        .optional("final_test_loss", ColumnType.DOUBLE)
        .optional("final_test_acc", ColumnType.DOUBLE)
        .optional("final_sum_sq_weights", ColumnType.DOUBLE)
        .optional("final_label", ColumnType.STRING)
        .optional("label_since_step", ColumnType.INT)
        .optional("final_gs", ColumnType.DOUBLE)
        .optional("final_di_correct", ColumnType.DOUBLE)
        .optional("final_di_maxwrong", ColumnType.DOUBLE)
        .optional("final_circularity", ColumnType.DOUBLE)
        .optional("key_frequencies", ColumnType.INT_ARRAY)
        .optional("n_key_frequencies", ColumnType.INT)
        .optional("final_restricted_loss", ColumnType.DOUBLE)
        .optional("final_excluded_loss", ColumnType.DOUBLE)
        .optional("final_gini_embed", ColumnType.DOUBLE)
        .optional("final_gini_neuron_logit", ColumnType.DOUBLE)
        .optional("final_gram_rank_mlp_in", ColumnType.INT)
        .optional("final_gram_rank_mlp_post", ColumnType.INT)
        .optional("final_dead_neurons", ColumnType.INT)
        .optional("final_llc_mean", ColumnType.DOUBLE)
        .optional("final_llc_std", ColumnType.DOUBLE)
        .required("train_seconds", ColumnType.DOUBLE)
        .required("step_seconds", ColumnType.DOUBLE)
        .required("analysis_seconds", ColumnType.DOUBLE)
        .optional("ms_per_step", ColumnType.DOUBLE)
        .optional("step_impl", ColumnType.STRING)
        .optional("analysis_options", ColumnType.STRING)
        .required("started_at_ms", ColumnType.LONG)
        .required("finished_at_ms", ColumnType.LONG);
    for (String p : PROVENANCE) {
      b.required(p, ColumnType.STRING);
    }
    b.required("spark_version", ColumnType.STRING)
        .required("spark_app_id", ColumnType.STRING)
        .required("spark_stage_id", ColumnType.INT)
        .required("spark_task_attempt", ColumnType.INT)
        .required("config_json", ColumnType.STRING);
    return b.build();
  }

  static ColumnType columnType(RunConfig.Type t) {
    return switch (t) {
      case INT -> ColumnType.INT;
      case LONG -> ColumnType.LONG;
      case DOUBLE -> ColumnType.DOUBLE;
      case BOOLEAN -> ColumnType.BOOLEAN;
      case STRING -> ColumnType.STRING;
    };
  }

  /** Where a run came from: its sweep and position in it. */
  public record Origin(long sweepSeed, String specFingerprint, long runIndex, int round)
      implements java.io.Serializable {}

  /** Where and when it ran. */
  public record Execution(
      long startedAtMs,
      long finishedAtMs,
      Map<String, String> provenance,
      String sparkVersion,
      String sparkAppId,
      int stageId,
      int taskAttempt) {}

  /** The row of one run, in schema order. */
  public static Object[] row(
      RunConfig config, Origin origin, RunOutcome outcome, Execution ex, AnalysisOptions analysis) {
    List<Object> r = new ArrayList<>();
    r.add(config.runId());
    r.addAll(config.toMap().values());
    r.add(origin.sweepSeed());
    r.add(origin.specFingerprint());
    r.add(origin.runIndex());
    r.add(origin.round());
    r.add(outcome.status());
    r.add(outcome.error());
    r.add(outcome.stepsCompleted());
    r.add(outcome.divergedStep() >= 0 ? outcome.divergedStep() : null);
    StepRecord last = outcome.last();
    r.add(last == null ? null : last.step());
    r.add(last == null ? null : finite(last.trainLoss()));
    r.add(last == null ? null : finite(last.trainAccuracy()));
    r.add(last == null ? null : finite(last.testLoss()));
    r.add(last == null ? null : finite(last.testAccuracy()));
    r.add(last == null ? null : finite(last.sumSquaredWeights()));
    Checkpoint cp = last == null ? null : last.checkpoint();
    AlgorithmMeasures am = cp == null ? null : cp.algorithm();
    r.add(am == null ? null : am.label());
    r.add(outcome.labelSinceStep() >= 0 ? outcome.labelSinceStep() : null);
    r.add(am == null ? null : finite(am.gs()));
    r.add(am == null ? null : finite(am.diCorrect()));
    r.add(am == null ? null : finite(am.diMaxWrong()));
    r.add(am == null ? null : finite(am.circularity()));
    r.add(cp == null ? null : cp.progress().keyFrequencies());
    r.add(cp == null ? null : cp.progress().keyFrequencies().length);
    r.add(cp == null ? null : finite(cp.progress().restrictedLoss()));
    r.add(cp == null ? null : finite(cp.progress().excludedLoss()));
    r.add(last == null || last.spectra() == null ? null : finite(last.spectra().giniEmbed()));
    r.add(last == null || last.spectra() == null ? null : finite(last.spectra().giniNeuronLogit()));
    DegeneracyMeasures dg = cp == null ? null : cp.degeneracy();
    r.add(dg == null ? null : dg.gramRankMlpIn());
    r.add(dg == null ? null : dg.gramRankMlpPost());
    r.add(dg == null ? null : dg.deadNeurons());
    r.add(cp == null || cp.llc() == null ? null : finite(cp.llc().mean()));
    r.add(cp == null || cp.llc() == null ? null : finite(cp.llc().std()));
    r.add(outcome.trainSeconds());
    r.add(outcome.stepSeconds());
    r.add(outcome.analysisSeconds());
    r.add(outcome.stepsCompleted() > 0 ? outcome.stepSeconds() * 1000 / outcome.stepsCompleted() : null);
    r.add(outcome.stepImpl());
    r.add(analysis == null ? null : analysis.toString());
    r.add(ex.startedAtMs());
    r.add(ex.finishedAtMs());
    for (String p : PROVENANCE) {
      r.add(ex.provenance().getOrDefault(p, "unknown"));
    }
    r.add(ex.sparkVersion());
    r.add(ex.sparkAppId());
    r.add(ex.stageId());
    r.add(ex.taskAttempt());
    r.add(Json.writeFlat(config.toMap()));
    return r.toArray();
  }

  private static Double finite(double v) {
    return StepsTable.finite(v);
  }
}
