/**
 * Result tables written by executors straight to Parquet, exactly once per run.
 *
 * <p>Rows are never collected in the Spark driver: the task that trains a run writes that run's
 * rows itself. Task retries, speculative attempts and resumed sweeps may all train the same run
 * again, so correctness rests on the file layout, not on who writes:
 *
 * <pre>
 * ROOT/runs/                          one folder per table (also steps/, llc_trace/, ib_directions/, ib_edges/)
 *   sweep=NAME/                       one partition folder per sweep
 *     run-RUN_ID.parquet              ALL rows of one run, in one file with a deterministic name
 *     _staging/                       attempts in progress; skipped by Spark's reader
 *       run-RUN_ID.parquet.UUID.tmp   one unique file per attempt
 * </pre>
 *
 * <ol>
 *   <li>An attempt writes all of a run's rows with {@link
 *       org.phasemap.driver.output.ParquetRowWriter} to its own {@link
 *       org.phasemap.driver.output.FileCommit#stagingPath staging path}, and closes it.
 *   <li>{@link org.phasemap.driver.output.FileCommit#commit} renames the complete file onto {@code
 *       <run id>.parquet}, replacing any file a previous attempt committed.
 * </ol>
 *
 * <p>Because a run owns exactly one file name and only complete files are renamed onto it, a reader
 * sees each run's rows zero or one times, never twice and never partly, however many attempts ran.
 * Files and folders whose names start with {@code _} or {@code .} are ignored by Spark, so staging
 * files left by killed attempts (and Hadoop's {@code .crc} checksum files) never show up as data;
 * they can be deleted at any time no attempt is running.
 *
 * <p>Tables are read with {@code spark.read().option("mergeSchema", "true").parquet(root +
 * "/runs")}: partition discovery adds the {@code sweep} column, and {@code mergeSchema} lets files
 * written before a column was added read as null in that column. The columns themselves are
 * declared once, in {@code org.phasemap.tables}; {@link
 * org.phasemap.driver.output.ParquetRowWriter} writes a row record column by column through those
 * declarations; {@link org.phasemap.driver.output.ParquetSchemas} turns a declaration into a
 * Parquet schema; {@link org.phasemap.driver.output.SerializableHadoopConf} carries the driver's
 * Hadoop settings to the executors that write.
 *
 * <p>Dependencies: {@code org.phasemap.tables} (the column declarations), Hadoop's file system API
 * and parquet-hadoop. No Spark (it writes plain Parquet files that Spark reads), nothing of the
 * worker directly and no other driver package.
 */
package org.phasemap.driver.output;
