package org.phasemap.driver.refine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.LocalSpark;
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.RefinePlanner;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.jobs.SqlQuery;

/**
 * Refinement rounds on a real local Spark with real (tiny) training: rounds read the runs table,
 * add runs tagged with their round, stay within the budget, and resume from their round files
 * without training anything twice.
 */
class RefineRoundsTests {
  /**
   * steps 40 vs 100 at p = 11: 40 steps do not generalise; at 100 steps seed 0 does (test accuracy
   * 1.0 on this machine) and seed 1 not quite, so the design disagrees and refinement has work.
   */
  static String spec(int budget, int rounds) {
    return String.join(
        "\n",
        "name: refined",
        "seed: 3",
        "preset: zhong2023",
        "fixed:",
        "  modulus: 11",
        "  d_model: 16",
        "  n_heads: 2",
        "  train_fraction: 0.9",
        "  lr: 0.01",
        "  log_interval: 25",
        "grid:",
        "  steps: [40, 100]",
        "  init_seed: [0, 1]",
        "refine:",
        "  budget: " + budget,
        "  rounds: " + rounds,
        "  axes: [steps]",
        "  min_spacing: 0.1",
        "");
  }

  static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.builder("RefineRoundsTests", 2).getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static SweepRunner.Options options(String root, ByteArrayOutputStream console) {
    return new SweepRunner.Options(
        root, false, new PrintStream(console, true, StandardCharsets.UTF_8), 60_000);
  }

  private static RefineRounds.Result sweep(
      SweepSpec spec, String root, ByteArrayOutputStream console) throws Exception {
    SweepRunner.run(spark, spec, () -> SweepPlanner.iterate(spec), 0, options(root, console));
    return RefineRounds.run(spark, spec, options(root, console));
  }

  private static List<Row> rows(String root, String sql) {
    return SqlQuery.run(spark, root, sql).collectAsList();
  }

  @Test
  void roundsAddRunsBetweenDisagreeingNeighboursAndAResumeTrainsNothingTwice() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(spec(8, 2), "refined.yaml");
    String root = tmp.resolve("out").toUri().toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    RefineRounds.Result first = sweep(spec, root, console);

    long labels = rows(root, "SELECT DISTINCT final_label FROM runs WHERE round = 0").size();
    if (labels > 1) {
      // the design disagrees somewhere, so round 1 bisects it
      assertThat(first.rounds()).as(console.toString()).isGreaterThanOrEqualTo(1);
    }
    assertThat(first.runs()).isLessThanOrEqualTo(8);
    assertThat(first.runs() % 2).as("two seeds per refined point").isZero();
    List<Row> refined =
        rows(
            root,
            "SELECT round, steps, count(*), count(DISTINCT init_seed) FROM runs WHERE round > 0 "
                + "GROUP BY round, steps");
    long refinedRuns = 0;
    for (Row r : refined) {
      assertThat(r.getInt(0)).isBetween(1, first.rounds());
      assertThat(r.getInt(1)).isBetween(40, 100);
      assertThat(r.getInt(1) % 20).as("steps refine on multiples of gcd(40, 100)").isZero();
      assertThat(r.getLong(2)).isEqualTo(2);
      assertThat(r.getLong(3)).isEqualTo(2);
      refinedRuns += r.getLong(2);
    }
    assertThat(refinedRuns).isEqualTo(first.runs());
    for (int round = 1; round <= first.rounds(); round++) {
      assertThat(tmp.resolve("out/_sweeps/refined.refine-" + round + ".tsv")).exists();
    }

