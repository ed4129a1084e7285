package org.phasemap.tables;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.io.Json;
import org.phasemap.worker.train.RunOutcome;
import org.phasemap.worker.train.StepRecord;

/**
 * The {@code runs} table: one row per run with its full configuration, how it ended, its final
 * measures, timings and provenance. The {@code sweep} column comes from the partition folder
 * ({@code sweep=NAME}). Each column is declared once below, with its docs/TABLES.md line and how it
 * is read from a {@link Row}; the run fields' columns come from {@link RunConfig#FIELDS}, one each,
 * in that order.
 */
public final class RunsTable {

  /** Where a run came from: its sweep and position in it. */
  public record Origin(long sweepSeed, String specFingerprint, long runIndex, int round)
      implements Serializable {}

  /** Where and when it ran. */
  public record Execution(
      long startedAtMs,
      long finishedAtMs,
      Map<String, String> provenance,
      String sparkVersion,
      String sparkAppId,
      int stageId,
      int taskAttempt) {}

  /** One row: a run, how it ended, and where it ran. {@code analysis} may be null. */
  public record Row(
      RunConfig config,
      Origin origin,
      RunOutcome outcome,
      Execution execution,
      AnalysisOptions analysis)
      implements CheckpointParts {
    StepRecord last() {
      return outcome.last();
    }

    @Override
    public Checkpoint checkpoint() {
      return last() == null ? null : last().checkpoint();
    }

    /**
     * The node layer of the last block's MLP neurons ({@code mlp_hidden} of a one-layer model,
     * {@code mlp_hidden.(L−1)} of L blocks), whose degeneracy the {@code final_*_mlp} columns give.
     */
    DegeneracyReport.Layer mlpLayer() {
      DegeneracyReport b = interactionBasis();
      return b == null ? null : b.layer(StepsTable.synchronised(b).layer());
    }
  }

  /**
   * The prefix of the columns that hold a per-step measure at the run's final step ({@code
   * final_gs} is {@code gs} at {@code final_step}).
   */
  public static final String FINAL_PREFIX = "final_";

  private static final Table.Builder<Row> B = Table.<Row>builder("runs").nonFiniteAsNull();

  public static final Column<Row> RUN_ID =
      B.required(
          "run_id",
          ColumnType.STRING,
          "16 hex digits: hash of the full run configuration ([SPEC.md](SPEC.md#run-identity))",
          r -> r.config().runId());

  /** One column per run field, in {@link RunConfig#FIELDS} order (docs/SPEC.md describes them). */
  public static final List<Column<Row>> CONFIG = configColumns();

  public static final Column<Row> SWEEP_SEED =
      B.required("sweep_seed", ColumnType.LONG, "the sweep's seed", r -> r.origin().sweepSeed());

  public static final Column<Row> SPEC_FINGERPRINT =
      B.required(
          "spec_fingerprint",
          ColumnType.STRING,
          "fingerprint of the spec that planned the run",
          r -> r.origin().specFingerprint());

  public static final Column<Row> RUN_INDEX =
      B.required(
          "run_index",
          ColumnType.LONG,
          "the run's position in the sweep's deterministic order",
          r -> r.origin().runIndex());

  public static final Column<Row> ROUND =
      B.required(
          "round",
          ColumnType.INT,
          "0 for the spec's own runs, R for runs added by refinement round R (docs/SAMPLING.md)",
          r -> r.origin().round());

  public static final Column<Row> STATUS =
      B.required(
          "status",
          ColumnType.STRING,
          "`ok`, `diverged` (stopped by the divergence rule of [SPEC.md](SPEC.md#divergence): a non-finite training loss, or a loss above 10·ln p for 10 steps in a row) or `failed` (an error; see `error`)",
          r -> r.outcome().status().value());

  public static final Column<Row> ERROR =
      B.optional(
          "error",
          ColumnType.STRING,
          "the error of a failed or diverged run, else null",
          r -> r.outcome().error());

  public static final Column<Row> STEPS_COMPLETED =
      B.required(
          "steps_completed",
          ColumnType.INT,
          "optimiser updates applied",
          r -> r.outcome().stepsCompleted());

  public static final Column<Row> DIVERGED_STEP =
      B.optional(
          "diverged_step",
          ColumnType.INT,
          "step whose training loss was not finite, or the first step of the blown-up stretch; else null",
          r -> r.outcome().divergedStep() >= 0 ? r.outcome().divergedStep() : null);

