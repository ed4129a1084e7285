package org.phasemap.driver.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The ordered, immutable list of columns of a result table, and the Parquet schema it is written
 * with.
 *
 * <p>Column names are lower snake_case ({@code [a-z][a-z0-9_]*}) and unique, so they are valid,
 * unquoted identifiers in Spark SQL and never differ only by case (Spark resolves columns
 * case-insensitively by default). Rows given to {@link ParquetRowWriter} hold their values in the
 * order of {@link #columns()}.
 */
public final class TableSchema {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * One column: its name, value type and whether rows may leave it null.
   *
   * @param name lower snake_case name, matching {@code [a-z][a-z0-9_]*}
   * @param type value type
   * @param nullable whether a row may hold null here (stored as an {@code optional} Parquet field)
   */
  public record Column(String name, ColumnType type, boolean nullable) {

    /** Validates the name and type. */
    public Column {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "Cannot create column: name must match [a-z][a-z0-9_]* (got "
                + (name == null ? "null" : "'" + name + "'")
                + ")");
      }
      if (type == null) {
        throw new IllegalArgumentException(
            "Cannot create column '" + name + "': type is required (got null)");
      }
    }

    /** A column every row must fill. */
    public static Column required(String name, ColumnType type) {
      return new Column(name, type, false);
    }

    /** A column rows may leave null. */
    public static Column optional(String name, ColumnType type) {
      return new Column(name, type, true);
    }
  }

  private final List<Column> columns;
  private final Map<String, Integer> indexByName;

  private TableSchema(List<Column> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create table schema: at least one column is required (got 0 columns)");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      if (column == null) {
        throw new IllegalArgumentException(
            "Cannot create table schema: column " + i + " is null (got null)");
      }
      if (index.putIfAbsent(column.name(), i) != null) {
        throw new IllegalArgumentException(
            "Cannot create table schema: column names must be unique (got '"
                + column.name()
                + "' twice)");
      }
    }
    this.columns = List.copyOf(columns);
    this.indexByName = Map.copyOf(index);
  }

  /** A schema with the given columns, in order. */
  public static TableSchema of(Column... columns) {
    Objects.requireNonNull(columns, "columns");
    return new TableSchema(Arrays.asList(columns));
  }

  /** A builder that adds columns in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The columns in row order; unmodifiable. */
  public List<Column> columns() {
    return columns;
  }

  /** The number of columns, which is the length every row must have. */
  public int size() {
    return columns.size();
  }

  /** The position of the named column in a row. */
  public int indexOf(String name) {
    Integer index = indexByName.get(name);
    if (index == null) {
      throw new IllegalArgumentException(
          "Cannot find column: no column has that name (got "
              + (name == null ? "null" : "'" + name + "'")
              + ")");
    }
    return index;
  }

  /**
   * The Parquet schema for this table: required columns become {@code required} fields, nullable
   * ones {@code optional}, in the same order.
   *
   * @param messageName the name of the Parquet message (Spark ignores it)
   */
  public MessageType toParquet(String messageName) {
    if (messageName == null || messageName.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot create Parquet schema: message name must not be blank (got "
              + (messageName == null ? "null" : "'" + messageName + "'")
              + ")");
    }
    List<Type> fields = new ArrayList<>(columns.size());
    for (Column column : columns) {
      Type.Repetition repetition =
          column.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      fields.add(column.type().toParquet(column.name(), repetition));
    }
    return new MessageType(messageName, fields);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TableSchema that && columns.equals(that.columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return "TableSchema" + columns;
  }

  /** Adds columns in order; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final List<Column> columns = new ArrayList<>();

    private Builder() {}

    /** Adds a column every row must fill. */
    public Builder required(String name, ColumnType type) {
      return column(Column.required(name, type));
    }

    /** Adds a column rows may leave null. */
    public Builder optional(String name, ColumnType type) {
      return column(Column.optional(name, type));
    }

    /** Adds a column. */
    public Builder column(Column column) {
      columns.add(column);
      return this;
    }

    /** The schema with the columns added so far. */
    public TableSchema build() {
      return new TableSchema(columns);
    }
  }
}
