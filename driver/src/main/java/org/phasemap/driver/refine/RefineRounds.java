package org.phasemap.driver.refine;

import static org.apache.spark.sql.functions.col;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.PlannedRun;
import org.phasemap.driver.spec.RefinePlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.train.RunStatus;

/**
 * The refinement rounds of a sweep with a {@code refine} block, run after the spec's own runs
 * (docs/SAMPLING.md).
 *
 * <p>Round r reads the finished runs of the sweep from the runs table (status ok, with a label),
 * places them on the refined axes ({@link RefinePlanner}), asks {@link Refiner} for the round's
 * points, and trains them as an ordinary set of runs tagged {@code round = r}. It stops when the
 * budget is spent, after {@code rounds} rounds, or when no pair of neighbouring runs with different
 * labels is farther apart than the min spacing (the boundary is resolved).
 *
 * <p><b>Resume.</b> A round's points are written to {@code _sweeps/NAME.refine-R.tsv} before any of
 * its runs trains. A later invocation takes the points from that file instead of proposing again,
 * so a driver killed in the middle of a round finishes the same round (the committed runs are
 * skipped as usual) even though the runs table has changed since.
 */
public final class RefineRounds {
  /** Mixed into the refine seed per round, so rounds draw different ties and explorations. */
  private static final long ROUND_SEED_STEP = 0x9E3779B97F4A7C15L;

  private RefineRounds() {}

  /**
   * What refinement did: rounds run (or found done), runs planned by them, how many runs of the
   * sweep are recorded as failed afterwards (design and every round; also when no round ran), and
   * why it stopped.
   */
  public record Result(int rounds, int runs, int failed, String stopped) {}

  /**
   * Runs the refinement rounds of {@code spec} into {@code o.root()}; the spec's own runs should be
   * trained first.
   *
   * @throws IllegalArgumentException if the spec has no refine block, or the root holds round files
   *     made for other refine axes
   */
  public static Result run(SparkSession spark, SweepSpec spec, SweepRunner.Options o)
      throws IOException {
    RefinePlanner planner = new RefinePlanner(spec);
    RefineSettings s = planner.settings();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    PrintStream out = o.console();
    int reps = planner.replicates();
    int index = (int) spec.runCount();
    int points = 0;
    int runs = 0;
    int round = 0;
    String stopped = "all " + s.rounds() + (s.rounds() == 1 ? " round" : " rounds") + " done";
    while (round < s.rounds()) {
      int r = round + 1;
      Path file = roundFile(o.root(), spec.name(), r);
      List<double[]> proposal = read(file, hadoop, s.axes());
      if (proposal == null) {
        int left = s.budget() - runs;
        int count = Math.min(s.perRound(), left) / reps;
        if (count == 0) {
          stopped =
              left <= 0
                  ? "budget of " + s.budget() + " runs spent"
                  : left
                      + " runs of the budget left, fewer than the "
                      + reps
                      + " replicates of a point";
          break;
        }
        List<RefinePoint> labelled = labelled(spark, o.root(), spec, planner);
        Refiner.Proposal p =
            Refiner.proposeRound(labelled, s, count, s.seed() + r * ROUND_SEED_STEP);
        if (p.bisections() == 0) {
          stopped =
              "boundary resolved to the min spacing after round "
                  + round
                  + " ("
                  + labelled.size()
                  + " labelled runs)";
          break;
        }
        proposal = new ArrayList<>();
        int bisections = 0;
        // Not where a run already is, labelled or not: a point on a failed run would be skipped
        // (or fail again) and spend the budget on nothing.
        List<double[]> taken = occupied(spark, o.root(), spec, planner);
        for (int i = 0; i < p.points().size(); i++) {
          double[] snapped = planner.snap(p.points().get(i));
          if (taken.stream().noneMatch(t -> Arrays.equals(t, snapped))) {
            taken.add(snapped);
            proposal.add(snapped);
            bisections += i < p.bisections() ? 1 : 0;
          }
        }
        if (bisections == 0) {
          stopped =
              "boundary resolved to the axes' resolution after round "
                  + round
                  + " ("
                  + labelled.size()
                  + " labelled runs; the midpoints round to runs already there)";
          break;
        }
        write(file, hadoop, s.axes(), proposal);
        out.printf(
            "Refine %s round %d: %d points (%d bisect the boundary, %d explore) x %d"
                + " replicate%s, from %d labelled runs%n",
            spec.name(),
            r,
            proposal.size(),
            bisections,
            proposal.size() - bisections,
            reps,
            reps == 1 ? "" : "s",
            labelled.size());
      } else {
        out.printf(
            "Refine %s round %d: %d points from %s (resuming)%n",
            spec.name(), r, proposal.size(), file);
      }
      List<PlannedRun> planned = planner.runs(proposal, index, points);
      SweepRunner.Result res = SweepRunner.run(spark, spec, planned::iterator, r, o);
      index += planned.size();
      points += proposal.size();
      runs += planned.size();
      round = r;
    }
    out.printf(
        "Refine %s: %d round%s, %d runs; stopped: %s%n",
        spec.name(), round, round == 1 ? "" : "s", runs, stopped);
    int failed =
        SweepRunner.countStatuses(spark, o.root(), spec.name())
            .getOrDefault(RunStatus.FAILED.value(), 0);
    return new Result(round, runs, failed, stopped);
  }