  public static final Column<Row> FINAL_STEP =
      atFinalStep(
          "final_step",
          StepsTable.STEP,
          "the last logged step; the `final_*` columns are its measures");

  public static final Column<Row> FINAL_TRAIN_LOSS =
      atFinalStep("final_train_loss", StepsTable.TRAIN_LOSS, "training-set loss at `final_step`");

  public static final Column<Row> FINAL_TRAIN_ACC =
      atFinalStep("final_train_acc", StepsTable.TRAIN_ACC, "training-set accuracy at `final_step`");

  public static final Column<Row> FINAL_TEST_LOSS =
      atFinalStep("final_test_loss", StepsTable.TEST_LOSS, "test-set loss at `final_step`");

  public static final Column<Row> FINAL_TEST_ACC =
      atFinalStep("final_test_acc", StepsTable.TEST_ACC, "test-set accuracy at `final_step`");

  public static final Column<Row> FINAL_SUM_SQ_WEIGHTS =
      atFinalStep(
          "final_sum_sq_weights",
          StepsTable.SUM_SQ_WEIGHTS,
          "Σ w² over all parameters at `final_step` (SCIENCE.md §1.4.6)");

  public static final Column<Row> FINAL_LABEL =
      atFinalStep(
          "final_label",
          StepsTable.LABEL,
          "the learned algorithm at the final step: `clock`, `pizza`, `mixed`, `non_circular` or `no_generalisation` ([MEASURES.md](MEASURES.md#the-label))");

  public static final Column<Row> LABEL_SINCE_STEP =
      B.optional(
          "label_since_step",
          ColumnType.INT,
          "earliest checkpoint step from which every checkpoint carries `final_label`: when the run became what it ended as",
          r -> r.outcome().labelSinceStep() >= 0 ? r.outcome().labelSinceStep() : null);

  public static final Column<Row> FINAL_GS =
      atFinalStep("final_gs", StepsTable.GS, "gradient symmetricity at the final step (§2.3.1)");

  public static final Column<Row> FINAL_DI_CORRECT =
      atFinalStep(
          "final_di_correct",
          StepsTable.DI_CORRECT,
          "distance irrelevance, paper definition (correct logit, §2.3.2)");

  public static final Column<Row> FINAL_DI_MAXWRONG =
      atFinalStep(
          "final_di_maxwrong",
          StepsTable.DI_MAXWRONG,
          "distance irrelevance, released-figure definition (largest wrong logit)");

  public static final Column<Row> FINAL_CIRCULARITY =
      atFinalStep(
          "final_circularity",
          StepsTable.CIRCULARITY,
          "circularity of the embedding's top-4 principal components (§2.3.3)");

  public static final Column<Row> KEY_FREQUENCIES =
      atFinalStep(
          "key_frequencies",
          StepsTable.KEY_FREQUENCIES,
          "the final model's key frequencies (0.85 rule, 1 % floor, §1.4.2)");

  public static final Column<Row> N_KEY_FREQUENCIES =
      atFinalStep("n_key_frequencies", StepsTable.N_KEY_FREQUENCIES, "their number");

  public static final Column<Row> FINAL_RESTRICTED_LOSS =
      atFinalStep(
          "final_restricted_loss",
          StepsTable.RESTRICTED_LOSS,
          "restricted loss at the final step (all p² inputs, §1.4.3)");

  public static final Column<Row> FINAL_EXCLUDED_LOSS =
      atFinalStep(
          "final_excluded_loss",
          StepsTable.EXCLUDED_LOSS,
          "excluded loss at the final step (training set, §1.4.4)");

  public static final Column<Row> FINAL_GINI_EMBED =
      atFinalStep(
          "final_gini_embed",
          StepsTable.GINI_EMBED,
          "Gini of the per-component Fourier norms of W_E (§1.4.5)");

  public static final Column<Row> FINAL_GINI_NEURON_LOGIT =
      atFinalStep(
          "final_gini_neuron_logit",
          StepsTable.GINI_NEURON_LOGIT,
          "Gini of the per-component Fourier norms of W_L");

  public static final Column<Row> FINAL_GRAM_RANK_MLP_IN =
      atFinalStep(
          "final_gram_rank_mlp_in",
          StepsTable.GRAM_RANK_MLP_IN,
          "`gram_rank_mlp_in` at the final step");

