package org.phasemap.driver.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.phasemap.driver.output.PlainMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap migrate ROOT}: turns a root in the plain Parquet layout of earlier versions into
 * Iceberg tables in place ({@link PlainMigration}, docs/TABLES.md).
 */
@Command(
    name = "migrate",
    header = "Turn a results root of earlier phasemap versions into Iceberg tables in place.",
    mixinStandardHelpOptions = true,
    description = {
      "Register every plain Parquet file of ROOT/TABLE/sweep=NAME/ as a data file of its Iceberg",
      "table where it lies (nothing is copied); rows of runs without a runs row are left out, as",
      "the old views hid them. Queries answer the same afterwards, and 'phasemap run' can add",
      "sweeps to the root. A migration that stopped half way is finished by running it again.",
      "See docs/TABLES.md."
    })
final class MigrateCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root in the plain layout (ROOT/runs/sweep=NAME/run-RUNID.parquet)")
  String root;

  @Override
  public Integer call() throws Exception {
    return migrate(new Configuration(), System.out);
  }

  /** The migration with {@code conf}, printing to {@code out}; returns the exit code. */
  int migrate(Configuration conf, PrintStream out) throws Exception {
    long t0 = System.nanoTime();
    List<PlainMigration.Counts> counts = PlainMigration.migrate(conf, root, out);
    int files = counts.stream().mapToInt(PlainMigration.Counts::files).sum();
    out.printf(
        Locale.ROOT,
        "Migrated %s to Iceberg tables: %d files registered in place, %.1f s%n",
        root,
        files,
        (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
