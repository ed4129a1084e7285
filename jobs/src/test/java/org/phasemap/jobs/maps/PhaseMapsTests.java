package org.phasemap.jobs.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phasemap.jobs.Synthetic;
import org.phasemap.jobs.Synthetic.Run;

/** The aggregation behind a map, on an in-memory runs table with known class shares. */
class PhaseMapsTests {
  static SparkSession spark;
  static Dataset<Row> runs;

  static List<Run> cells() {
    return Synthetic.knownShares();
  }

  @BeforeAll
  static void start() {
    spark = Synthetic.spark("PhaseMapsTests");
    List<Row> rows = new ArrayList<>();
    for (Run r : cells()) {
      rows.add(
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
              6.0,
              "v",
              "c",
              "b"));
    }
    runs = spark.createDataFrame(rows, Synthetic.RUNS);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static final String HEADER =
      "attention_rate,d_model,n,share_clock,share_pizza,share_mixed,share_non_circular,share_no_generalisation,dominant";

  @Test
  void sharesCountsAndDominantPerCell() {
    MapTable t = MapTable.collect(PhaseMaps.aggregate(runs, "attention_rate", "d_model", "class"));
    assertThat(t.csv())
        .isEqualTo(
            String.join(
                "\n",
                HEADER,
                "0,32,4,0,0.75,0.25,0,0,pizza",
                "0,64,2,0.5,0,0.5,0,0,clock",
                "0.5,64,1,0,0,0,0,0,",
                "1,32,4,0.5,0,0,0.25,0,clock",
                "1,64,3,0,0,0,0,1,no_generalisation",
                ""));
    assertThat(t.runs()).isEqualTo(14);
    assertThat(t.xValues()).containsExactly(0, 0.5, 1);
    assertThat(t.yValues()).containsExactly(32, 64);
    assertThat(t.cells().get(0).dominantShare()).isEqualTo(0.75);
    assertThat(t.cells().get(2).dominant()).isNull();
  }

  @Test
  void numericColourAddsTheCellMeanIgnoringNulls() {
    // "gs" names final_gs; the failed run's null GS does not count in the mean
    MapTable t = MapTable.collect(PhaseMaps.aggregate(runs, "attention_rate", "d_model", "gs"));
    assertThat(t.color()).isEqualTo("final_gs");
    List<String> lines = t.csv().lines().toList();
    assertThat(lines.get(0)).isEqualTo(HEADER + ",mean_final_gs");
    assertThat(t.cells().get(0).mean())
        .isCloseTo((0.99 + 0.98 + 0.97 + 0.90) / 4, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(t.cells().get(3).mean())
        .isCloseTo((0.4 + 0.3 + 0.2) / 3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(lines.get(3)).isEqualTo("0.5,64,1,0,0,0,0,0,,");
  }

  @Test
  void axesCanBeSwappedAndAreNamedInTheHeader() {
    MapTable t = MapTable.collect(PhaseMaps.aggregate(runs, "d_model", "attention_rate", null));
    assertThat(t.csv().lines().findFirst().orElseThrow()).startsWith("d_model,attention_rate,n,");
    assertThat(t.cells()).extracting(MapTable.Cell::n).containsExactly(4L, 4L, 2L, 1L, 3L);
  }

  @Test
  void unknownColumnIsNamedWithTheNumericColumns() {
    assertThatThrownBy(() -> PhaseMaps.aggregate(runs, "alpha", "d_model", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot draw a map with --x alpha: the runs table has no column alpha; numeric columns: ")
        .hasMessageContaining("attention_rate, ")
        .hasMessageContaining("final_gs")
        .hasMessageEndingWith("(got alpha)");
    assertThatThrownBy(() -> PhaseMaps.aggregate(runs, "attention_rate", "activation", null))
        .hasMessageStartingWith(
            "Cannot draw a map with --y activation: column activation is not numeric (string)");
    assertThatThrownBy(() -> PhaseMaps.aggregate(runs, "attention_rate", "d_model", "nope"))
        .hasMessageStartingWith("Cannot draw a map with --color nope:");
    assertThatThrownBy(() -> PhaseMaps.aggregate(runs, "d_model", "d_model", null))
        .hasMessage(
            "Cannot draw a map: --x and --y name the same column; choose two (got d_model)");
  }

  @Test
  void defaultAxesPreferTheMostVariedAndSkipDependentColumns() {
    DefaultAxes.Choice c = DefaultAxes.choose(runs);
    assertThat(c).isEqualTo(new DefaultAxes.Choice("attention_rate", "d_model"));
    // d_mlp follows d_model, so the second axis is the next independent one; attention rate on x
    DefaultAxes.Choice d =
        DefaultAxes.choose(
            java.util.Map.of("d_model", 3L, "d_mlp", 3L, "attention_rate", 2L, "lr", 1L),
            (a, b) -> java.util.Set.of(a, b).equals(java.util.Set.of("d_model", "d_mlp")));
    assertThat(d).isEqualTo(new DefaultAxes.Choice("attention_rate", "d_model"));
    // one varied axis: filled up with d_model
    assertThat(DefaultAxes.choose(java.util.Map.of("lr", 4L, "d_model", 1L), (a, b) -> false))
        .isEqualTo(new DefaultAxes.Choice("lr", "d_model"));
    // one varied hyperparameter and varied seeds: a row per seed, not a constant axis
    assertThat(
            DefaultAxes.choose(
                java.util.Map.of("attention_rate", 2L, "d_model", 1L, "init_seed", 4L),
                (a, b) -> false))
        .isEqualTo(new DefaultAxes.Choice("attention_rate", "init_seed"));
  }
}