    long before = rows(root, "SELECT * FROM runs").size();
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    RefineRounds.Result second = sweep(spec, root, again);
    assertThat(second.rounds()).isEqualTo(first.rounds());
    assertThat(second.runs()).isEqualTo(first.runs());
    assertThat(rows(root, "SELECT * FROM runs")).hasSize((int) before);
    assertThat(again.toString()).doesNotContain("to train on local[2] (2 task slots)\n[refined");
    assertThat(rows(root, "SELECT run_id FROM runs GROUP BY run_id HAVING count(*) > 1")).isEmpty();
    assertThat(
            rows(root, "SELECT run_id, step FROM steps GROUP BY run_id, step HAVING count(*) > 1"))
        .isEmpty();
  }

  @Test
  void aRoundFileIsTrainedAsWrittenWhateverTheLabels() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(spec(2, 1), "refined.yaml");
    String root = tmp.resolve("out").toUri().toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.run(spark, spec, () -> SweepPlanner.iterate(spec), 0, options(root, console));
    Files.writeString(tmp.resolve("out/_sweeps/refined.refine-1.tsv"), "steps\n0.5\n");

    RefineRounds.Result r = RefineRounds.run(spark, spec, options(root, console));

    assertThat(r.rounds()).isEqualTo(1);
    assertThat(r.runs()).isEqualTo(2);
    List<Row> refined =
        rows(
            root,
            "SELECT steps, init_seed, run_index FROM runs WHERE round = 1 ORDER BY init_seed");
    assertThat(refined).hasSize(2);
    Set<Long> seeds = new HashSet<>();
    for (Row row : refined) {
      assertThat(row.getInt(0))
          .isEqualTo(80); // 0.5 of [40, 100] is 70, rounded to a multiple of 20
      seeds.add(row.getLong(1));
      assertThat(row.getLong(2)).isBetween(4L, 5L); // after the 4 runs of the grid
    }
    assertThat(seeds).containsExactly(0L, 1L);
    assertThat(r.stopped()).isEqualTo("all 1 round done");
  }

  @Test
  void countsTheFailuresOfEveryRoundAndNeverProposesWhereAFailedRunIs() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(spec(4, 2), "refined.yaml");
    String root = tmp.resolve("out").toUri().toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.run(spark, spec, () -> SweepPlanner.iterate(spec), 0, options(root, console));
    Files.writeString(tmp.resolve("out/_sweeps/refined.refine-1.tsv"), "steps\n0.5\n");
    Files.writeString(tmp.resolve("out/_sweeps/refined.refine-2.tsv"), "steps\n0.25\n");
    RefinePlanner planner = new RefinePlanner(spec);
    String failsInRound1 = planner.runs(List.of(new double[] {0.5}), 4, 0).get(0).runId();
    String failsInRound2 = planner.runs(List.of(new double[] {0.25}), 6, 1).get(1).runId();
    spark.conf().set("spark.phasemap.faults", "fail:" + failsInRound1 + ",fail:" + failsInRound2);
    RefineRounds.Result r;
    try {
      r = RefineRounds.run(spark, spec, options(root, console));
    } finally {
      spark.conf().unset("spark.phasemap.faults");
    }

    assertThat(r.rounds()).isEqualTo(2);
    assertThat(r.failed()).as("one failure in each round, counted once").isEqualTo(2);
    assertThat(rows(root, "SELECT run_id FROM runs WHERE status = 'failed' ORDER BY run_index"))
        .extracting(row -> row.getString(0))
        .containsExactly(failsInRound1, failsInRound2);
    assertThat(RefineRounds.run(spark, spec, options(root, console)).failed())
        .as("a resume that trains nothing still reports the failures on record")
        .isEqualTo(2);
    // Failed runs still occupy their place: a proposal there would be skipped, or fail again.
    List<double[]> occupied = RefineRounds.occupied(spark, root, spec, planner);
    assertThat(occupied).hasSize(8);
    assertThat(occupied.stream().filter(u -> u[0] == planner.snap(new double[] {0.25})[0]))
        .as("both seeds at the round-2 point, the failed one included")
        .hasSize(2);
  }

  @Test
  void refusesRoundFilesWrittenForOtherAxes() throws Exception {
    SweepSpec spec = SweepSpecParser.parse(spec(2, 1), "refined.yaml");
    String root = tmp.resolve("out").toUri().toString();
    Files.createDirectories(tmp.resolve("out/_sweeps"));
    Files.writeString(tmp.resolve("out/_sweeps/refined.refine-1.tsv"), "attention_rate\n0.5\n");
    assertThatThrownBy(
            () -> RefineRounds.run(spark, spec, options(root, new ByteArrayOutputStream())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[attention_rate]")
        .hasMessageContaining("refines steps");
  }
}
