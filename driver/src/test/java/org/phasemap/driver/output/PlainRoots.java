package org.phasemap.driver.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.phasemap.tables.Column;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.Table;

/**
 * Results roots in the plain layout of phasemap before Iceberg, for tests: each run's rows of a
 * table in {@code ROOT/TABLE/sweep=NAME/run-RUNID.parquet}, written by {@link ParquetRowWriter} (as
 * every earlier version's tasks did), with values of every column derived from the run, the row and
 * the column.
 */
public final class PlainRoots {
  private PlainRoots() {}

  /** The rows of {@code table} for {@code runId}: {@code rows} rows, steps 0, 10, 20, ... */
  public static List<Object[]> rows(Table<?> table, String runId, int rows) {
    List<Object[]> out = new ArrayList<>();
    for (int row = 0; row < rows; row++) {
      Object[] values = new Object[table.size()];
      for (int k = 0; k < values.length; k++) {
        values[k] = value(table.columns().get(k), runId, k, row);
      }
      out.add(values);
    }
    return out;
  }

  private static Object value(Column<?> c, String runId, int k, int row) {
    int seed = Math.floorMod(runId.hashCode() * 31 + row * 7 + k * 13, 100_000);
    if (c.name().equals("run_id")) {
      return runId;
    }
    if (c.name().equals("status")) {
      return "ok";
    }
    if (c.name().equals("step")) {
      seed = row * 10;
    } else if (c.nullable() && (seed % 5) == 0) {
      return null;
    }
    return switch (c.type()) {
      case INT -> seed;
      case LONG -> (long) seed;
      case DOUBLE -> seed / 1000.0 + 0.125;
      case BOOLEAN -> seed % 2 == 0;
      case STRING -> "v" + seed;
      case DOUBLE_ARRAY -> new double[] {seed / 7.0, row, -1.5};
      case LONG_ARRAY -> new long[] {seed, row};
      case INT_ARRAY -> new int[] {row, k, seed};
    };
  }

  /**
   * Writes {@code rows} to {@code file} (its folder created as needed), one Parquet file as the
   * plain layout and Iceberg data files both hold.
   */
  public static void write(Configuration conf, Path file, Table<?> table, List<Object[]> rows)
      throws IOException {
    try (ParquetRowWriter<Object[]> w = ParquetRowWriter.create(conf, file, table.positional())) {
      for (Object[] r : rows) {
        w.write(r);
      }
    }
  }

  /** Writes one run's rows of {@code table} at {@code ROOT/TABLE/sweep=SWEEP/run-RUNID.parquet}. */
  public static void writeRun(
      Configuration conf, String root, Table<?> table, String sweep, String runId, int rows)
      throws IOException {
    Path file =
        new Path(
            ResultTables.sweepDir(root + "/" + table.name(), sweep),
            ResultTables.runFileName(runId));
    write(conf, file, table, rows(table, runId, rows));
  }

  /**
   * Leaves what an attempt stopped in the middle left in the plain layout: a half-written file in
   * {@code TABLE/sweep=SWEEP/_staging/}, which is not Parquet at all.
   */
  public static void writeStagingLeftover(String root, Table<?> table, String sweep)
      throws IOException {
    java.nio.file.Path staging =
        java.nio.file.Path.of(ResultTables.sweepDir(root + "/" + table.name(), sweep), "_staging");
    Files.createDirectories(staging);
    Files.writeString(
        staging.resolve("run-00000000000000ff.parquet"), "half written", StandardCharsets.UTF_8);
  }
}
