package org.phasemap.jobs.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.jobs.Synthetic;
import org.phasemap.jobs.Synthetic.Run;
import org.phasemap.jobs.maps.MapJob;
import org.phasemap.jobs.stats.PhaseStatistics.Options;
import org.phasemap.jobs.stats.PhaseStatistics.Point;
import org.phasemap.tables.ResultTables;

/** The tables of {@code phasemap stats}: counts, bins, groups and fits on runs built by hand. */
class PhaseStatisticsTests {
  static Point run(double alpha, String group, double order, String label, double gs, double di) {
    return new Point(alpha, group, order, "ok", label, gs, di, 0.999, 1.0);
  }

  /** 0–0.1: 3 pizzas, 1 non-circular; 0.9–1: 2 clocks at 0.95 and 1.0, 1 mixed, 1 failed crash. */
  static List<Point> twoBins() {
    List<Point> p = new ArrayList<>();
    p.add(run(0.0, null, 0, "pizza", 0.99, 0.2));
    p.add(run(0.05, null, 0, "pizza", 0.99, 0.3));
    p.add(run(0.02, null, 0, "pizza", 0.98, 0.1));
    p.add(new Point(0.07, null, 0, "ok", "non_circular", 0.99, 0.5, 0.90, 1.0));
    p.add(run(0.95, null, 0, "clock", 0.4, 0.8));
    p.add(run(1.0, null, 0, "clock", 0.3, 0.9));
    p.add(run(1.0, null, 0, "mixed", 0.8, 0.5));
    p.add(new Point(0.9, null, 0, "failed", null, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    return p;
  }

  @Test
  void binsCountCircularRunsAndShareTheirLabels() {
    String md = PhaseStatistics.markdown(twoBins(), Options.defaults(), "t");
    assertThat(md).contains("7 runs (1 failed runs left out");
    // α = 1.0 joins 0.9–1 rather than opening a bin of its own
    assertThat(md).doesNotContain("| 1–1.1 |");
    assertThat(md)
        .contains(
            "| 0–0.1 | 4 | 4/4 1.00 [0.51, 1.00] | 3/4 0.75 [0.30, 0.95] | 3/3 1.00 [0.44, 1.00]"
                + " | 0/3 0.00 [0.00, 0.56] | 0/3 0.00 [0.00, 0.56] | 0.990 | 0.200 | 0.999 |");
    assertThat(md)
        .contains(
            "| 0.9–1 | 3 | 3/3 1.00 [0.44, 1.00] | 3/3 1.00 [0.44, 1.00] | 0/3 0.00 [0.00, 0.56]"
                + " | 1/3 0.33 [0.06, 0.79] | 2/3 0.67 [0.21, 0.94] | 0.400 | 0.800 | 0.999 |");
  }

  @Test
  void aSeparatedSwitchIsTheGapAndSaysSo() {
    String md = PhaseStatistics.markdown(twoBins(), Options.defaults(), "t");
    // GS < 0.95 among the six circular runs: the three at α ≥ 0.95 have it
    assertThat(md).contains("| GS < 0.95 | 6 | 3 | 0.50 [0.05, 0.95] (separated: the gap) |");
    // DI ≥ 0.6: two of them; the mixed run at α = 1 has DI 0.5, so no clean gap
    assertThat(md)
        .containsPattern("\\| DI ≥ 0\\.6 \\| 6 \\| 2 \\| [0-9.]+ \\[[0-9.]+, [0-9.]+\\] \\|");
  }

  @Test
  void tighterCircularityCutLeavesRunsOut() {
    Options o = new Options("attention_rate", 0.1, null, 0.9995, 0.99, 200, 1);
    String md = PhaseStatistics.markdown(twoBins(), o, "t");
    assertThat(md).contains("| 0–0.1 | 4 | 4/4 1.00 [0.51, 1.00] | 0/4 0.00 [0.00, 0.49] | 0/0 |");
    assertThat(md).contains("– (fewer than 2 circular runs)");
  }

  @Test
  void groupsInNumericOrderAndTheWidthLine() {
    List<Point> p = new ArrayList<>();
    // widths 32 and 256; at 32 the switch sits near 0.3, at 256 near 0.75
    for (int i = 0; i <= 20; i++) {
      double a = i / 20.0;
      boolean clock32 = a > 0.3 || i == 5;
      boolean clock256 = a > 0.75 || i == 13;
      p.add(
          run(a, "32", 32, clock32 ? "clock" : "pizza", clock32 ? 0.4 : 0.99, clock32 ? 0.8 : 0.2));
      p.add(
          run(
              a,
              "256",
              256,
              clock256 ? "clock" : "pizza",
              clock256 ? 0.4 : 0.99,
              clock256 ? 0.8 : 0.2));
    }
    Options o = new Options("attention_rate", 0.1, "d_model", 0.995, 0.99, 300, 1);
    String md = PhaseStatistics.markdown(p, o, "widths");
    assertThat(md.indexOf("| 32 | 21 |")).isPositive().isLessThan(md.indexOf("| 256 | 21 |"));
    assertThat(md).contains("| 32 | 0–0.1 | 2 |").contains("| 256 | 0.9–1 | 3 |");
    assertThat(md)
        .contains("| paper, GS < 0.95 | 0.28 | 0.15 | 0.28 | 0.43 | 0.58 | 0.73 | 0.88 |");
    String line =
        md.lines().filter(l -> l.startsWith("| GS < 0.95 | 0.")).findFirst().orElseThrow();
    String[] cells = line.split("\\|");
    double c0 = Double.parseDouble(cells[2].trim().split(" ")[0]);
    double c1 = Double.parseDouble(cells[3].trim().split(" ")[0]);
    assertThat(c0).isBetween(0.2, 0.4);
    assertThat(c1).isBetween(0.1, 0.2); // (0.75 - 0.3) / 3 doublings = 0.15
  }

  @Test
  void manyDistinctValuesAreGroupedByOctave() {
    List<Point> p = new ArrayList<>();
    for (int d = 32; d <= 100; d += 4) {
      p.add(run(0.5, Integer.toString(d), d, "clock", 0.4, 0.8));
    }
    Options o = new Options("attention_rate", 0.1, "d_model", 0.995, 0.99, 200, 1);
    assertThat(PhaseStatistics.groups(p, o).keySet()).containsExactly("32–64", "64–128");
    assertThat(PhaseStatistics.groups(p, o).get("32–64")).hasSize(8);
  }

  @Test
  void readsARealRunsTableAndRefusesUnknownColumns(@TempDir Path dir) {
    SparkSession spark = Synthetic.spark("PhaseStatisticsTests");
    try {
      Path root = dir.resolve("results");
      List<Run> runs = new ArrayList<>(Synthetic.knownShares());
      Synthetic.writeRuns(spark, root, runs);
      var selected = MapJob.select(ResultTables.runs(spark, root.toString()), "s", null);
      Options o = new Options("attention_rate", 0.5, "d_model", 0.995, 0.99, 200, 1);
      List<Point> points = PhaseStatistics.collect(selected, o);
      assertThat(points).hasSize(14);
      String md = PhaseStatistics.markdown(points, o, "s");
      assertThat(md).contains("12 runs (2 failed runs left out");
      // d_model 32: 7 runs (c3 failed): 4 pizza/mixed at α 0, 2 clocks + 1 non-circular at α 1
      assertThat(md).contains("| 32 | 7 | 7/7 1.00 [0.65, 1.00] | 6/7 ");
      assertThat(md).contains("| 64 | 5 | 5/5 1.00 [0.57, 1.00] | 2/5 ");
      // the two circular runs at width 64 are both at α = 0
      assertThat(md)
          .contains("| 64 | GS < 0.95 | 2 | 1 | – (all 2 runs are at one attention rate) |");
      assertThatThrownBy(
              () ->
                  PhaseStatistics.collect(
                      selected, new Options("nope", 0.1, null, 0.995, 0.99, 200, 1)))
          .hasMessageContaining("no such column");
    } finally {
      spark.stop();
    }
  }

  @Test
  void badOptionsNameTheOptionAndTheValue() {
    assertThatThrownBy(() -> new Options("attention_rate", 0, null, 0.995, 0.99, 200, 1))
        .hasMessage("--bin-width must be a positive number (got 0.0)");
    assertThatThrownBy(() -> new Options("attention_rate", 0.1, null, 1.5, 0.99, 200, 1))
        .hasMessageContaining("--min-circularity must be in [0, 1] (got 1.5)");
    assertThatThrownBy(() -> new Options("attention_rate", 0.1, null, 0.9, 0.99, 5, 1))
        .hasMessageContaining("--resamples");
  }
}
