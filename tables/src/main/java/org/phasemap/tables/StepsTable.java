package org.phasemap.tables;

import java.util.List;
import java.util.function.ToIntFunction;
import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.analysis.DegeneracyMeasures;
import org.phasemap.worker.analysis.ProgressMeasures;
import org.phasemap.worker.analysis.Retrospective;
import org.phasemap.worker.analysis.Spectra;
import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.degeneracy.InteractionGraph;
import org.phasemap.worker.degeneracy.SynchronisedNeurons;
import org.phasemap.worker.llc.LlcResult;
import org.phasemap.worker.train.StepRecord;

/**
 * The {@code steps} table: one row per logged step of a run; the analysis columns are filled at
 * checkpoint steps only. The {@code sweep} column comes from the partition folder. Each column is
 * declared once below, with its docs/TABLES.md line and how it is read from the worker's {@link
 * StepRecord}; nullable doubles that are not finite are stored as null.
 */
public final class StepsTable {

  /** One row: a run's logged step. */
  public record Row(String runId, StepRecord step) implements CheckpointParts {
    @Override
    public Checkpoint checkpoint() {
      return step.checkpoint();
    }
  }

  /**
   * The position of {@code mlp_hidden} in the per-node-layer arrays ({@code gram_ranks} ... {@code
   * pca_needed}) of a one-layer model: {@code resid_pre}, {@code resid_mid}, {@code mlp_hidden},
   * {@code resid_post}, {@code logits}. With L layers the arrays have 3L + 2 entries ({@code
   * resid_pre.0}, then per block {@code resid_mid.l}, {@code mlp_hidden.l}, {@code resid_post.l},
   * then {@code logits}); the last block's {@code mlp_hidden} is then at 3L − 1, always {@link
   * #MLP_HIDDEN_FROM_END} entries from the end.
   */
  public static final int MLP_HIDDEN = 2;

  /**
   * The last block's {@code mlp_hidden} counted from the end of a per-node-layer array, for any
   * number of layers: 3 (it is followed by {@code resid_post} and {@code logits}).
   */
  public static final int MLP_HIDDEN_FROM_END = 3;

  private static final Table.Builder<Row> B = Table.<Row>builder("steps").nonFiniteAsNull();

  public static final Column<Row> RUN_ID =
      B.required("run_id", ColumnType.STRING, "the run", r -> r.runId());

  public static final Column<Row> STEP =
      B.required("step", ColumnType.INT, "optimiser updates applied so far", r -> r.step().step());

  public static final Column<Row> LR =
      B.required(
          "lr",
          ColumnType.DOUBLE,
          "learning rate of the next update (warm-up included)",
          r -> r.step().learningRate());

  public static final Column<Row> TRAIN_LOSS =
      B.optional("train_loss", ColumnType.DOUBLE, "training-set loss", r -> r.step().trainLoss());

  public static final Column<Row> TRAIN_ACC =
      B.optional(
          "train_acc", ColumnType.DOUBLE, "training-set accuracy", r -> r.step().trainAccuracy());

  public static final Column<Row> TEST_LOSS =
      B.optional("test_loss", ColumnType.DOUBLE, "test-set loss", r -> r.step().testLoss());

  public static final Column<Row> TEST_ACC =
      B.optional("test_acc", ColumnType.DOUBLE, "test-set accuracy", r -> r.step().testAccuracy());

  public static final Column<Row> SUM_SQ_WEIGHTS =
      B.optional(
          "sum_sq_weights",
          ColumnType.DOUBLE,
          "Σ w² over all parameters",
          r -> r.step().sumSquaredWeights());

  public static final Column<Row> ELAPSED_SECONDS =
      B.required(
          "elapsed_seconds",
          ColumnType.DOUBLE,
          "wall time since the run's training started",
          r -> r.step().elapsedSeconds());

  public static final Column<Row> EMBED_FOURIER_NORMS =
      B.optional(
          "embed_fourier_norms",
          ColumnType.DOUBLE_ARRAY,
          "‖(W_E Bᵀ)[:, i]‖ for the p Fourier components i = Const, cos 1, sin 1, … (§1.4.5)",
          r -> Column.of(r.step().spectra(), Spectra::embedFourierNorms));