  public static final Column<Row> FINAL_GRAM_RANK_MLP_POST =
      atFinalStep(
          "final_gram_rank_mlp_post",
          StepsTable.GRAM_RANK_MLP_POST,
          "`gram_rank_mlp_post` at the final step");

  public static final Column<Row> FINAL_DEAD_NEURONS =
      atFinalStep(
          "final_dead_neurons", StepsTable.DEAD_NEURONS, "`dead_neurons` at the final step");

  public static final Column<Row> FINAL_LLC_MEAN =
      atFinalStep(
          "final_llc_mean",
          StepsTable.LLC_MEAN,
          "local learning coefficient λ̂ at the final step, mean over chains (when the sweep's `analysis.llc` is set; [LLC.md](LLC.md))");

  public static final Column<Row> FINAL_LLC_STD =
      atFinalStep("final_llc_std", StepsTable.LLC_STD, "its sample standard deviation over chains");

  public static final Column<Row> FINAL_IB_KEPT_MLP =
      B.optional(
          "final_ib_kept_mlp",
          ColumnType.INT,
          "interaction-basis directions kept in the MLP hidden layer at the final step (`ib_kept` of `mlp_hidden`, of the last block's with several layers; only with `analysis.interaction_basis`)",
          r -> Column.of(r.mlpLayer(), DegeneracyReport.Layer::directionsKept));

  public static final Column<Row> FINAL_IB_NEEDED_MLP =
      B.optional(
          "final_ib_needed_mlp",
          ColumnType.INT,
          "interaction-basis directions of the MLP hidden layer needed for 99 % of the final accuracy",
          r -> Column.of(r.mlpLayer(), l -> l.interaction().directionsNeeded()));

  public static final Column<Row> FINAL_PCA_NEEDED_MLP =
      B.optional(
          "final_pca_needed_mlp",
          ColumnType.INT,
          "PCA directions of the MLP hidden layer needed for the same",
          r -> Column.of(r.mlpLayer(), l -> l.pca().directionsNeeded()));

  public static final Column<Row> FINAL_SYNC_GROUPS =
      atFinalStep("final_sync_groups", StepsTable.SYNC_GROUPS, "`sync_groups` at the final step");

  public static final Column<Row> FINAL_IB_EDGES_NEEDED =
      atFinalStep(
          "final_ib_edges_needed",
          StepsTable.IB_EDGES_NEEDED,
          "`ib_edges_needed` at the final step (only with `analysis.interaction_graph`)");

  public static final Column<Row> FINAL_IB_MODULARITY =
      atFinalStep(
          "final_ib_modularity", StepsTable.IB_MODULARITY, "`ib_modularity` at the final step");

  public static final Column<Row> TRAIN_SECONDS =
      B.required(
          "train_seconds",
          ColumnType.DOUBLE,
          "wall time of the training loop, measures included",
          r -> r.outcome().trainSeconds());

  public static final Column<Row> STEP_SECONDS =
      B.required(
          "step_seconds",
          ColumnType.DOUBLE,
          "wall time in forward, backward and update only",
          r -> r.outcome().stepSeconds());

  public static final Column<Row> ANALYSIS_SECONDS =
      B.required(
          "analysis_seconds",
          ColumnType.DOUBLE,
          "wall time in the checkpoint measures and the post-pass",
          r -> r.outcome().analysisSeconds());

  public static final Column<Row> MS_PER_STEP =
      B.optional(
          "ms_per_step",
          ColumnType.DOUBLE,
          "`step_seconds` / `steps_completed`, in milliseconds",
          r ->
              r.outcome().stepsCompleted() > 0
                  ? r.outcome().stepSeconds() * 1000 / r.outcome().stepsCompleted()
                  : null);

  public static final Column<Row> STEP_IMPL =
      B.optional(
          "step_impl",
          ColumnType.STRING,
          "which formulation trained the run: `exact-one-layer` (one layer), `exact-multi-layer` (two or more layers) or `reference-samediff` (only when forced with `-Dphasemap.step=reference`)",
          r -> r.outcome().stepImpl());

  public static final Column<Row> ANALYSIS_OPTIONS =
      B.optional(
          "analysis_options",
          ColumnType.STRING,
          "the sweep's analysis settings that produced the label: GS sampling, key-frequency rule, classifier thresholds and DI variant",
          r -> r.analysis() == null ? null : r.analysis().toString());

