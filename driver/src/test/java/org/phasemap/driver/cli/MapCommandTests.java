package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.cli.MainTests.Outcome;

/**
 * {@code phasemap map}, {@code curves} and {@code report} as a user runs them, on a results root of
 * real Parquet written by Spark: exit codes, messages and the files they write. Each command
 * creates and stops its own Spark session, as from the shell; system properties keep it on one core
 * and on loopback.
 */
class MapCommandTests {
  static final String[] PROPS = {
    "spark.master", "local[1]",
    "spark.ui.enabled", "false",
    "spark.driver.host", "127.0.0.1",
    "spark.driver.bindAddress", "127.0.0.1",
    "spark.sql.shuffle.partitions", "2"
  };

  @TempDir static Path dir;
  static Path root;

  static final StructType RUNS =
      new StructType()
          .add("run_id", DataTypes.StringType)
          .add("d_model", DataTypes.IntegerType)
          .add("attention_rate", DataTypes.DoubleType)
          .add("init_seed", DataTypes.LongType)
          .add("run_index", DataTypes.LongType)
          .add("status", DataTypes.StringType)
          .add("final_label", DataTypes.StringType)
          .add("final_gs", DataTypes.DoubleType)
          .add("final_di_maxwrong", DataTypes.DoubleType)
          .add("final_circularity", DataTypes.DoubleType)
          .add("final_test_acc", DataTypes.DoubleType)
          .add("ms_per_step", DataTypes.DoubleType)
          .add("code_version", DataTypes.StringType)
          .add("git_commit", DataTypes.StringType)
          .add("nd4j_backend", DataTypes.StringType);

  static final StructType STEPS =
      new StructType()
          .add("run_id", DataTypes.StringType)
          .add("step", DataTypes.IntegerType)
          .add("train_loss", DataTypes.DoubleType)
          .add("train_acc", DataTypes.DoubleType)
          .add("test_loss", DataTypes.DoubleType)
          .add("test_acc", DataTypes.DoubleType)
          .add("sum_sq_weights", DataTypes.DoubleType)
          .add("label", DataTypes.StringType);

  static final String CLOCK_RUN = "00000000000000c1";

  @BeforeAll
  static void writeRoot() {
    for (int i = 0; i < PROPS.length; i += 2) {
      System.setProperty(PROPS[i], PROPS[i + 1]);
    }
    root = dir.resolve("results");
    SparkSession spark = SparkSession.builder().appName("MapCommandTests").getOrCreate();
    try {
      List<Row> runs = new ArrayList<>();
      String[] labels = {"pizza", "pizza", "mixed", "clock", "clock", "clock"};
      for (int i = 0; i < labels.length; i++) {
        double alpha = i < 3 ? 0.0 : 1.0;
        String id = i == 3 ? CLOCK_RUN : String.format("%016x", i);
        runs.add(
            RowFactory.create(
                id,
                32,
                alpha,
                (long) i,
                (long) i,
                "ok",
                labels[i],
                alpha == 0 ? 0.99 : 0.4,
                alpha == 0 ? 0.2 : 0.9,
                0.999,
                1.0,
                6.5,
                "0.1.0",
                "abc",
                "cpu"));
      }
      spark
          .createDataFrame(runs, RUNS)
          .coalesce(1)
          .write()
          .parquet(root.resolve("runs/sweep=demo").toString());
      List<Row> steps = new ArrayList<>();
      for (int s = 0; s <= 1000; s += 50) {
        steps.add(
            RowFactory.create(
                CLOCK_RUN,
                s,
                Math.exp(-s / 50.0),
                Math.min(1, s / 200.0),
                4.0 - s / 300.0,
                Math.min(1, s / 800.0),
                500.0 - s / 10.0,
                s % 250 == 0 ? (s >= 750 ? "clock" : "mixed") : null));
      }
      spark
          .createDataFrame(steps, STEPS)
          .coalesce(1)
          .write()
          .parquet(root.resolve("steps/sweep=demo").toString());
    } finally {
      spark.stop();
    }
  }

  @AfterAll
  static void clearProps() {
    for (int i = 0; i < PROPS.length; i += 2) {
      System.clearProperty(PROPS[i]);
    }
  }

  @Test
  void helpListsTheNewCommands() {
    Outcome o = MainTests.run("--help");
    assertThat(o.out()).contains("map", "curves", "report", "stats");
    assertThat(MainTests.run("map", "--help").out())
        .contains("Usage: phasemap map")
        .contains("--style");
  }

