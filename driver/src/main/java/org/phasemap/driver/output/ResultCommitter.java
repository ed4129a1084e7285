package org.phasemap.driver.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.Table;

/**
 * Commits finished runs of one sweep to the Iceberg tables of a root, in batches (driver side).
 *
 * <p>Executors write each run's rows of the per-step tables into data files of their own and send
 * back their descriptions ({@link TableFile}) with the run's runs row ({@link RunResult}); nothing
 * they write is visible until committed here. A batch is one atomic append per table, the runs
 * table last, whose single data file holds the batch's runs rows: a query sees a run with all its
 * rows, and the runs table does not grow by a file per run.
 *
 * <p>Iceberg commits are atomic per table only. Before the per-step tables are committed a marker
 * ({@code ROOT/iceberg/_pending/sweep=NAME/BATCH}) lists their files; it is removed once the runs
 * table is committed. A driver killed in between leaves the marker, and {@link #repair()} (called
 * before the next sweep of that name, and by {@code phasemap compact}) takes those files out of the
 * tables again, so no step is visible without its run.
 *
 * <p>A run that replaces a committed one ({@code --retry-failed}) gets an equality delete of its
 * run id in every table, committed with its new rows (Iceberg applies a delete to older files
 * only). Not thread-safe: one committer per sweep, used by one thread.
 */
public final class ResultCommitter {

  /** The snapshot summary property naming the batch that a commit belongs to. */
  public static final String BATCH = "phasemap.batch";

  /**
   * System property that injects a fault, for resilience tests: {@value #STOP_BEFORE_RUNS} stops a
   * commit after the per-step tables and before the runs table, as a driver killed there would;
   * {@value #KEEP_MARKER} leaves the marker of a complete commit behind.
   */
  static final String FAULT = "phasemap.commitFault";

  static final String STOP_BEFORE_RUNS = "stop-before-runs";

  /** Leaves a committed batch's marker behind, as a driver killed right after the commit would. */
  static final String KEEP_MARKER = "keep-marker";

  /** The folder of the markers of batches being committed. */
  static final String PENDING = "_pending";

  /** A data file written for one table. */
  public record TableFile(String table, DataFile file) implements Serializable {}

  /**
   * One finished run, waiting for its commit: its runs row as column values ({@link Table#values}),
   * the data files of its other tables, and whether it replaces a committed run.
   */
  public record RunResult(String runId, boolean replace, Object[] runsRow, List<TableFile> files)
      implements Serializable {}

  private final Configuration conf;
  private final String root;
  private final String sweep;
  private final Map<String, org.apache.iceberg.Table> tables;
  private final IcebergTables.Target runsTarget;
  private final Table<Object[]> runsRows = RunsTable.TABLE.positional();
  private int commits;

  /**
   * @param tables the root's tables, from {@link IcebergTables#open}
   */
  public ResultCommitter(
      Configuration conf, String root, String sweep, Map<String, org.apache.iceberg.Table> tables) {
    this.conf = conf;
    this.root = root;
    this.sweep = sweep;
    this.tables = tables;
    this.runsTarget =
        IcebergTables.Target.of(RunsTable.TABLE.name(), tables.get(RunsTable.TABLE.name()));
  }

  /** How many batches this committer has committed. */
  public int commits() {
    return commits;
  }

  /** Commits {@code batch}: every table's new files, then the runs rows. */
  public void commit(List<RunResult> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    String batchId = UUID.randomUUID().toString();
    Path runsFile = runsTarget.newFile(sweep, "runs-" + batchId);
    try (ParquetRowWriter<Object[]> w = ParquetRowWriter.create(conf, runsFile, runsRows)) {
      for (RunResult r : batch) {
        w.write(r.runsRow());
      }
    }
    Map<String, List<DataFile>> byTable = new LinkedHashMap<>();
    Set<String> replaced = new LinkedHashSet<>();
    for (RunResult r : batch) {
      if (r.replace()) {
        replaced.add(r.runId());
      }
      for (TableFile f : r.files()) {
        byTable.computeIfAbsent(f.table(), k -> new ArrayList<>()).add(f.file());
      }
    }
    List<String> runIds = new ArrayList<>();
    batch.forEach(r -> runIds.add(r.runId()));
    Path marker = writeMarker(batchId, runIds, byTable);
    for (Table<?> declared : IcebergTables.TABLES) {
      String name = declared.name();
      if (name.equals(RunsTable.TABLE.name())
          && STOP_BEFORE_RUNS.equals(System.getProperty(FAULT))) {
        throw new IOException("injected stop before the runs commit (" + FAULT + ")");
      }
      List<DataFile> files =
          name.equals(RunsTable.TABLE.name())
              ? List.of(runsTarget.describe(conf, sweep, runsFile))
              : byTable.getOrDefault(name, List.of());
      commitTable(tables.get(name), files, replaced, batchId);
    }
    if (!KEEP_MARKER.equals(System.getProperty(FAULT))) {
      marker.getFileSystem(conf).delete(marker, false);
    }
    commits++;
  }