  public static final Column<Row> STARTED_AT_MS =
      B.required(
          "started_at_ms",
          ColumnType.LONG,
          "wall-clock start of the task's work on the run (Unix ms)",
          r -> r.execution().startedAtMs());

  public static final Column<Row> FINISHED_AT_MS =
      B.required(
          "finished_at_ms",
          ColumnType.LONG,
          "wall-clock end of the task's work on the run (Unix ms)",
          r -> r.execution().finishedAtMs());
  public static final Column<Row> CODE_VERSION = provenance("code_version", "phasemap version");

  public static final Column<Row> GIT_COMMIT =
      provenance("git_commit", "commit the jar was built from (`-dirty` if the tree had changes)");

  public static final Column<Row> ND4J_VERSION = provenance("nd4j_version", "ND4J/DL4J version");

  public static final Column<Row> ND4J_BACKEND =
      provenance(
          "nd4j_backend", "ND4J backend class, BLAS vendor, OpenMP threads and native build");

  public static final Column<Row> JAVA_VERSION =
      provenance("java_version", "Java version and vendor");

  public static final Column<Row> OS = provenance("os", "operating system and version");

  public static final Column<Row> ARCH = provenance("arch", "CPU architecture");

  public static final Column<Row> HOST = provenance("host", "host name of the executor");

  public static final Column<Row> SPARK_VERSION =
      B.required(
          "spark_version", ColumnType.STRING, "Spark version", r -> r.execution().sparkVersion());

  public static final Column<Row> SPARK_APP_ID =
      B.required(
          "spark_app_id",
          ColumnType.STRING,
          "Spark application id of the job that trained the run",
          r -> r.execution().sparkAppId());

  public static final Column<Row> SPARK_STAGE_ID =
      B.required(
          "spark_stage_id",
          ColumnType.INT,
          "Spark stage of the task",
          r -> r.execution().stageId());

  public static final Column<Row> SPARK_TASK_ATTEMPT =
      B.required(
          "spark_task_attempt",
          ColumnType.INT,
          "attempt number of the task (0 = first)",
          r -> r.execution().taskAttempt());

  public static final Column<Row> CONFIG_JSON =
      B.required(
          "config_json",
          ColumnType.STRING,
          "the run configuration as JSON: enough to replay the run alone",
          r -> Json.writeFlat(r.config().toMap()));

  /** The table, columns in file order. */
  public static final Table<Row> TABLE = B.build();

  private RunsTable() {}

  /**
   * Declares the provenance column {@code name}: the value {@link org.phasemap.worker.Provenance}
   * records under the same name ("unknown" when it has none).
   */
  private static Column<Row> provenance(String name, String doc) {
    return B.required(
        name,
        ColumnType.STRING,
        doc,
        r -> r.execution().provenance().getOrDefault(name, "unknown"));
  }

  /**
   * Declares the runs column {@code name}: the steps column {@code stepColumn} at the run's last
   * logged step ({@code final_step}), null for a run that logged none. The value is read by the
   * steps column itself, so the two cannot disagree.
   */
  private static Column<Row> atFinalStep(
      String name, Column<StepsTable.Row> stepColumn, String doc) {
    return B.optional(
        name,
        stepColumn.type(),
        doc,
        r ->
            r.last() == null
                ? null
                : stepColumn.valueOf(new StepsTable.Row(r.config().runId(), r.last())));
  }

  private static List<Column<Row>> configColumns() {
    List<Column<Row>> columns = new ArrayList<>();
    for (RunConfig.Field f : RunConfig.FIELDS) {
      String name = f.name();
      columns.add(
          B.required(
              name, columnType(f.type()), f.description(), r -> r.config().toMap().get(name)));
    }
    return List.copyOf(columns);
  }

  /** The column of run field {@code field}; it has the field's name. */
  public static Column<Row> config(RunConfig.Field field) {
    return TABLE.column(field.name());
  }

  /** The column type that holds a run field of type {@code t}. */
  public static ColumnType columnType(RunConfig.Type t) {
    return switch (t) {
      case INT -> ColumnType.INT;
      case LONG -> ColumnType.LONG;
      case DOUBLE -> ColumnType.DOUBLE;
      case BOOLEAN -> ColumnType.BOOLEAN;
      case STRING -> ColumnType.STRING;
    };
  }
}
