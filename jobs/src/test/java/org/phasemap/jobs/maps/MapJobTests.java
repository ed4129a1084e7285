package org.phasemap.jobs.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.Synthetic;
import org.phasemap.jobs.Synthetic.Run;
import org.phasemap.jobs.plot.Images;

/** Maps drawn end to end from a results root of real Parquet: files, sizes, content, bad input. */
class MapJobTests {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path root;

  @BeforeAll
  static void writeRoot() {
    spark = Synthetic.spark("MapJobTests");
    root = dir.resolve("results");
    List<Run> runs = new ArrayList<>(PhaseMapsTests.cells());
    // a second sweep whose runs must not leak into --sweep s
    runs.add(Run.ok("t", "z0", 0, 32, 0, "clock", 0.1, 0.9));
    Synthetic.writeRuns(spark, root, runs);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static OutputDir out(Path p) {
    return OutputDir.of(p.toString(), spark.sparkContext().hadoopConfiguration());
  }

  @Test
  void heatmapWritesPngSvgAndTheAggregatedCsv(@TempDir Path tmp) throws Exception {
    MapSpec spec =
        MapSpec.heatmap().withAxes("attention_rate", "d_model").withSweep("s").withSize(640, 480);
    MapJob.Result r = MapJob.draw(spark, root.toString(), spec, out(tmp));
    assertThat(r.runs()).isEqualTo(14);
    assertThat(r.files())
        .containsExactly(
            tmp.resolve("s_map_attention_rate_d_model.png").toString(),
            tmp.resolve("s_map_attention_rate_d_model.svg").toString(),
            tmp.resolve("s_map_attention_rate_d_model.csv").toString());
    assertThat(Files.readString(tmp.resolve("s_map_attention_rate_d_model.csv")))
        .isEqualTo(
            String.join(
                "\n",
                PhaseMapsTests.HEADER,
                "0,32,4,0,0.75,0.25,0,0,pizza",
                "0,64,2,0.5,0,0.5,0,0,clock",
                "0.5,64,1,0,0,0,0,0,",
                "1,32,4,0.5,0,0,0.25,0,clock",
                "1,64,3,0,0,0,0,1,no_generalisation",
                ""));
    // cells in four class colours plus shades, text, axes and legend
    Images.assertPng(tmp.resolve("s_map_attention_rate_d_model.png"), 640, 480, 12);
    String svg = Images.assertSvg(tmp.resolve("s_map_attention_rate_d_model.svg"), 640, 480);
    assertThat(svg).contains("attention_rate").contains("d_model").contains("n=4");
  }

  @Test
  void allSweepsByDefaultAndNumericColourWithColourBar(@TempDir Path tmp) throws Exception {
    MapJob.Result r =
        MapJob.draw(
            spark, root.toString(), MapSpec.heatmap().withColor("final_test_acc"), out(tmp));
    assertThat(r.runs()).isEqualTo(15);
    assertThat(r.x()).isEqualTo("attention_rate");
    assertThat(r.y()).isEqualTo("d_model");
    String csv = Files.readString(tmp.resolve("map_attention_rate_d_model_final_test_acc.csv"));
    assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",dominant,mean_final_test_acc");
    assertThat(csv).contains("0,32,5,0.2,0.6,0.2,0,0,pizza,1\n");
    Images.assertPng(tmp.resolve("map_attention_rate_d_model_final_test_acc.png"), 900, 700, 12);
  }

  @Test
  void scatterDrawsTheTwoPaperPanelsAndListsEveryRun(@TempDir Path tmp) throws Exception {
    MapSpec spec = MapSpec.scatter().withSweep("s").withSize(1200, 500);
    MapJob.Result r = MapJob.draw(spark, root.toString(), spec, out(tmp));
    String name = "s_scatter_attention_rate_final_di_maxwrong_final_gs";
    assertThat(r.files()).contains(tmp.resolve(name + ".png").toString());
    // failed runs have no DI or GS: 12 of the 14 runs are drawn
    assertThat(r.runs()).isEqualTo(12);
    List<String> csv = Files.readAllLines(tmp.resolve(name + ".csv"));
    assertThat(csv.get(0))
        .isEqualTo("run_id,sweep,attention_rate,final_di_maxwrong,final_gs,final_label,round");
    assertThat(csv).hasSize(13).contains("a0,s,0,0.2,0.99,pizza,0");
    Images.assertPng(tmp.resolve(name + ".png"), 1200, 500, 12);
    String svg = Images.assertSvg(tmp.resolve(name + ".svg"), 1200, 500);
    assertThat(svg)
        .contains("final_di_maxwrong vs attention_rate")
        .contains("final_gs vs attention_rate");
  }