  public static final Column<Row> GINI_EMBED =
      B.optional(
          "gini_embed",
          ColumnType.DOUBLE,
          "Gini of `embed_fourier_norms`",
          r -> Column.of(r.step().spectra(), Spectra::giniEmbed));

  public static final Column<Row> GINI_NEURON_LOGIT =
      B.optional(
          "gini_neuron_logit",
          ColumnType.DOUBLE,
          "Gini of the per-component Fourier norms of W_L = W_Uᵀ W_outᵀ",
          r -> Column.of(r.step().spectra(), Spectra::giniNeuronLogit));

  public static final Column<Row> IS_CHECKPOINT =
      B.required(
          "is_checkpoint",
          ColumnType.BOOLEAN,
          "true at checkpoint steps (every `checkpoint_interval` and the last step), where the columns below are filled",
          r -> r.step().checkpoint() != null);

  public static final Column<Row> KEY_FREQUENCIES =
      B.optional(
          "key_frequencies",
          ColumnType.INT_ARRAY,
          "key frequencies of this checkpoint (\"online\", §1.4.2)",
          r -> Column.of(r.progress(), ProgressMeasures::keyFrequencies));

  public static final Column<Row> N_KEY_FREQUENCIES =
      B.optional(
          "n_key_frequencies",
          ColumnType.INT,
          "their number",
          r -> Column.of(r.progress(), p -> p.keyFrequencies().length));

  public static final Column<Row> RESTRICTED_LOSS =
      B.optional(
          "restricted_loss",
          ColumnType.DOUBLE,
          "restricted loss with this checkpoint's key frequencies, all p² inputs (§1.4.3)",
          r -> Column.of(r.progress(), ProgressMeasures::restrictedLoss));

  public static final Column<Row> RESTRICTED_ACC =
      B.optional(
          "restricted_acc",
          ColumnType.DOUBLE,
          "accuracy of the restricted logits, all inputs",
          r -> Column.of(r.progress(), ProgressMeasures::restrictedAccuracy));

  public static final Column<Row> EXCLUDED_LOSS =
      B.optional(
          "excluded_loss",
          ColumnType.DOUBLE,
          "excluded loss with this checkpoint's key frequencies, training set (§1.4.4)",
          r -> Column.of(r.progress(), ProgressMeasures::excludedLoss));

  public static final Column<Row> EXCLUDED_ACC =
      B.optional(
          "excluded_acc",
          ColumnType.DOUBLE,
          "accuracy of the excluded logits, training set",
          r -> Column.of(r.progress(), ProgressMeasures::excludedAccuracy));

  public static final Column<Row> EXCLUDED_LOSS_PER_FREQ =
      B.optional(
          "excluded_loss_per_freq",
          ColumnType.DOUBLE_ARRAY,
          "training loss with only frequency k removed, k = 1 … (p−1)/2",
          r -> Column.of(r.progress(), ProgressMeasures::excludedLossPerFrequency));

  public static final Column<Row> COSINE_COEFFICIENTS =
      B.optional(
          "cosine_coefficients",
          ColumnType.DOUBLE_ARRAY,
          "γ_k of the 3-D decomposition on cos(w_k(a+b−c)), k = 1 … (p−1)/2 (§1.4.4)",
          r -> Column.of(r.progress(), ProgressMeasures::cosineCoefficients));

  public static final Column<Row> ATTN_TO_A =
      B.optional(
          "attn_to_a",
          ColumnType.DOUBLE_ARRAY,
          "mean attention (softmax part) from the last position to a, per head",
          r -> Column.of(r.progress(), ProgressMeasures::attentionToA));

  public static final Column<Row> ATTN_TO_B =
      B.optional(
          "attn_to_b",
          ColumnType.DOUBLE_ARRAY,
          "mean attention (softmax part) from the last position to b, per head",
          r -> Column.of(r.progress(), ProgressMeasures::attentionToB));

  public static final Column<Row> RESTRICTED_LOSS_FINAL_KEYS =
      B.optional(
          "restricted_loss_final_keys",
          ColumnType.DOUBLE,
          "restricted loss with the **final** model's key frequencies: the paper's retrospective measure",
          r -> Column.of(r.retrospective(), Retrospective::restrictedLoss));

  public static final Column<Row> RESTRICTED_ACC_FINAL_KEYS =
      B.optional(
          "restricted_acc_final_keys",
          ColumnType.DOUBLE,
          "its accuracy",
          r -> Column.of(r.retrospective(), Retrospective::restrictedAccuracy));

