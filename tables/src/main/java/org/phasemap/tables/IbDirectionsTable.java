package org.phasemap.tables;

import java.util.ArrayList;
import java.util.List;
import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.degeneracy.FourierLabels;
import org.phasemap.worker.train.StepRecord;

/**
 * The {@code ib_directions} table: every direction of the interaction basis and of the PCA basis of
 * every node layer, at every checkpoint, with its eigenvalue and dominant Fourier frequency (only
 * when a sweep sets {@code analysis.interaction_basis}; docs/DEGENERACY.md).
 */
public final class IbDirectionsTable {

  /** The interaction basis, as the {@code basis} column names it. */
  public static final String INTERACTION = "interaction";

  /** The PCA basis of the same layer. */
  public static final String PCA = "pca";

  /** One row: one direction of one basis of one node layer at one checkpoint. */
  public record Row(
      String runId,
      int step,
      String layer,
      String basis,
      int direction,
      double eigenvalue,
      Integer frequency,
      double frequencyShare) {}

  private static final Table.Builder<Row> B = Table.<Row>builder("ib_directions").nonFiniteAsNull();

  public static final Column<Row> RUN_ID =
      B.required("run_id", ColumnType.STRING, "the run", r -> r.runId());

  public static final Column<Row> STEP =
      B.required("step", ColumnType.INT, "the checkpoint step", r -> r.step());

  public static final Column<Row> LAYER =
      B.required(
          "layer",
          ColumnType.STRING,
          "the node layer: `resid_pre`, `resid_mid`, `mlp_hidden`, `resid_post` or `logits`; with several layers numbered by block, `resid_pre.0`, `resid_mid.l`, `mlp_hidden.l`, `resid_post.l`, and `logits`",
          r -> r.layer());

  public static final Column<Row> BASIS =
      B.required(
          "basis",
          ColumnType.STRING,
          "`interaction` (the interaction basis) or `pca` (the PCA basis of the same layer)",
          r -> r.basis());

  public static final Column<Row> DIRECTION =
      B.required(
          "direction",
          ColumnType.INT,
          "0-based rank of the direction in its basis, largest eigenvalue first",
          r -> r.direction());

  public static final Column<Row> EIGENVALUE =
      B.optional(
          "eigenvalue",
          ColumnType.DOUBLE,
          "Λ of the direction (interaction) or its Gram eigenvalue (pca)",
          r -> r.eigenvalue());

  public static final Column<Row> FREQUENCY =
      B.optional(
          "frequency",
          ColumnType.INT,
          "dominant Fourier frequency of the direction's feature on the (a, b) grid, 1 … (p−1)/2 (0 for a feature constant over the inputs)",
          r -> r.frequency());

  public static final Column<Row> FREQUENCY_SHARE =
      B.optional(
          "frequency_share",
          ColumnType.DOUBLE,
          "share of the feature's squared norm that frequency explains",
          r -> r.frequencyShare());

  /** The table, columns in file order. */
  public static final Table<Row> TABLE = B.build();

  private IbDirectionsTable() {}

  /** The rows of one logged step (none unless it is a checkpoint with the interaction basis). */
  public static List<Row> rows(String runId, StepRecord s) {
    List<Row> rows = new ArrayList<>();
    DegeneracyReport report = s.checkpoint() == null ? null : s.checkpoint().interactionBasis();
    if (report == null) {
      return rows;
    }
    for (DegeneracyReport.Layer l : report.layers()) {
      add(
          rows,
          runId,
          s.step(),
          l.name(),
          INTERACTION,
          l.interactionEigenvalues(),
          l.directionsKept(),
          l.interactionFrequencies());
      add(
          rows,
          runId,
          s.step(),
          l.name(),
          PCA,
          l.gramEigenvalues(),
          l.gramRank(),
          l.pcaFrequencies());
    }
    return rows;
  }

  private static void add(
      List<Row> rows,
      String runId,
      int step,
      String layer,
      String basis,
      double[] eigenvalues,
      int directions,
      FourierLabels labels) {
    int[] frequency = labels == null ? null : labels.frequency();
    double[] share = labels == null ? null : labels.share();
    for (int k = 0; k < directions; k++) {
      boolean labelled = frequency != null && k < frequency.length;
      rows.add(
          new Row(
              runId,
              step,
              layer,
              basis,
              k,
              k < eigenvalues.length ? eigenvalues[k] : Double.NaN,
              labelled ? frequency[k] : null,
              labelled ? share[k] : Double.NaN));
    }
  }
}