  @Test
  void scatterByClassHasOnePanel(@TempDir Path tmp) throws Exception {
    MapSpec spec = MapSpec.scatter().withColor("class").withAxes("attention_rate", "gs");
    MapJob.draw(spark, root.toString(), spec, out(tmp));
    String svg =
        Images.assertSvg(tmp.resolve("scatter_attention_rate_final_gs_class.svg"), 1400, 620);
    assertThat(svg)
        .contains("final_gs vs attention_rate")
        .contains("pizza")
        .contains("no generalisation");
  }

  @Test
  void emptySelectionAndBadSqlAreBadInput(@TempDir Path tmp) {
    assertThatThrownBy(
            () ->
                MapJob.draw(
                    spark, root.toString(), MapSpec.heatmap().withWhere("final_gs > 2"), out(tmp)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot draw a map: no runs of " + root + " match --where final_gs > 2;")
        .hasMessageEndingWith("(got 0 runs)");
    assertThatThrownBy(
            () ->
                MapJob.draw(spark, root.toString(), MapSpec.heatmap().withSweep("nope"), out(tmp)))
        .hasMessageContaining("match --sweep nope");
    assertThatThrownBy(
            () ->
                MapJob.draw(
                    spark,
                    root.toString(),
                    MapSpec.heatmap().withWhere("no_such_col > 1"),
                    out(tmp)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot select runs with --where:")
        .hasMessageContaining("no_such_col")
        .hasMessageEndingWith("(got no_such_col > 1)");
    // a syntax error: its reason is said, not an empty line
    assertThatThrownBy(
            () ->
                MapJob.draw(
                    spark, root.toString(), MapSpec.heatmap().withWhere("nonsense =="), out(tmp)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot select runs with --where: [PARSE_SYNTAX_ERROR]")
        .hasMessageEndingWith("(got nonsense ==)");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void scatterWithBoundaryDrawsTheLineAndWritesItsPoints(@TempDir Path tmp) throws Exception {
    MapSpec spec =
        MapSpec.scatter()
            .withSweep("s")
            .withAxes("attention_rate", "d_model")
            .withBoundary("clock")
            .withSize(900, 600);
    MapJob.Result r = MapJob.draw(spark, root.toString(), spec, out(tmp));
    String name = "s_scatter_attention_rate_d_model_class";
    assertThat(r.files()).contains(tmp.resolve(name + ".boundary.csv").toString());
    List<String> line = Files.readAllLines(tmp.resolve(name + ".boundary.csv"));
    assertThat(line.get(0)).isEqualTo("attention_rate,boundary_clock,low,high");
    assertThat(line).hasSizeGreaterThan(1);
    String svg = Images.assertSvg(tmp.resolve(name + ".svg"), 900, 600);
    assertThat(svg).contains("boundary: share of clock = 1/2");
    Images.assertPng(tmp.resolve(name + ".png"), 900, 600, 6);
  }

  @Test
  void boundaryNeedsAScatter() {
    assertThatThrownBy(() -> MapSpec.heatmap().withBoundary("clock"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--boundary needs --style scatter (got --style heatmap)");
  }

  /** The paper's figure: α by width, coloured by GS, with the clock's boundary over it. */
  @Test
  void scatterColouredByAColumnCarriesTheBoundaryToo(@TempDir Path tmp) throws Exception {
    MapSpec spec =
        MapSpec.scatter()
            .withSweep("s")
            .withAxes("attention_rate", "d_model")
            .withColor("final_gs")
            .withBoundary("clock")
            .withSize(900, 600);
    MapJob.Result r = MapJob.draw(spark, root.toString(), spec, out(tmp));
    assertThat(r.color()).isEqualTo("final_gs");
    String name = "s_scatter_attention_rate_d_model_final_gs";
    List<String> line = Files.readAllLines(tmp.resolve(name + ".boundary.csv"));
    assertThat(line.get(0)).isEqualTo("attention_rate,boundary_clock,low,high");
    assertThat(line).hasSizeGreaterThan(1);
    String svg = Images.assertSvg(tmp.resolve(name + ".svg"), 900, 600);
    assertThat(svg).contains("line: where the share of clock crosses 1/2");
    Images.assertPng(tmp.resolve(name + ".png"), 900, 600, 6);
  }
}