  private void commitTable(
      org.apache.iceberg.Table table, List<DataFile> files, Set<String> replaced, String batchId)
      throws IOException {
    if (files.isEmpty() && replaced.isEmpty()) {
      return;
    }
    if (replaced.isEmpty()) {
      var append = table.newAppend();
      files.forEach(append::appendFile);
      append.set(BATCH, batchId).commit();
    } else {
      RowDelta delta = table.newRowDelta();
      files.forEach(delta::addRows);
      delta.addDeletes(deleteRuns(table, replaced));
      delta.set(BATCH, batchId).commit();
    }
  }

  /**
   * An equality delete of the rows of {@code runIds} in this sweep's partition of {@code table}.
   */
  private DeleteFile deleteRuns(org.apache.iceberg.Table table, Collection<String> runIds)
      throws IOException {
    Schema rowSchema = table.schema().select(RunsTable.RUN_ID.name());
    int runIdField = table.schema().findField(RunsTable.RUN_ID.name()).fieldId();
    GenericRecord partitionRow = GenericRecord.create(table.schema());
    partitionRow.setField(ResultTables.SWEEP, sweep);
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(partitionRow);
    Path file = IcebergTables.Target.of("", table).newFile(sweep, "delete-runs");
    EqualityDeleteWriter<GenericRecord> writer =
        Parquet.writeDeletes(table.io().newOutputFile(file.toString()))
            .forTable(table)
            .withPartition(key)
            .rowSchema(rowSchema)
            .equalityFieldIds(runIdField)
            .createWriterFunc(GenericParquetWriter::create)
            .buildEqualityWriter();
    try (writer) {
      for (String id : runIds) {
        GenericRecord r = GenericRecord.create(rowSchema);
        r.setField(RunsTable.RUN_ID.name(), id);
        writer.write(r);
      }
    }
    return writer.toDeleteFile();
  }

  private Path pendingDir() {
    return new Path(pendingRoot(root), ResultTables.SWEEP + "=" + sweep);
  }

  private static Path pendingRoot(String root) {
    return new Path(ResultTables.icebergDir(root) + "/" + PENDING);
  }

