/**
 * Result tables: Apache Iceberg tables whose data files executors write and whose commits only the
 * driver makes, exactly once per run.
 *
 * <pre>
 * ROOT/iceberg/TABLE/                 one Iceberg (Hadoop) table per declared table: runs, steps,
 *   metadata/                         llc_trace, ib_directions, ib_edges; its snapshots
 *   data/sweep=NAME/                  one partition per sweep
 *     run-RUN_ID-UUID.parquet         one run's rows of a per-step table, written by its task
 *     runs-BATCH-UUID.parquet         a commit batch's runs rows, written by the driver
 * ROOT/iceberg/_pending/sweep=NAME/   markers of batches being committed
 * ROOT/weights/sweep=NAME/            final (and checkpoint) weights, committed by rename
 * </pre>
 *
 * <ol>
 *   <li>A task writes a run's rows of each per-step table with {@link
 *       org.phasemap.driver.output.ParquetRowWriter} into a new file of that table ({@link
 *       org.phasemap.driver.output.IcebergTables.Target#newFile}) and describes it ({@link
 *       org.phasemap.driver.output.IcebergTables.Target#describe}: row count, column metrics).
 *   <li>The driver's {@link org.phasemap.driver.output.ResultCommitter} commits finished runs in
 *       batches: a marker, one append per per-step table, then the runs rows in one file and one
 *       append, then the marker goes. It drops a second result for a committed run id.
 *   <li>{@link org.phasemap.driver.output.ResultCommitter#repair} undoes a batch whose runs commit
 *       never happened; {@link org.phasemap.driver.output.ResultCommitter#removeOrphans} deletes
 *       files no snapshot references; compaction rewrites small files into large ones.
 * </ol>
 *
 * <p>The files carry no Iceberg field ids: each table has a default name mapping, so columns are
 * resolved by name, and a column added to a declaration is added to the table when a sweep next
 * opens it. {@link org.phasemap.driver.output.PlainMigration} registers the one-file-per-run
 * Parquet files of earlier versions in place. {@link org.phasemap.driver.output.FileCommit} (write
 * to a staging file, rename onto a deterministic name) still commits the weights, which are files,
 * not tables. {@link org.phasemap.driver.output.SerializableHadoopConf} carries the driver's Hadoop
 * settings to the executors that write.
 *
 * <p>Dependencies: {@code org.phasemap.tables} (the column declarations and the layout), Hadoop's
 * file system API, parquet-hadoop and the Iceberg Spark runtime (its core, Parquet and data
 * modules, and {@code SparkActions} for compaction). Nothing of the worker directly and no other
 * driver package.
 */
package org.phasemap.driver.output;
