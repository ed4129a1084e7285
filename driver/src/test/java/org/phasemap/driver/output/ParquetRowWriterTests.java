package org.phasemap.driver.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.LocalSpark;
import org.phasemap.tables.ColumnType;
import org.phasemap.tables.Table;

/** Writes files with {@link ParquetRowWriter} and reads them back with a real local Spark. */
class ParquetRowWriterTests {

  private static final Table<Object[]> EVERY_TYPE =
      PositionalTable.builder()
          .required("id", ColumnType.INT)
          .required("step", ColumnType.LONG)
          .optional("loss", ColumnType.DOUBLE)
          .optional("grokked", ColumnType.BOOLEAN)
          .required("run_id", ColumnType.STRING)
          .optional("note", ColumnType.STRING)
          .optional("norms", ColumnType.DOUBLE_ARRAY)
          .optional("steps", ColumnType.LONG_ARRAY)
          .optional("tokens", ColumnType.INT_ARRAY)
          .required("frequencies", ColumnType.INT_ARRAY)
          .build();

  private static SparkSession spark;

  @TempDir java.nio.file.Path tempDir;

  private Configuration conf;
  private Path root;

  @BeforeAll
  static void startSpark() {
    spark =
        LocalSpark.builder("ParquetRowWriterTests", 1)
            .config("spark.sql.shuffle.partitions", "1")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @BeforeEach
  void setUp() {
    conf = new Configuration();
    root = new Path(tempDir.toUri());
  }

  @Test
  void writesEveryColumnTypeAsSparkReadsIt() throws IOException {
    Path file = new Path(root, "every-type.parquet");
    try (ParquetRowWriter<Object[]> writer = ParquetRowWriter.create(conf, file, EVERY_TYPE)) {
      writer.write(
          new Object[] {
            1,
            10L,
            0.25,
            true,
            "run-1",
            "h\u00e9llo \u2713",
            new double[] {1.5, Double.NaN, Double.POSITIVE_INFINITY},
            new long[] {1L, Long.MAX_VALUE},
            new int[] {-1, 0},
            new int[] {7}
          });
      writer.write(
          new Object[] {
            2,
            Long.MIN_VALUE,
            Double.NaN,
            false,
            "run-2",
            "",
            new double[0],
            new long[0],
            new int[0],
            new int[0]
          });
      writer.write(
          new Object[] {
            3,
            30L,
            Double.NEGATIVE_INFINITY,
            null,
            "run-3",
            null,
            null,
            null,
            null,
            new int[] {1, 2}
          });
    }

    var frame = spark.read().parquet(file.toString());

    assertThat(frame.schema())
        .isEqualTo(
            struct(
                field("id", DataTypes.IntegerType),
                field("step", DataTypes.LongType),
                field("loss", DataTypes.DoubleType),
                field("grokked", DataTypes.BooleanType),
                field("run_id", DataTypes.StringType),
                field("note", DataTypes.StringType),
                field("norms", DataTypes.createArrayType(DataTypes.DoubleType)),
                field("steps", DataTypes.createArrayType(DataTypes.LongType)),
                field("tokens", DataTypes.createArrayType(DataTypes.IntegerType)),
                field("frequencies", DataTypes.createArrayType(DataTypes.IntegerType))));
    List<Row> rows = frame.orderBy("id").collectAsList();
    assertThat(rows).hasSize(3);

    Row first = rows.get(0);
    assertThat(first.getInt(0)).isEqualTo(1);
    assertThat(first.getLong(1)).isEqualTo(10L);
    assertThat(first.getDouble(2)).isEqualTo(0.25);
    assertThat(first.getBoolean(3)).isTrue();
    assertThat(first.getString(4)).isEqualTo("run-1");
    assertThat(first.getString(5)).isEqualTo("h\u00e9llo \u2713");
    assertThat(first.<Double>getList(6)).containsExactly(1.5, Double.NaN, Double.POSITIVE_INFINITY);
    assertThat(first.<Long>getList(7)).containsExactly(1L, Long.MAX_VALUE);
    assertThat(first.<Integer>getList(8)).containsExactly(-1, 0);
    assertThat(first.<Integer>getList(9)).containsExactly(7);

    Row second = rows.get(1);
    assertThat(second.getInt(0)).isEqualTo(2);
    assertThat(second.getLong(1)).isEqualTo(Long.MIN_VALUE);
    assertThat(second.getDouble(2)).isNaN();
    assertThat(second.getBoolean(3)).isFalse();
    assertThat(second.getString(4)).isEqualTo("run-2");
    assertThat(second.getString(5)).isEmpty();
    assertThat(second.<Double>getList(6)).isEmpty();
    assertThat(second.<Long>getList(7)).isEmpty();
    assertThat(second.<Integer>getList(8)).isEmpty();
    assertThat(second.<Integer>getList(9)).isEmpty();

    Row third = rows.get(2);
    assertThat(third.getInt(0)).isEqualTo(3);
    assertThat(third.getLong(1)).isEqualTo(30L);
    assertThat(third.getDouble(2)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(third.isNullAt(3)).isTrue();
    assertThat(third.getString(4)).isEqualTo("run-3");
    assertThat(third.isNullAt(5)).isTrue();
    assertThat(third.isNullAt(6)).isTrue();
    assertThat(third.isNullAt(7)).isTrue();
    assertThat(third.isNullAt(8)).isTrue();
    assertThat(third.<Integer>getList(9)).containsExactly(1, 2);
  }

  @Test
  void writesSnappyCompressedFileWithTheTableSchema() throws IOException {
    Path file = new Path(root, "footer.parquet");
    try (ParquetRowWriter<Object[]> writer = ParquetRowWriter.create(conf, file, EVERY_TYPE)) {
      writer.write(validRow());
    }

    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      ParquetMetadata footer = reader.getFooter();
      assertThat(footer.getFileMetaData().getSchema())
          .isEqualTo(ParquetSchemas.of(EVERY_TYPE, ParquetRowWriter.MESSAGE_NAME));
      assertThat(reader.getRecordCount()).isEqualTo(1);
      assertThat(footer.getBlocks().get(0).getColumns())
          .extracting(ColumnChunkMetaData::getCodec)
          .containsOnly(CompressionCodecName.SNAPPY);
    }
  }

  @Test
  void sparkReadsOnlyCommittedFilesWithTheirPartitionColumn() throws IOException {
    Table<Object[]> schema =
        PositionalTable.builder()
            .required("run_id", ColumnType.STRING)
            .required("step", ColumnType.LONG)
            .build();
    FileSystem fs = root.getFileSystem(conf);
    Path runs = new Path(root, "runs");
    commitRun(fs, new Path(runs, "sweep=a"), "run-a.parquet", schema, new Object[] {"run-a", 1L});
    commitRun(fs, new Path(runs, "sweep=b"), "run-b.parquet", schema, new Object[] {"run-b", 2L});
    Path leftover = FileCommit.stagingPath(new Path(runs, "sweep=a"), "run-c.parquet");
    try (ParquetRowWriter<Object[]> writer = ParquetRowWriter.create(conf, leftover, schema)) {
      writer.write(new Object[] {"run-c", 3L});
    }
    assertThat(fs.exists(leftover)).isTrue();

    var frame = spark.read().option("mergeSchema", "true").parquet(runs.toString());

    assertThat(frame.schema().fieldNames()).containsExactly("run_id", "step", "sweep");
    assertThat(frame.schema().apply("sweep").dataType()).isEqualTo(DataTypes.StringType);
    List<Row> rows = frame.orderBy("run_id").collectAsList();
    assertThat(rows).extracting(Row::toString).containsExactly("[run-a,1,a]", "[run-b,2,b]");
  }

  @Test
  void readsFilesWithAnAddedColumnTogetherWithMergeSchema() throws IOException {
    Table<Object[]> before =
        PositionalTable.builder()
            .required("run_id", ColumnType.STRING)
            .optional("loss", ColumnType.DOUBLE)
            .build();
    Table<Object[]> after =
        PositionalTable.builder()
            .required("run_id", ColumnType.STRING)
            .optional("loss", ColumnType.DOUBLE)
            .optional("gini", ColumnType.DOUBLE_ARRAY)
            .build();
    Path runs = new Path(root, "runs");
    try (ParquetRowWriter<Object[]> writer =
        ParquetRowWriter.create(conf, new Path(runs, "run-1.parquet"), before)) {
      writer.write(new Object[] {"run-1", 0.5});
    }
    try (ParquetRowWriter<Object[]> writer =
        ParquetRowWriter.create(conf, new Path(runs, "run-2.parquet"), after)) {
      writer.write(new Object[] {"run-2", 0.25, new double[] {0.1, 0.9}});
    }

    var frame = spark.read().option("mergeSchema", "true").parquet(runs.toString());

    assertThat(frame.schema())
        .isEqualTo(
            struct(
                field("run_id", DataTypes.StringType),
                field("loss", DataTypes.DoubleType),
                field("gini", DataTypes.createArrayType(DataTypes.DoubleType))));
    List<Row> rows = frame.orderBy("run_id").collectAsList();
    assertThat(rows.get(0).getString(0)).isEqualTo("run-1");
    assertThat(rows.get(0).getDouble(1)).isEqualTo(0.5);
    assertThat(rows.get(0).isNullAt(2)).isTrue();
    assertThat(rows.get(1).getString(0)).isEqualTo("run-2");
    assertThat(rows.get(1).getDouble(1)).isEqualTo(0.25);
    assertThat(rows.get(1).<Double>getList(2)).containsExactly(0.1, 0.9);
  }

  @Test
  void rejectsNullInRequiredColumnNamingIt() throws IOException {
    try (ParquetRowWriter<Object[]> writer = everyTypeWriter("null.parquet")) {
      Object[] row = validRow();
      row[4] = null;

      assertThatThrownBy(() -> writer.write(row))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot write column 'run_id': column is not nullable (got null)");
    }
  }

  @Test
  void rejectsWrongJavaTypeNamingColumnAndBothTypes() throws IOException {
    try (ParquetRowWriter<Object[]> writer = everyTypeWriter("types.parquet")) {
      Object[] boxedInt = validRow();
      boxedInt[1] = 10;
      Object[] floatValue = validRow();
      floatValue[2] = 0.5f;
      Object[] boxedArray = validRow();
      boxedArray[6] = new Double[] {1.0};

      assertThatThrownBy(() -> writer.write(boxedInt))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot write column 'step': expected Long for LONG (got Integer)");
      assertThatThrownBy(() -> writer.write(floatValue))
          .hasMessage("Cannot write column 'loss': expected Double for DOUBLE (got Float)");
      assertThatThrownBy(() -> writer.write(boxedArray))
          .hasMessage(
              "Cannot write column 'norms': expected double[] for DOUBLE_ARRAY (got Double[])");
    }
  }

  @Test
  void rejectedRowLeavesTheFileIntact() throws IOException {
    Path file = new Path(root, "intact.parquet");
    try (ParquetRowWriter<Object[]> writer = ParquetRowWriter.create(conf, file, EVERY_TYPE)) {
      writer.write(validRow());
      Object[] bad = validRow();
      bad[9] = new long[] {1L};
      assertThatThrownBy(() -> writer.write(bad)).isInstanceOf(IllegalArgumentException.class);
      Object[] second = validRow();
      second[0] = 2;
      writer.write(second);
    }

    List<Row> rows = spark.read().parquet(file.toString()).orderBy("id").collectAsList();

    assertThat(rows).extracting(row -> row.getInt(0)).containsExactly(1, 2);
  }

  @Test
  void refusesToOverwriteAnExistingFile() throws IOException {
    Path file = new Path(root, "exists.parquet");
    try (ParquetRowWriter<Object[]> writer = ParquetRowWriter.create(conf, file, EVERY_TYPE)) {
      writer.write(validRow());
    }

    assertThatThrownBy(() -> ParquetRowWriter.create(conf, file, EVERY_TYPE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toUri().getPath());
  }

  private ParquetRowWriter<Object[]> everyTypeWriter(String name) throws IOException {
    return ParquetRowWriter.create(conf, new Path(root, name), EVERY_TYPE);
  }

  private static Object[] validRow() {
    return new Object[] {
      1, 10L, 0.5, true, "run-1", null, new double[] {1.0}, null, null, new int[] {1}
    };
  }

  private void commitRun(FileSystem fs, Path dir, String name, Table<Object[]> schema, Object[] row)
      throws IOException {
    Path staging = FileCommit.stagingPath(dir, name);
    try (ParquetRowWriter<Object[]> writer = ParquetRowWriter.create(conf, staging, schema)) {
      writer.write(row);
    }
    FileCommit.commit(fs, staging, new Path(dir, name));
  }

  private static StructType struct(StructField... fields) {
    return DataTypes.createStructType(fields);
  }

  /** Spark reports every column read from files as nullable, whatever the file says. */
  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
