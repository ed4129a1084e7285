package org.phasemap.driver.output;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.hadoop.HadoopInputFile;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.phasemap.tables.Column;
import org.phasemap.tables.ColumnType;
import org.phasemap.tables.IbDirectionsTable;
import org.phasemap.tables.IbEdgesTable;
import org.phasemap.tables.LlcTraceTable;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;
import org.phasemap.tables.Table;

/**
 * The result tables of a root as Apache Iceberg tables (docs/TABLES.md): one Hadoop table (no
 * catalog server) per declared {@link Table} at {@link ResultTables#tableLocation}, its schema the
 * declared columns plus {@code sweep}, partitioned by {@code sweep}.
 *
 * <p>Data files are written by {@link ParquetRowWriter} (the same files as before Iceberg, without
 * Iceberg field ids); each table carries a default name mapping ({@code
 * schema.name-mapping.default}) so Iceberg resolves their columns by name. Opening a root adds the
 * declared columns a table lacks (a root written by an older version); the files written before
 * read null there.
 */
public final class IcebergTables {

  /** Every table of a root, in commit order: the runs table last, so its row marks a done run. */
  public static final List<Table<?>> TABLES =
      List.of(
          StepsTable.TABLE,
          LlcTraceTable.TABLE,
          IbDirectionsTable.TABLE,
          IbEdgesTable.TABLE,
          RunsTable.TABLE);

  /** The folder, inside a table's location, of its data files. */
  public static final String DATA = "data";

  private IcebergTables() {}

  /** The Iceberg type of a column of type {@code type}; array elements get {@code elementId}. */
  static Type icebergType(ColumnType type, int elementId) {
    return switch (type) {
      case INT -> Types.IntegerType.get();
      case LONG -> Types.LongType.get();
      case DOUBLE -> Types.DoubleType.get();
      case BOOLEAN -> Types.BooleanType.get();
      case STRING -> Types.StringType.get();
      case DOUBLE_ARRAY -> Types.ListType.ofRequired(elementId, Types.DoubleType.get());
      case LONG_ARRAY -> Types.ListType.ofRequired(elementId, Types.LongType.get());
      case INT_ARRAY -> Types.ListType.ofRequired(elementId, Types.IntegerType.get());
    };
  }

  /**
   * The Iceberg schema of {@code table}: its columns in file order (with their docs), then {@code
   * sweep}. Field ids here are provisional: Iceberg assigns its own when a table is created.
   */
  public static Schema schema(Table<?> table) {
    List<Types.NestedField> fields = new ArrayList<>();
    int nextElementId = table.size() + 2;
    int id = 1;
    for (Column<?> c : table.columns()) {
      Type type = icebergType(c.type(), c.type().isArray() ? nextElementId++ : -1);
      fields.add(Types.NestedField.of(id++, c.nullable(), c.name(), type, c.doc()));
    }
    fields.add(
        Types.NestedField.required(
            id, ResultTables.SWEEP, Types.StringType.get(), "the sweep's name"));
    return new Schema(fields);
  }

  /** Identity partitioning on {@code sweep}. */
  public static PartitionSpec partitionSpec(Schema schema) {
    return PartitionSpec.builderFor(schema).identity(ResultTables.SWEEP).build();
  }

