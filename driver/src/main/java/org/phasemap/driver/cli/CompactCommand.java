package org.phasemap.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.phasemap.driver.output.IcebergTables;
import org.phasemap.driver.output.PlainMigration;
import org.phasemap.driver.output.ResultCommitter;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.tables.ResultTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap compact ROOT}: rewrites the small data files of every table of an Iceberg root
 * into large ones, drops old snapshots and removes orphan data files (docs/TABLES.md, "Compaction
 * and clean-up").
 */
@Command(
    name = "compact",
    header = "Compact the Iceberg tables of a results root and remove the files no query reads.",
    mixinStandardHelpOptions = true,
    description = {
      "Undo the batches a stopped sweep left half committed, rewrite every table partition of two",
      "or more data files into large files, keep only the latest snapshot, and delete data files",
      "that no snapshot references and that are older than --orphan-age. Queries answer the same",
      "before and after. See docs/TABLES.md."
    })
final class CompactCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root with Iceberg tables, written by 'phasemap run' or 'migrate'")
  String root;

  @Option(
      names = "--sweep",
      paramLabel = "NAME",
      description = "Compact only this sweep's partitions (default: every sweep)")
  String sweep;

  @Option(
      names = "--orphan-age",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description =
          "Leave younger unreferenced files and commit markers alone, as a sweep running on the"
              + " root may still commit them: e.g. 0s, 30m, 1h, 2d (default: ${DEFAULT-VALUE})")
  String orphanAge;

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

  /**
   * Milliseconds of a duration such as {@code 0s}, {@code 30m}, {@code 1h} or {@code 2d}.
   *
   * @throws IllegalArgumentException naming the value and what is allowed
   */
  static long parseDuration(String option, String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Invalid "
              + option
              + ": "
              + text
              + " (allowed: a whole number followed by s, m, h or d, e.g. 0s, 30m, 1h, 2d)");
    }
    long n = Long.parseLong(m.group(1));
    long unit =
        switch (m.group(2)) {
          case "s" -> 1000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        };
    return n * unit;
  }

  @Override
  public Integer call() throws Exception {
    long ageMs = parseDuration("--orphan-age", orphanAge);
    check(new Configuration(), root, sweep);
    SparkSession spark = Sessions.create("phasemap compact");
    try {
      return compact(spark, ageMs, System.out);
    } finally {
      spark.stop();
    }
  }

  /**
   * Checks, before any Spark starts, that {@code root} holds Iceberg tables (and {@code sweep},
   * when given) and no unfinished migration.
   *
   * @throws IllegalArgumentException naming the root and what is allowed, when it does not
   */
  static void check(Configuration conf, String root, String sweep) throws IOException {
    if (PlainMigration.inProgress(conf, root)) {
      throw new IllegalArgumentException(
          "Cannot compact "
              + root
              + ": its migration to Iceberg stopped half way (allowed: a root with Iceberg tables"
              + " and no unfinished migration). Run 'phasemap migrate "
              + root
              + "' again to finish it.");
    }
    if (ResultTables.isPlain(conf, root)) {
      throw new IllegalArgumentException(
          "Cannot compact "
              + root
              + ": it holds result tables in the plain Parquet layout of earlier phasemap versions"
              + " (allowed: a root with Iceberg tables under "
              + ResultTables.icebergDir(root)
              + "). Run 'phasemap migrate "
              + root
              + "' once to turn them into Iceberg tables in place.");
    }
    if (!ResultTables.isIceberg(conf, root)) {
      throw new IllegalArgumentException(
          "Cannot compact "
              + root
              + ": it holds no result tables (allowed: a root with Iceberg tables, expected "
              + ResultTables.tableLocation(root, ResultTables.RUNS)
              + ", written by 'phasemap run' or 'phasemap migrate')");
    }
    if (sweep != null) {
      TreeMap<String, Integer> sweeps = new TreeMap<>();
      for (org.apache.iceberg.Table t : IcebergTables.load(conf, root).values()) {
        sweeps.putAll(filesBySweep(t));
      }
      if (!sweeps.containsKey(sweep)
          && !ResultCommitter.pendingSweeps(conf, root).contains(sweep)) {
        throw new IllegalArgumentException(
            "Cannot compact sweep "
                + sweep
                + " of "
                + root
                + ": no table holds it (allowed: "
                + (sweeps.isEmpty()
                    ? "none, the tables are empty"
                    : String.join(", ", sweeps.keySet()))
                + "; got --sweep "
                + sweep
                + ")");
      }
    }
  }

  /** Live data files of {@code table} per sweep, sorted by sweep. */
  static Map<String, Integer> filesBySweep(org.apache.iceberg.Table table) throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    table.refresh();
    for (org.apache.iceberg.DataFile f : IcebergTables.liveDataFiles(table, null)) {
      out.merge(f.partition().get(0, String.class), 1, Integer::sum);
    }
    return out;
  }

  /**
   * The compaction, through {@code spark} (which the caller owns), printing to {@code out}; returns
   * the exit code.
   */
  int compact(SparkSession spark, long ageMs, PrintStream out) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    check(conf, root, sweep);
    long before = System.currentTimeMillis() - ageMs;
    Map<String, org.apache.iceberg.Table> tables = IcebergTables.load(conf, root);
    for (String s : ResultCommitter.pendingSweeps(conf, root)) {
      if (sweep == null || sweep.equals(s)) {
        int undone = new ResultCommitter(conf, root, s, tables).repair(before);
        if (undone > 0) {
          out.printf(
              "Sweep %s: took out the rows of %d batch%s whose runs were never committed%n",
              s, undone, undone == 1 ? "" : "es");
        }
      }
    }
    List<String> busy = ResultCommitter.pendingSweeps(conf, root); // markers younger than the age
    for (String s : busy) {
      if (sweep == null || sweep.equals(s)) {
        out.printf(
            "Sweep %s: a batch is being committed (a marker younger than --orphan-age); its"
                + " partitions are left as they are%n",
            s);
      }
    }
    int changed = 0;
    for (Map.Entry<String, org.apache.iceberg.Table> e : tables.entrySet()) {
      String name = e.getKey();
      org.apache.iceberg.Table table = e.getValue();
      long t0 = System.nanoTime();
      long rowsBefore = rows(spark, name);
      Map<String, Integer> files = filesBySweep(table);
      int filesBefore = 0;
      for (Map.Entry<String, Integer> f : files.entrySet()) {
        if (sweep != null && !sweep.equals(f.getKey())) {
          continue;
        }
        filesBefore += f.getValue();
        if (f.getValue() >= 2 && !busy.contains(f.getKey())) {
          ResultCommitter.compact(spark, table, f.getKey(), 2);
        }
      }
      table.refresh();
      if (table.currentSnapshot() != null) { // a table no sweep has written to has none
        table.expireSnapshots().expireOlderThan(System.currentTimeMillis()).retainLast(1).commit();
      }
      int orphans = ResultCommitter.removeOrphans(conf, table, sweep, before);
      int filesAfter = 0;
      for (Map.Entry<String, Integer> f : filesBySweep(table).entrySet()) {
        if (sweep == null || sweep.equals(f.getKey())) {
          filesAfter += f.getValue();
        }
      }
      long rowsAfter = rows(spark, name);
      if (rowsAfter != rowsBefore) {
        changed++;
      }
      out.printf(
          Locale.ROOT,
          "%-14s %5d -> %d data files, %s, %d orphan file%s removed, %.1f s%n",
          name,
          filesBefore,
          filesAfter,
          rowsAfter == rowsBefore
              ? rowsAfter + " rows (unchanged)"
              : "rows " + rowsBefore + " -> " + rowsAfter + " (CHANGED)",
          orphans,
          orphans == 1 ? "" : "s",
          (System.nanoTime() - t0) / 1e9);
    }
    if (changed > 0) {
      throw new IllegalStateException(
          "Cannot compact "
              + root
              + " without changing it: the row count of "
              + changed
              + " table(s) changed (see above); this is a bug, please report it");
    }
    return 0;
  }

  /** Rows of table {@code name} (of {@link #sweep} when given) as a query sees them now. */
  private long rows(SparkSession spark, String name) {
    ResultTables.register(spark, root); // a fresh read of the tables' current snapshots
    var df = spark.table(name);
    if (sweep != null) {
      df = df.where(functions.col(ResultTables.SWEEP).equalTo(sweep));
    }
    return df.count();
  }
}
