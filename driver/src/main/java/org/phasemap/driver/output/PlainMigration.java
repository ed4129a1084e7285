package org.phasemap.driver.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.hadoop.HadoopInputFile;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.Table;

/**
 * Turns a results root in the plain layout of earlier phasemap versions ({@code
 * ROOT/TABLE/sweep=NAME/run-RUNID.parquet}) into Iceberg tables in place ({@code phasemap migrate},
 * docs/TABLES.md).
 *
 * <p>Every plain file becomes a data file of its Iceberg table where it lies (nothing is copied):
 * partition {@code sweep=NAME} from its folder, row count and column metrics from its footer,
 * columns resolved by name through the table's name mapping. A per-step table's file is registered
 * only when its run has a runs file in the same sweep: the plain views hid the steps of runs that
 * never committed, and the Iceberg tables have no such filter. Files are committed in batches of
 * {@link #batchFiles()} per table, the runs table last.
 *
 * <p>While it works, a marker {@code ROOT/iceberg/_migrating} says so. A migration that stopped
 * half way is finished by running it again: files a table already holds are not registered twice.
 * {@code phasemap run} and {@code phasemap compact} refuse a root with that marker.
 */
public final class PlainMigration {

  /** The marker of a migration in progress, inside {@code ROOT/iceberg/}. */
  public static final String MARKER = ResultTables.MIGRATING;

  /** The file name every earlier version gave a run's file in each table. */
  private static final Pattern RUN_FILE = Pattern.compile("run-([0-9a-zA-Z_-]+)\\.parquet");

  /** What the migration did to one table. */
  public record Counts(
      String table, int files, long rows, int skippedFiles, long skippedRows, int commits) {}

  private PlainMigration() {}

  /**
   * Files registered per commit (system property {@code phasemap.migrateBatch}, default 2000): a
   * commit's manifest stays small, and a stopped migration loses at most one batch of work.
   */
  static int batchFiles() {
    return Math.max(1, Integer.getInteger("phasemap.migrateBatch", 2000));
  }

  /** True while a migration of {@code root} has begun and not finished. */
  public static boolean inProgress(Configuration conf, String root) throws IOException {
    Path marker = marker(root);
    return marker.getFileSystem(conf).exists(marker);
  }

  private static Path marker(String root) {
    return new Path(ResultTables.icebergDir(root), MARKER);
  }

  /**
   * Checks that {@code root} can be migrated: it holds plain tables, or a migration that stopped
   * half way.
   *
   * @throws IllegalArgumentException naming the root and what is allowed, when it cannot
   */
  public static void check(Configuration conf, String root) throws IOException {
    if (inProgress(conf, root)) {
      return;
    }
    if (ResultTables.isIceberg(conf, root)) {
      throw new IllegalArgumentException(
          "Cannot migrate "
              + root
              + ": it already holds Iceberg tables ("
              + ResultTables.tableLocation(root, ResultTables.RUNS)
              + "), so there is nothing to migrate (allowed: a root in the plain Parquet layout"
              + " of earlier phasemap versions, ROOT/runs/sweep=NAME/run-RUNID.parquet)");
    }
    if (!ResultTables.isPlain(conf, root)) {
      throw new IllegalArgumentException(
          "Cannot migrate "
              + root
              + ": it holds no result tables in the plain Parquet layout of earlier phasemap"
              + " versions (expected "
              + ResultTables.runsDir(root)
              + "/sweep=NAME/run-RUNID.parquet)");
    }
  }

  /**
   * Migrates {@code root} (see the class comment), printing a line per table to {@code out}.
   *
   * @throws IllegalArgumentException when {@link #check} refuses the root
   */
  public static List<Counts> migrate(Configuration conf, String root, PrintStream out)
      throws IOException {
    check(conf, root);
    Path marker = marker(root);
    FileSystem fs = marker.getFileSystem(conf);
    if (!fs.exists(marker)) {
      try (OutputStream o = fs.create(marker, false)) {
        o.write(
            "phasemap migrate: plain tables being registered\n".getBytes(StandardCharsets.UTF_8));
      }
    } else {
      out.printf("Finishing the migration of %s that stopped half way%n", root);
    }
    Map<String, org.apache.iceberg.Table> tables = IcebergTables.open(conf, root);
    Map<String, Map<String, List<Path>>> plain = new HashMap<>();
    for (Table<?> t : IcebergTables.TABLES) {
      plain.put(t.name(), plainFiles(conf, new Path(root, t.name())));
    }
    org.apache.iceberg.Table runsTable = tables.get(RunsTable.TABLE.name());
    Map<String, Set<String>> committed = new HashMap<>();
    plain
        .get(RunsTable.TABLE.name())
        .forEach(
            (sweep, files) -> {
              Set<String> ids = committed.computeIfAbsent(sweep, k -> new HashSet<>());
              for (Path f : files) {
                ids.addAll(runIds(conf, runsTable, f));
              }
            });
    List<Counts> counts = new ArrayList<>();
    for (Table<?> t : IcebergTables.TABLES) { // the runs table last
      Counts c =
          register(conf, tables.get(t.name()), t.name(), plain.get(t.name()), committed, out);
      counts.add(c);
    }
    fs.delete(marker, false);
    return counts;
  }

