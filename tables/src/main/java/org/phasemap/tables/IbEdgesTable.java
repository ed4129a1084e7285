package org.phasemap.tables;

import java.util.ArrayList;
import java.util.List;
import org.phasemap.worker.degeneracy.InteractionGraph;
import org.phasemap.worker.train.StepRecord;

/**
 * The {@code ib_edges} table: every edge of the interaction graph at every checkpoint, between a
 * direction of one node layer's interaction basis and one of the next layer's, with its attribution
 * and its rank (only when a sweep sets {@code analysis.interaction_graph}; docs/DEGENERACY.md).
 */
public final class IbEdgesTable {

  /** One row: one edge of the graph of one checkpoint. */
  public record Row(
      String runId,
      int step,
      String fromLayer,
      int fromDirection,
      String toLayer,
      int toDirection,
      double weight,
      int rank) {}

  private static final Table.Builder<Row> B = Table.<Row>builder("ib_edges").nonFiniteAsNull();

  public static final Column<Row> RUN_ID =
      B.required("run_id", ColumnType.STRING, "the run", r -> r.runId());

  public static final Column<Row> STEP =
      B.required("step", ColumnType.INT, "the checkpoint step", r -> r.step());

  public static final Column<Row> FROM_LAYER =
      B.required(
          "from_layer",
          ColumnType.STRING,
          "the edge's input node layer (names as in `ib_directions.layer`)",
          r -> r.fromLayer());

  public static final Column<Row> FROM_DIRECTION =
      B.required(
          "from_direction",
          ColumnType.INT,
          "the input direction: its `direction` in `ib_directions` (basis `interaction`)",
          r -> r.fromDirection());

  public static final Column<Row> TO_LAYER =
      B.required("to_layer", ColumnType.STRING, "the next node layer", r -> r.toLayer());

  public static final Column<Row> TO_DIRECTION =
      B.required(
          "to_direction", ColumnType.INT, "the direction of the next layer", r -> r.toDirection());

  public static final Column<Row> WEIGHT =
      B.optional(
          "weight",
          ColumnType.DOUBLE,
          "the edge's attribution: mean squared contribution of the input direction to the output direction (RIB's squared formula)",
          r -> r.weight());

  public static final Column<Row> RANK =
      B.required(
          "rank",
          ColumnType.INT,
          "0-based rank of the edge in the whole graph, strongest first: the edges with `rank` < `ib_edges_needed` (steps table) are the ones kept",
          r -> r.rank());

  /** The table, columns in file order. */
  public static final Table<Row> TABLE = B.build();

  private IbEdgesTable() {}

  /** The rows of one logged step (none unless it is a checkpoint with the interaction graph). */
  public static List<Row> rows(String runId, StepRecord s) {
    List<Row> rows = new ArrayList<>();
    InteractionGraph g =
        s.checkpoint() == null || s.checkpoint().interactionBasis() == null
            ? null
            : s.checkpoint().interactionBasis().interactionGraph();
    if (g == null) {
      return rows;
    }
    List<InteractionGraph.Edge> ranked = new ArrayList<>(g.edges());
    ranked.sort(InteractionGraph.ORDER);
    for (int k = 0; k < ranked.size(); k++) {
      InteractionGraph.Edge e = ranked.get(k);
      rows.add(
          new Row(
              runId,
              s.step(),
              g.layers().get(e.layer()),
              e.from(),
              g.layers().get(e.layer() + 1),
              e.to(),
              e.weight(),
              k));
    }
    return rows;
  }
}
