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
import org.phasemap.driver.output.TableSchema.Column;

/**
 * Writes rows of a {@link TableSchema} to one new, Snappy-compressed Parquet file, without Spark.
 *
 * <p>Executor tasks use it to write their own result rows, so rows never pass through the driver.
 * The file is created, never overwritten: write to a unique staging file from {@link
 * FileCommit#stagingPath} and move it into place with {@link FileCommit#commit} after {@link
 * #close()}. The file is complete only once closed; until then it has no footer and no reader can
 * open it.
 *
 * <p>Each row is checked against the schema before any of it is written, so a rejected row leaves
 * the file as it was. Not thread-safe.
 */
public final class ParquetRowWriter implements Closeable {

  /** Name of the Parquet message; Spark ignores it. */
  static final String MESSAGE_NAME = "phasemap";

  private final TableSchema schema;
  private final ParquetWriter<Object[]> writer;

  private ParquetRowWriter(TableSchema schema, ParquetWriter<Object[]> writer) {
    this.schema = schema;
    this.writer = writer;
  }

  /**
   * Creates {@code file} and opens it for writing.
   *
   * @param conf Hadoop configuration that resolves {@code file}'s filesystem
   * @param file the file to create; it must not exist yet
   * @param schema the columns every row holds, in order
   * @throws IOException if the file exists or cannot be created
   */
  public static ParquetRowWriter create(Configuration conf, Path file, TableSchema schema)
      throws IOException {
    Objects.requireNonNull(conf, "conf");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(schema, "schema");
    ParquetWriter<Object[]> writer =
        new Builder(HadoopOutputFile.fromPath(file, conf), schema)
            .withConf(conf)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build();
    return new ParquetRowWriter(schema, writer);
  }

  /** The schema rows are written with. */
  public TableSchema schema() {
    return schema;
  }

  /**
   * Writes one row.
   *
   * @param row one value per column, in schema order: {@link Integer}, {@link Long}, {@link
   *     Double}, {@link Boolean}, {@link String}, or {@code double[]}, {@code long[]}, {@code
   *     int[]} for arrays; null only in nullable columns. Doubles may be NaN or infinite. Arrays
   *     are written as they are at this call; the row is not kept.
   * @throws IllegalArgumentException if the row does not fit the schema
   * @throws IOException if the file cannot be written
   */
  public void write(Object[] row) throws IOException {
    check(row);
    writer.write(row);
  }

  /** Writes the footer and closes the file; the file is readable only after this. */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  private void check(Object[] row) {
    if (row == null) {
      throw new IllegalArgumentException("Cannot write row: row is required (got null)");
    }
    if (row.length != schema.size()) {
      throw new IllegalArgumentException(
          "Cannot write row: expected "
              + schema.size()
              + " values, one per column (got "
              + row.length
              + ")");
    }
    for (int i = 0; i < row.length; i++) {
      Column column = schema.columns().get(i);
      Object value = row[i];
      if (value == null) {
        if (!column.nullable()) {
          throw new IllegalArgumentException(
              "Cannot write column '" + column.name() + "': column is not nullable (got null)");
        }
      } else if (value.getClass() != column.type().javaType()) {
        throw new IllegalArgumentException(
            "Cannot write column '"
                + column.name()
                + "': expected "
                + column.type().javaType().getSimpleName()
                + " for "
                + column.type()
                + " (got "
                + value.getClass().getSimpleName()
                + ")");
      }
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final TableSchema schema;

    private Builder(OutputFile file, TableSchema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema, MESSAGE_NAME);
    }
  }
}