  /** {@code ROOT/_sweeps/NAME.refine-R.tsv}. */
  static Path roundFile(String root, String sweep, int round) {
    return new Path(ResultTables.specsDir(root), sweep + ".refine-" + round + ".tsv");
  }

  /**
   * The finished runs of the sweep as refinement sees them: status ok with a label, on the refined
   * axes, in run id order (the proposals depend on the order, so it must not depend on file
   * listing).
   */
  static List<RefinePoint> labelled(
      SparkSession spark, String root, SweepSpec spec, RefinePlanner planner) {
    RefineSettings s = planner.settings();
    List<RefinePoint> points = new ArrayList<>();
    if (!ResultTables.hasRuns(spark, root)) {
      return points;
    }
    List<Column> cols = new ArrayList<>();
    cols.add(col(RunsTable.RUN_ID.name()));
    cols.add(col(s.label()));
    for (String a : s.axes()) {
      cols.add(col(a));
    }
    List<Row> rows =
        ResultTables.runs(spark, root)
            .where(
                col(ResultTables.SWEEP)
                    .equalTo(spec.name())
                    .and(col(RunsTable.STATUS.name()).equalTo(RunStatus.OK.value()))
                    .and(col(s.label()).isNotNull()))
            .select(cols.toArray(new Column[0]))
            .orderBy(RunsTable.RUN_ID.name())
            .collectAsList();
    for (Row row : rows) {
      points.add(new RefinePoint(coordinates(row, 2, planner), row.getString(1)));
    }
    return points;
  }

  /**
   * Where the sweep's runs are on the refined axes, whatever their status (ok, failed, diverged,
   * with or without a label), snapped as proposals are; one entry per run.
   */
  static List<double[]> occupied(
      SparkSession spark, String root, SweepSpec spec, RefinePlanner planner) {
    List<double[]> points = new ArrayList<>();
    if (!ResultTables.hasRuns(spark, root)) {
      return points;
    }
    List<String> axes = planner.settings().axes();
    List<Row> rows =
        ResultTables.runs(spark, root)
            .where(col(ResultTables.SWEEP).equalTo(spec.name()))
            .select(axes.stream().map(a -> col(a)).toArray(Column[]::new))
            .collectAsList();
    for (Row row : rows) {
      points.add(coordinates(row, 0, planner));
    }
    return points;
  }

  /** The refine-axis coordinates of a row whose refine axes start at column {@code first}. */
  private static double[] coordinates(Row row, int first, RefinePlanner planner) {
    List<String> axes = planner.settings().axes();
    Map<String, Object> values = new LinkedHashMap<>();
    for (int a = 0; a < axes.size(); a++) {
      values.put(axes.get(a), row.get(first + a));
    }
    return planner.coordinates(values);
  }

  /** The points of a round file, or null when there is none. */
  static List<double[]> read(Path file, Configuration hadoop, List<String> axes)
      throws IOException {
    FileSystem fs = file.getFileSystem(hadoop);
    if (!fs.exists(file)) {
      return null;
    }
    List<double[]> points = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      String expected = String.join("\t", axes);
      if (!expected.equals(header)) {
        throw new IllegalArgumentException(
            "Cannot resume refinement: "
                + file
                + " was written for refine axes ["
                + String.valueOf(header).replace('\t', ',')
                + "], the spec refines "
                + String.join(",", axes)
                + ". Use another --out, or restore the spec's refine axes.");
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split("\t");
        double[] u = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
          u[i] = Double.parseDouble(parts[i]);
        }
        points.add(u);
      }
    }
    return points;
  }

  /** Writes a round file under a temporary name and renames it, so it is whole or absent. */
  static void write(Path file, Configuration hadoop, List<String> axes, List<double[]> points)
      throws IOException {
    FileSystem fs = file.getFileSystem(hadoop);
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp-" + System.nanoTime());
    StringBuilder sb = new StringBuilder(String.join("\t", axes)).append('\n');
    for (double[] u : points) {
      for (int i = 0; i < u.length; i++) {
        sb.append(i == 0 ? "" : "\t").append(u[i]);
      }
      sb.append('\n');
    }
    try (OutputStream os = fs.create(tmp, false)) {
      os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, file)) {
      fs.delete(tmp, false);
      throw new IOException("Cannot write refinement round file " + file);
    }
  }
}
