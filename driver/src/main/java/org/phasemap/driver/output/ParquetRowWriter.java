package org.phasemap.driver.output;

import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.phasemap.tables.Column;
import org.phasemap.tables.Table;

/**
 * Writes rows of a {@link Table} to one new, Snappy-compressed Parquet file, without Spark: each
 * column reads its own value from the row record, so values can only land where they were declared.
 *
 * <p>Executor tasks use it to write their runs' per-step rows (and the driver the runs rows of a
 * commit batch). The file is created, never overwritten. Result tables: write to a new data file of
 * its table ({@link IcebergTables.Target#newFile}) and let the driver commit it. Other files: write
 * to a unique staging file from {@link FileCommit#stagingPath} and move it into place with {@link
 * FileCommit#commit} after {@link #close()}. The file is complete only once closed; until then it
 * has no footer and no reader can open it.
 *
 * <p>Each row is checked against the schema before any of it is written, so a rejected row leaves
 * the file as it was. Not thread-safe.
 */
public final class ParquetRowWriter<R> implements Closeable {

  /** Name of the Parquet message; Spark ignores it. */
  static final String MESSAGE_NAME = "phasemap";

  private final Table<R> table;
  private final ParquetWriter<R> writer;

  private ParquetRowWriter(Table<R> table, ParquetWriter<R> writer) {
    this.table = table;
    this.writer = writer;
  }

  /**
   * Creates {@code file} and opens it for writing.
   *
   * @param conf Hadoop configuration that resolves {@code file}'s filesystem
   * @param file the file to create; it must not exist yet
   * @param table the table the rows belong to
   * @throws IOException if the file exists or cannot be created
   */
  public static <R> ParquetRowWriter<R> create(Configuration conf, Path file, Table<R> table)
      throws IOException {
    Objects.requireNonNull(conf, "conf");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(table, "table");
    ParquetWriter<R> writer =
        new Builder<>(HadoopOutputFile.fromPath(file, conf), table)
            .withConf(conf)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build();
    return new ParquetRowWriter<>(table, writer);
  }

  /** The table rows are written to. */
  public Table<R> table() {
    return table;
  }

  /**
   * Writes one row: every column's value read from {@code row} ({@link Column#valueOf}).
   *
   * @throws IllegalArgumentException if a value does not fit its column (null where not nullable,
   *     or the wrong Java type); nothing of the row is written then
   * @throws IOException if the file cannot be written
   */
  public void write(R row) throws IOException {
    if (row == null) {
      throw new IllegalArgumentException("Cannot write row: row is required (got null)");
    }
    for (Column<R> column : table.columns()) {
      column.valueOf(row); // checks every value before any of the row is written
    }
    writer.write(row);
  }

  /** Writes the footer and closes the file; the file is readable only after this. */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  private static final class Builder<R> extends ParquetWriter.Builder<R, Builder<R>> {
    private final Table<R> table;

    private Builder(OutputFile file, Table<R> table) {
      super(file);
      this.table = table;
    }

    @Override
    protected Builder<R> self() {
      return this;
    }

    @Override
    protected WriteSupport<R> getWriteSupport(Configuration conf) {
      return new RowWriteSupport<>(table, MESSAGE_NAME);
    }
  }
}