  /**
   * Opens every table of {@code root} by name, creating the missing ones and adding the declared
   * columns a table lacks.
   */
  public static Map<String, org.apache.iceberg.Table> open(Configuration conf, String root)
      throws IOException {
    HadoopTables tables = new HadoopTables(conf);
    Map<String, org.apache.iceberg.Table> out = new LinkedHashMap<>();
    for (Table<?> t : TABLES) {
      try {
        out.put(t.name(), open(tables, root, t));
      } catch (RuntimeException e) {
        throw new IOException(
            "Cannot open table "
                + t.name()
                + " at "
                + ResultTables.tableLocation(root, t.name())
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return out;
  }

  /** Opens the existing tables of {@code root} without creating or changing any. */
  public static Map<String, org.apache.iceberg.Table> load(Configuration conf, String root) {
    HadoopTables tables = new HadoopTables(conf);
    Map<String, org.apache.iceberg.Table> out = new LinkedHashMap<>();
    for (Table<?> t : TABLES) {
      String location = ResultTables.tableLocation(root, t.name());
      if (tables.exists(location)) {
        out.put(t.name(), tables.load(location));
      }
    }
    return out;
  }

  /**
   * A table's location as a fully qualified path ({@code file:/abs/...}, {@code hdfs://...}):
   * Iceberg stores it as given, and a relative one would resolve against each reader's and
   * executor's working folder.
   */
  static String qualified(Configuration conf, String location) {
    Path p = new Path(location);
    try {
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot resolve " + location + ": " + e.getMessage(), e);
    }
  }

  private static org.apache.iceberg.Table open(HadoopTables tables, String root, Table<?> t) {
    String location = qualified(tables.getConf(), ResultTables.tableLocation(root, t.name()));
    Schema expected = schema(t);
    org.apache.iceberg.Table table;
    if (!tables.exists(location)) {
      Map<String, String> props = new LinkedHashMap<>();
      props.put(TableProperties.FORMAT_VERSION, "2");
      props.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
      props.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "20");
      props.put(TableProperties.PARQUET_COMPRESSION, "snappy");
      try {
        table =
            tables.create(expected, partitionSpec(expected), SortOrder.unsorted(), props, location);
      } catch (AlreadyExistsException e) {
        table = tables.load(location); // another driver created it first
      }
    } else {
      table = tables.load(location);
    }
    if (!hasAll(table.schema(), expected)) {
      table.updateSchema().unionByNameWith(expected).commit();
    }
    String mapping = NameMappingParser.toJson(MappingUtil.create(table.schema()));
    if (!mapping.equals(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING))) {
      table.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING, mapping).commit();
    }
    return table;
  }

  private static boolean hasAll(Schema actual, Schema expected) {
    for (Types.NestedField f : expected.columns()) {
      if (actual.findField(f.name()) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * The data files in the current state of {@code table}, of one sweep or (null) of all: the one
   * scan of the table's metadata that repair, migration and compaction all list files with.
   */
  public static List<DataFile> liveDataFiles(org.apache.iceberg.Table table, String sweep)
      throws IOException {
    List<DataFile> files = new ArrayList<>();
    var scan = table.newScan();
    if (sweep != null) {
      scan =
          scan.filter(org.apache.iceberg.expressions.Expressions.equal(ResultTables.SWEEP, sweep));
    }
    try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
        scan.planFiles()) {
      for (org.apache.iceberg.FileScanTask t : tasks) {
        files.add(t.file());
      }
    }
    return files;
  }

  /** What a task needs to turn a Parquet file it wrote into a data file of one table. */
  public record Target(String table, String location, PartitionSpec spec, String nameMapping)
      implements Serializable {

    /** The target of an open table. */
    public static Target of(String name, org.apache.iceberg.Table table) {
      return new Target(
          name,
          table.location(),
          table.spec(),
          table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
    }

    /**
     * A fresh, unique path for a data file of sweep {@code sweep}: {@code
     * LOCATION/data/sweep=SWEEP/PREFIX-UUID.parquet}. Unique, so no two attempts ever share a file
     * and a file is never replaced: only a commit makes it part of the table.
     */
    public Path newFile(String sweep, String prefix) {
      return new Path(
          location
              + "/"
              + DATA
              + "/"
              + ResultTables.SWEEP
              + "="
              + sweep
              + "/"
              + prefix
              + "-"
              + UUID.randomUUID()
              + ".parquet");
    }

    /**
     * The data file of this table that {@code file} (complete, closed, written for sweep {@code
     * sweep}) becomes once committed: path, size, row count and column metrics from its footer.
     */
    public DataFile describe(Configuration conf, String sweep, Path file) {
      HadoopInputFile in = HadoopInputFile.fromPath(file, conf);
      Metrics metrics =
          ParquetUtil.fileMetrics(
              in, MetricsConfig.getDefault(), NameMappingParser.fromJson(nameMapping));
      return DataFiles.builder(spec)
          .withInputFile(in)
          .withMetrics(metrics)
          .withFormat(FileFormat.PARQUET)
          .withPartitionValues(List.of(sweep))
          .build();
    }
  }

  /** The targets of the tables of {@code open}, by table name. */
  public static Map<String, Target> targets(Map<String, org.apache.iceberg.Table> open) {
    Map<String, Target> out = new LinkedHashMap<>();
    open.forEach((name, table) -> out.put(name, Target.of(name, table)));
    return out;
  }
}