  public static final Column<Row> EXCLUDED_LOSS_FINAL_KEYS =
      B.optional(
          "excluded_loss_final_keys",
          ColumnType.DOUBLE,
          "excluded loss with the final model's key frequencies",
          r -> Column.of(r.retrospective(), Retrospective::excludedLoss));

  public static final Column<Row> EXCLUDED_ACC_FINAL_KEYS =
      B.optional(
          "excluded_acc_final_keys",
          ColumnType.DOUBLE,
          "its accuracy",
          r -> Column.of(r.retrospective(), Retrospective::excludedAccuracy));

  public static final Column<Row> GS =
      B.optional(
          "gs",
          ColumnType.DOUBLE,
          "gradient symmetricity (§2.3.1)",
          r -> Column.of(r.algorithm(), AlgorithmMeasures::gs));

  public static final Column<Row> DI_CORRECT =
      B.optional(
          "di_correct",
          ColumnType.DOUBLE,
          "distance irrelevance, correct logit (§2.3.2)",
          r -> Column.of(r.algorithm(), AlgorithmMeasures::diCorrect));

  public static final Column<Row> DI_MAXWRONG =
      B.optional(
          "di_maxwrong",
          ColumnType.DOUBLE,
          "distance irrelevance, largest wrong logit",
          r -> Column.of(r.algorithm(), AlgorithmMeasures::diMaxWrong));

  public static final Column<Row> CIRCULARITY =
      B.optional(
          "circularity",
          ColumnType.DOUBLE,
          "circularity of the embedding (§2.3.3)",
          r -> Column.of(r.algorithm(), AlgorithmMeasures::circularity));

  public static final Column<Row> LABEL =
      B.optional(
          "label",
          ColumnType.STRING,
          "the algorithm label at this checkpoint",
          r -> Column.of(r.algorithm(), AlgorithmMeasures::label));

  public static final Column<Row> GRAM_RANK_MLP_IN =
      B.optional(
          "gram_rank_mlp_in",
          ColumnType.INT,
          "numerical rank of the Gram matrix AᵀA/n of the last layer's MLP input (residual stream after attention, last position) over all p² inputs: eigenvalues above 1e-6 × the largest ([LLC.md](LLC.md#what-the-numbers-mean)); at most `d_model`",
          r -> Column.of(r.degeneracy(), DegeneracyMeasures::gramRankMlpIn));

  public static final Column<Row> GRAM_RANK_MLP_POST =
      B.optional(
          "gram_rank_mlp_post",
          ColumnType.INT,
          "the same for the MLP's post-activation neurons; at most `d_mlp`",
          r -> Column.of(r.degeneracy(), DegeneracyMeasures::gramRankMlpPost));

  public static final Column<Row> DEAD_NEURONS =
      B.optional(
          "dead_neurons",
          ColumnType.INT,
          "MLP neurons whose post-activation is exactly zero on all p² inputs (ReLU; 0 with GeLU)",
          r -> Column.of(r.degeneracy(), DegeneracyMeasures::deadNeurons));

  public static final Column<Row> LLC_MEAN =
      B.optional(
          "llc_mean",
          ColumnType.DOUBLE,
          "local learning coefficient λ̂ at this checkpoint, mean over SGLD chains (only when `analysis.llc` is set)",
          r -> Column.of(r.llc(), LlcResult::mean));

  public static final Column<Row> LLC_STD =
      B.optional(
          "llc_std",
          ColumnType.DOUBLE,
          "its sample standard deviation over chains",
          r -> Column.of(r.llc(), LlcResult::std));

  public static final Column<Row> LLC_NBETA =
      B.optional(
          "llc_nbeta",
          ColumnType.DOUBLE,
          "the nβ used for it",
          r -> Column.of(r.llc(), LlcResult::nBeta));

  public static final Column<Row> LLC_INIT_LOSS =
      B.optional(
          "llc_init_loss",
          ColumnType.DOUBLE,
          "L_0, the initial loss the estimate is taken against (SCIENCE.md §3.3)",
          r -> Column.of(r.llc(), LlcResult::l0));