  /**
   * The sweeps of {@code root} that have markers of batches whose commit has not finished (a driver
   * stopped between a batch's commits, or a sweep committing right now), sorted by name.
   */
  public static List<String> pendingSweeps(Configuration conf, String root) throws IOException {
    Path dir = pendingRoot(root);
    FileSystem fs = dir.getFileSystem(conf);
    List<String> sweeps = new ArrayList<>();
    if (!fs.exists(dir)) {
      return sweeps;
    }
    String prefix = ResultTables.SWEEP + "=";
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (st.isDirectory() && name.startsWith(prefix) && fs.listStatus(st.getPath()).length > 0) {
        sweeps.add(name.substring(prefix.length()));
      }
    }
    java.util.Collections.sort(sweeps);
    return sweeps;
  }

  /** The marker line that lists the batch's run ids (the other lines are TABLE TAB FILE). */
  private static final String RUN_IDS = "#runs";

  private Path writeMarker(String batchId, List<String> runIds, Map<String, List<DataFile>> byTable)
      throws IOException {
    Path marker = new Path(pendingDir(), batchId);
    StringBuilder text = new StringBuilder(RUN_IDS).append('\t');
    text.append(String.join(",", runIds)).append('\n');
    byTable.forEach(
        (table, files) ->
            files.forEach(f -> text.append(table).append('\t').append(f.location()).append('\n')));
    FileSystem fs = marker.getFileSystem(conf);
    try (OutputStream out = fs.create(marker, true)) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    return marker;
  }

  /**
   * Takes out of the tables the files of batches whose runs rows were never committed (a driver
   * killed between a batch's commits), and removes their markers. Returns how many batches were
   * undone.
   */
  public int repair() throws IOException {
    return repair(Long.MAX_VALUE);
  }

  /**
   * Like {@link #repair()}, but only for markers last modified before {@code beforeMs}: a younger
   * marker may belong to a batch that a sweep running right now is committing ({@code phasemap
   * compact} on a root a sweep writes to), and undoing that would take out rows of runs about to be
   * committed.
   */
  public int repair(long beforeMs) throws IOException {
    Path dir = pendingDir();
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return 0;
    }
    org.apache.iceberg.Table runs = tables.get(RunsTable.TABLE.name());
    runs.refresh();
    Set<String> committedBatches = new HashSet<>();
    long historySince = Long.MAX_VALUE;
    for (Snapshot s : runs.snapshots()) {
      historySince = Math.min(historySince, s.timestampMillis());
      String b = s.summary().get(BATCH);
      if (b != null) {
        committedBatches.add(b);
      }
    }
    int undone = 0;
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.getModificationTime() >= beforeMs) {
        continue;
      }
      String batchId = st.getPath().getName();
      Map<String, List<String>> byTable = new LinkedHashMap<>();
      List<String> runIds = new ArrayList<>();
      try (InputStream in = fs.open(st.getPath())) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          int tab = line.indexOf('\t');
          if (tab > 0 && line.startsWith(RUN_IDS + "\t")) {
            runIds.addAll(List.of(line.substring(tab + 1).split(",")));
          } else if (tab > 0) {
            byTable
                .computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>())
                .add(line.substring(tab + 1));
          }
        }
      }
      // The runs commit is in the history unless snapshots were expired since the marker was
      // written (compaction of another sweep expires them table-wide); then the runs rows tell.
      boolean committed =
          committedBatches.contains(batchId)
              || historySince > st.getModificationTime() && anyRunIn(runs, runIds);
      if (!committed) {
        for (Map.Entry<String, List<String>> e : byTable.entrySet()) {
          org.apache.iceberg.Table table = tables.get(e.getKey());
          table.refresh();
          Set<String> live = liveFiles(table);
          DeleteFiles delete = table.newDelete();
          boolean any = false;
          for (String path : e.getValue()) {
            if (live.contains(path)) {
              delete.deleteFile(path);
              any = true;
            }
          }
          if (any) {
            delete.commit();
          }
        }
        undone++;
      }
      fs.delete(st.getPath(), false);
    }
    return undone;
  }

  /** Whether the runs table holds a row of this sweep for any of {@code runIds}. */
  private boolean anyRunIn(org.apache.iceberg.Table runs, List<String> runIds) throws IOException {
    if (runIds.isEmpty()) {
      return false;
    }
    try (CloseableIterable<org.apache.iceberg.data.Record> rows =
        org.apache.iceberg.data.IcebergGenerics.read(runs)
            .where(
                Expressions.and(
                    Expressions.equal(ResultTables.SWEEP, sweep),
                    Expressions.in(RunsTable.RUN_ID.name(), runIds.toArray())))
            .select(RunsTable.RUN_ID.name())
            .build()) {
      for (org.apache.iceberg.data.Record r : rows) {
        if (runIds.contains(String.valueOf(r.getField(RunsTable.RUN_ID.name())))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The data files of this sweep in the current state of {@code table}. */
  private Set<String> liveFiles(org.apache.iceberg.Table table) throws IOException {
    Set<String> live = new HashSet<>();
    for (DataFile f : IcebergTables.liveDataFiles(table, sweep)) {
      live.add(f.location());
    }
    return live;
  }

  /**
   * Deletes the files in this sweep's data folders that no snapshot of their table references and
   * that were last modified before {@code beforeMs}: files of attempts killed before they were
   * committed, of speculative copies that lost, or of batches {@link #repair()} undid. Call it only
   * when nothing can still be writing from before that time. Returns how many were deleted.
   */
  public int removeOrphans(long beforeMs) throws IOException {
    int removed = 0;
    for (org.apache.iceberg.Table table : tables.values()) {
      removed += removeOrphans(conf, table, sweep, beforeMs);
    }
    return removed;
  }

  /**
   * Deletes the Parquet files under {@code table}'s data folder of {@code sweep} (of every sweep
   * when null) that no snapshot of the table references and that were last modified before {@code
   * beforeMs}. Files outside {@code LOCATION/data/} (such as plain files that {@code phasemap
   * migrate} registered where they lay) are never looked at. Returns how many were deleted.
   */
  public static int removeOrphans(
      Configuration conf, org.apache.iceberg.Table table, String sweep, long beforeMs)
      throws IOException {
    table.refresh();
    Path data = new Path(table.location() + "/" + IcebergTables.DATA);
    FileSystem fs = data.getFileSystem(conf);
    if (!fs.exists(data)) {
      return 0;
    }
    List<Path> dirs = new ArrayList<>();
    if (sweep != null) {
      dirs.add(new Path(data, ResultTables.SWEEP + "=" + sweep));
    } else {
      for (FileStatus st : fs.listStatus(data)) {
        if (st.isDirectory() && st.getPath().getName().startsWith(ResultTables.SWEEP + "=")) {
          dirs.add(st.getPath());
        }
      }
    }
    Set<String> referenced = null;
    int removed = 0;
    for (Path dir : dirs) {
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus st : fs.listStatus(dir)) {
        if (!st.isFile()
            || st.getModificationTime() >= beforeMs
            || !st.getPath().getName().endsWith(".parquet")) {
          continue;
        }
        if (referenced == null) {
          referenced = referencedPaths(table); // read the manifests only when a candidate exists
        }
        if (!referenced.contains(st.getPath().toUri().getPath())
            && fs.delete(st.getPath(), false)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** The paths (no scheme) of every data and delete file any snapshot of {@code table} reads. */
  static Set<String> referencedPaths(org.apache.iceberg.Table table) throws IOException {
    Set<String> paths = new HashSet<>();
    Set<String> manifests = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      for (ManifestFile m : s.allManifests(table.io())) {
        if (!manifests.add(m.path())) {
          continue;
        }
        if (m.content() == org.apache.iceberg.ManifestContent.DATA) {
          try (ManifestReader<DataFile> r = ManifestFiles.read(m, table.io(), table.specs())) {
            for (DataFile f : r) {
              paths.add(pathOf(f));
            }
          }
        } else {
          try (ManifestReader<DeleteFile> r =
              ManifestFiles.readDeleteManifest(m, table.io(), table.specs())) {
            for (DeleteFile f : r) {
              paths.add(pathOf(f));
            }
          }
        }
      }
    }
    return paths;
  }

  private static String pathOf(ContentFile<?> f) {
    return new Path(f.location()).toUri().getPath();
  }

  /**
   * Rewrites the small data files of this sweep into large ones in every table that has at least
   * {@code minFiles} of them, then drops the snapshots before the rewrite (and so the small files).
   * Queries answer the same before and after. Returns how many files were rewritten.
   */
  public int compact(SparkSession spark, int minFiles) throws IOException {
    long start = System.currentTimeMillis();
    int rewritten = 0;
    for (org.apache.iceberg.Table table : tables.values()) {
      table.refresh();
      rewritten += compact(spark, table, sweep, minFiles);
    }
    if (rewritten > 0) {
      // the snapshot kept by the expiry still lists the rewritten files as removed, so expiry
      // leaves them on disk; nothing reads them any more, and every task of the sweep has ended
      removeOrphans(start);
    }
    return rewritten;
  }

  /**
   * Compacts one sweep's partition of {@code table} (all partitions when {@code sweep} is null)
   * when it holds at least {@code minFiles} data files; returns how many files were rewritten.
   */
  public static int compact(
      SparkSession spark, org.apache.iceberg.Table table, String sweep, int minFiles)
      throws IOException {
    var filter =
        sweep == null ? Expressions.alwaysTrue() : Expressions.equal(ResultTables.SWEEP, sweep);
    if (IcebergTables.liveDataFiles(table, sweep).size() < Math.max(2, minFiles)) {
      return 0;
    }
    var result =
        SparkActions.get(spark)
            .rewriteDataFiles(table)
            .filter(filter)
            .option("min-input-files", "2")
            .option("remove-dangling-deletes", "true")
            .execute();
    table.refresh();
    table.expireSnapshots().expireOlderThan(System.currentTimeMillis()).retainLast(1).commit();
    return result.rewrittenDataFilesCount();
  }
}