  @Test
  void unknownColumnExitsWithTwoAndListsTheNumericColumns() {
    Outcome o = MainTests.run("map", root.toString(), "--x", "alpha", "--y", "d_model");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains(
            "phasemap: Cannot draw a map with --x alpha: the runs table has no column alpha; numeric columns: ")
        .contains("attention_rate")
        .contains("final_gs")
        .contains("(got alpha)");
  }

  @Test
  void emptySelectionAndBadStyleExitWithTwo(@TempDir Path out) {
    Outcome o =
        MainTests.run("map", root.toString(), "--where", "final_gs > 5", "--out", out.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains(
            "phasemap: Cannot draw a map: no runs of " + root + " match --where final_gs > 5");
    Outcome s = MainTests.run("map", root.toString(), "--style", "pie");
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err()).contains("--style is heatmap or scatter (got pie)");
  }

  @Test
  void statsPrintsTheTablesWritesThemAndRefusesBadOptions(@TempDir Path out) throws Exception {
    Path md = out.resolve("stats.md");
    Outcome o =
        MainTests.run(
            "stats",
            root.toString(),
            "--sweep",
            "demo",
            "--resamples",
            "200",
            "--out",
            md.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("# Sweep demo")
        .contains("| 0–0.1 | 3 | 3/3 1.00 [0.44, 1.00] | 3/3 1.00 [0.44, 1.00] | 2/3 0.67")
        .contains("| 0.9–1 | 3 |")
        .contains("| GS < 0.95 | 6 | 3 | 0.50 [0.00, 1.00] (separated: the gap) |")
        .contains("Wrote ");
    assertThat(Files.readString(md)).contains("## Where the clock takes over");
    Outcome bad = MainTests.run("stats", root.toString(), "--bin-width", "0");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--bin-width must be a positive number (got 0.0)");
    Outcome none = MainTests.run("stats", root.toString(), "--where", "final_gs > 5");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("Cannot tabulate: no runs of " + root + " match --where");
    Outcome column = MainTests.run("stats", root.toString(), "--by", "depth");
    assertThat(column.code()).isEqualTo(2);
    assertThat(column.err())
        .contains("Cannot tabulate by depth: the runs table has no such column");
  }

  @Test
  void mapAndScatterWriteTheirFiles(@TempDir Path out) throws Exception {
    Outcome o =
        MainTests.run(
            "map",
            root.toString(),
            "--x",
            "attention_rate",
            "--y",
            "d_model",
            "--out",
            out.toString(),
            "--width",
            "500",
            "--height",
            "400");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("Drew 6 runs: attention_rate x d_model, colour class");
    assertThat(Files.readString(out.resolve("map_attention_rate_d_model.csv")))
        .isEqualTo(
            "attention_rate,d_model,n,share_clock,share_pizza,share_mixed,share_non_circular,share_no_generalisation,dominant\n"
                + "0,32,3,0,0.6666666666666666,0.3333333333333333,0,0,pizza\n"
                + "1,32,3,1,0,0,0,0,clock\n");
    assertThat(out.resolve("map_attention_rate_d_model.png")).isNotEmptyFile();
    assertThat(out.resolve("map_attention_rate_d_model.svg")).isNotEmptyFile();

    Outcome s =
        MainTests.run(
            "map", root.toString(), "--style", "scatter", "--out", out.toString(), "--name", "fig");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(out.resolve("fig.png")).isNotEmptyFile();
    assertThat(Files.readAllLines(out.resolve("fig.csv"))).hasSize(7);
  }

  @Test
  void curvesAndReportWriteIntoTheRootByDefault() throws Exception {
    Outcome c = MainTests.run("curves", root.toString(), "--run", CLOCK_RUN);
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("memorisation ends at step 200");
    assertThat(root.resolve("_maps/curves_" + CLOCK_RUN + ".png")).isNotEmptyFile();
    assertThat(root.resolve("_maps/curves_" + CLOCK_RUN + ".svg")).isNotEmptyFile();

    Outcome bad = MainTests.run("curves", root.toString(), "--run", "xyz");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("a run id is 16 lowercase hex digits").contains("(got xyz)");

    Outcome r = MainTests.run("report", root.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String html = Files.readString(root.resolve("_maps/report.html"));
    assertThat(html)
        .contains("Sweep demo")
        .contains("data:image/png;base64,")
        .contains("id=\"run-" + CLOCK_RUN + "\"");
  }
}