  public static final Column<Row> GRAM_RANKS =
      B.optional(
          "gram_ranks",
          ColumnType.INT_ARRAY,
          "rank of the centred Gram matrix of each node layer, in the order `resid_pre`, `resid_mid`, `mlp_hidden`, `resid_post`, `logits` for one layer; for L layers 3L + 2 entries, `resid_pre.0`, then per block `resid_mid.l`, `mlp_hidden.l`, `resid_post.l`, then `logits` (degeneracy source 1; only with `analysis.interaction_basis`; [DEGENERACY.md](DEGENERACY.md))",
          r -> Column.of(r.interactionBasis(), b -> perLayer(b, DegeneracyReport.Layer::gramRank)));

  public static final Column<Row> JACOBIAN_RANKS =
      B.optional(
          "jacobian_ranks",
          ColumnType.INT_ARRAY,
          "rank of each node layer's Jacobian Gram matrix M' (source 2), same order",
          r ->
              Column.of(
                  r.interactionBasis(), b -> perLayer(b, DegeneracyReport.Layer::jacobianRank)));

  public static final Column<Row> IB_KEPT =
      B.optional(
          "ib_kept",
          ColumnType.INT_ARRAY,
          "interaction-basis directions kept in each node layer, same order",
          r ->
              Column.of(
                  r.interactionBasis(), b -> perLayer(b, DegeneracyReport.Layer::directionsKept)));

  public static final Column<Row> IB_NEEDED =
      B.optional(
          "ib_needed",
          ColumnType.INT_ARRAY,
          "interaction-basis directions each node layer needs for 99 % of the full model's accuracy (−1: not reached), same order",
          r ->
              Column.of(
                  r.interactionBasis(), b -> perLayer(b, l -> l.interaction().directionsNeeded())));

  public static final Column<Row> PCA_NEEDED =
      B.optional(
          "pca_needed",
          ColumnType.INT_ARRAY,
          "the same for the PCA basis of each layer: more than `ib_needed` where the interaction basis is the more compact",
          r -> Column.of(r.interactionBasis(), b -> perLayer(b, l -> l.pca().directionsNeeded())));

  public static final Column<Row> SYNC_GROUPS =
      B.optional(
          "sync_groups",
          ColumnType.INT,
          "groups of MLP neurons (the last block's) that fire on the same inputs within 1 % (Jaccard; source 3)",
          r -> Column.of(r.interactionBasis(), b -> synchronised(b).groups()));

  public static final Column<Row> SYNC_NEURONS =
      B.optional(
          "sync_neurons",
          ColumnType.INT,
          "MLP neurons in those groups",
          r -> Column.of(r.interactionBasis(), b -> synchronised(b).neuronsInGroups()));

  public static final Column<Row> IB_EDGES_TOTAL =
      B.optional(
          "ib_edges_total",
          ColumnType.INT,
          "edges of the interaction graph: pairs of interaction directions of adjacent node layers (only with `analysis.interaction_graph`)",
          r -> Column.of(r.interactionGraph(), InteractionGraph::edgesTotal));

  public static final Column<Row> IB_EDGES_NEEDED =
      B.optional(
          "ib_edges_needed",
          ColumnType.INT,
          "fewest strongest edges that keep the model's accuracy within 0.001 when every other edge is ablated",
          r -> Column.of(r.interactionGraph(), InteractionGraph::edgesNeeded));

  public static final Column<Row> IB_MODULARITY =
      B.optional(
          "ib_modularity",
          ColumnType.DOUBLE,
          "Newman modularity of the graph's Louvain communities",
          r -> Column.of(r.interactionGraph(), InteractionGraph::modularity));

  public static final Column<Row> IB_COMMUNITIES =
      B.optional(
          "ib_communities",
          ColumnType.INT,
          "number of those communities",
          r -> Column.of(r.interactionGraph(), InteractionGraph::communities));

  /** The table, columns in file order. */
  public static final Table<Row> TABLE = B.build();

  private StepsTable() {}

  /** One value per node layer of the report, in its layer order. */
  static int[] perLayer(DegeneracyReport report, ToIntFunction<DegeneracyReport.Layer> value) {
    return report.layers().stream().mapToInt(value).toArray();
  }

  /** The synchronised neurons of the last block's MLP (the only one of a one-layer model). */
  static SynchronisedNeurons synchronised(DegeneracyReport report) {
    List<SynchronisedNeurons> all = report.synchronisedNeurons();
    return all.get(all.size() - 1);
  }
}