  private static Counts register(
      Configuration conf,
      org.apache.iceberg.Table table,
      String name,
      Map<String, List<Path>> bySweep,
      Map<String, Set<String>> committed,
      PrintStream out)
      throws IOException {
    boolean perStep = !name.equals(RunsTable.TABLE.name());
    IcebergTables.Target target = IcebergTables.Target.of(name, table);
    Set<String> already = livePaths(table); // a migration run again skips what it registered
    int files = 0;
    long rows = 0;
    int skippedFiles = 0;
    long skippedRows = 0;
    int commits = 0;
    AppendFiles append = null;
    int inBatch = 0;
    List<String> sweeps = new ArrayList<>(bySweep.keySet());
    java.util.Collections.sort(sweeps);
    for (String sweep : sweeps) {
      Set<String> ok = committed.getOrDefault(sweep, Set.of());
      for (Path file : bySweep.get(sweep)) {
        DataFile df = target.describe(conf, sweep, file);
        if (perStep) {
          Set<String> ids = runIds(conf, table, file);
          long in = ids.stream().filter(ok::contains).count();
          if (in == 0) {
            skippedFiles++;
            skippedRows += df.recordCount();
            continue;
          }
          if (in < ids.size()) {
            throw new IllegalStateException(
                "Cannot migrate "
                    + file
                    + ": it holds rows of runs with and without a runs row in sweep "
                    + sweep
                    + ", and a file is registered whole (got run ids "
                    + ids
                    + "; earlier phasemap versions wrote one file per run, run-RUNID.parquet)");
          }
        }
        files++;
        rows += df.recordCount();
        if (already.contains(pathOf(file))) {
          continue;
        }
        if (append == null) {
          append = table.newAppend();
        }
        append.appendFile(df);
        if (++inBatch == batchFiles()) {
          append.set("phasemap.migrate", "true").commit();
          commits++;
          append = null;
          inBatch = 0;
        }
      }
    }
    if (append != null) {
      append.set("phasemap.migrate", "true").commit();
      commits++;
    }
    out.printf(
        Locale.ROOT,
        "%-14s %6d files, %9d rows registered in %d commit%s%s%n",
        name,
        files,
        rows,
        commits,
        commits == 1 ? "" : "s",
        skippedFiles == 0
            ? ""
            : String.format(
                Locale.ROOT,
                "; %d file%s (%d rows) of runs without a runs row left out",
                skippedFiles,
                skippedFiles == 1 ? "" : "s",
                skippedRows));
    return new Counts(name, files, rows, skippedFiles, skippedRows, commits);
  }

  /**
   * The plain files of one table folder by sweep: {@code TABLE/sweep=NAME/*.parquet}, leaving out
   * hidden and {@code _}-prefixed entries ({@code _staging/} of attempts in progress, {@code
   * _SUCCESS}), as Spark's reader did.
   */
  private static Map<String, List<Path>> plainFiles(Configuration conf, Path tableDir)
      throws IOException {
    Map<String, List<Path>> out = new HashMap<>();
    FileSystem fs = tableDir.getFileSystem(conf);
    if (!fs.exists(tableDir)) {
      return out;
    }
    String prefix = ResultTables.SWEEP + "=";
    for (FileStatus sweepDir : fs.listStatus(tableDir)) {
      String dirName = sweepDir.getPath().getName();
      if (!sweepDir.isDirectory() || !dirName.startsWith(prefix)) {
        continue;
      }
      List<Path> files = new ArrayList<>();
      for (FileStatus st : fs.listStatus(sweepDir.getPath())) {
        String n = st.getPath().getName();
        if (st.isFile() && n.endsWith(".parquet") && !n.startsWith("_") && !n.startsWith(".")) {
          files.add(st.getPath());
        }
      }
      files.sort(null);
      out.put(dirName.substring(prefix.length()), files);
    }
    return out;
  }

  /**
   * The run ids of a plain file: from its name ({@code run-RUNID.parquet}, one run per file, as
   * every earlier version wrote), else from its {@code run_id} column.
   */
  private static Set<String> runIds(Configuration conf, org.apache.iceberg.Table table, Path file) {
    Matcher m = RUN_FILE.matcher(file.getName());
    if (m.matches()) {
      return Set.of(m.group(1));
    }
    Schema projection = table.schema().select(RunsTable.RUN_ID.name());
    Set<String> ids = new LinkedHashSet<>();
    try (CloseableIterable<Record> rows =
        Parquet.read(HadoopInputFile.fromPath(file, conf))
            .project(projection)
            .withNameMapping(
                NameMappingParser.fromJson(
                    table.properties().get(TableProperties.DEFAULT_NAME_MAPPING)))
            .createReaderFunc(s -> GenericParquetReaders.buildReader(projection, s))
            .build()) {
      for (Record r : rows) {
        ids.add(String.valueOf(r.getField(RunsTable.RUN_ID.name())));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot read the run ids of " + file, e);
    }
    return ids;
  }

  private static Set<String> livePaths(org.apache.iceberg.Table table) throws IOException {
    Set<String> live = new HashSet<>();
    table.refresh();
    for (DataFile f : IcebergTables.liveDataFiles(table, null)) {
      live.add(new Path(f.location()).toUri().getPath());
    }
    return live;
  }

  private static String pathOf(Path p) {
    return p.toUri().getPath();
  }
}
