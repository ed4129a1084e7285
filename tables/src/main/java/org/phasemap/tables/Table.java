package org.phasemap.tables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A result table: its name and its columns in file order, each declared once ({@link Column}).
 *
 * <p>Tables are built by declaring their columns one after another on a {@link Builder}, usually as
 * {@code static final} fields, so that the declaration order is the file order and every column is
 * also a constant readers can name ({@code StepsTable.TRAIN_LOSS.name()}). The {@code sweep}
 * partition column is not part of a table's files: it comes from the folder ({@link
 * ResultTables#SWEEP}).
 *
 * @param <R> the record one row is read from
 */
public final class Table<R> {

  private final String name;
  private final List<Column<R>> columns;
  private final Map<String, Integer> indexByName;

  private Table(String name, List<Column<R>> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create table schema: at least one column is required (got 0 columns)");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      Column<R> column = columns.get(i);
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
    this.name = name;
    this.columns = List.copyOf(columns);
    this.indexByName = Map.copyOf(index);
  }

  /** A builder for the table {@code name} (its folder under a results root and its SQL view). */
  public static <R> Builder<R> builder(String name) {
    return new Builder<>(name);
  }

  /** The table's name: its folder under a results root and its SQL view. */
  public String name() {
    return name;
  }

  /** The columns in file order; unmodifiable. */
  public List<Column<R>> columns() {
    return columns;
  }

  /** The number of columns. */
  public int size() {
    return columns.size();
  }

  /** The position of the named column in the file. */
  public int indexOf(String columnName) {
    Integer index = indexByName.get(columnName);
    if (index == null) {
      throw new IllegalArgumentException(
          "Cannot find column: no column has that name (got "
              + (columnName == null ? "null" : "'" + columnName + "'")
              + ")");
    }
    return index;
  }

  /** The named column. */
  public Column<R> column(String columnName) {
    return columns.get(indexOf(columnName));
  }

  /** Whether the table has a column of that name. */
  public boolean has(String columnName) {
    return indexByName.containsKey(columnName);
  }

  /**
   * The values of every column of {@code row}, in file order ({@link Column#valueOf}): a row in a
   * form that can travel (every value is a boxed primitive, a string, a primitive array or null)
   * and be written later through {@link #positional()}.
   */
  public Object[] values(R row) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = columns.get(i).valueOf(row);
    }
    return values;
  }

  /**
   * The same table over rows given as their column values ({@link #values}): same name, column
   * names, types, nullability and docs; column i reads value i.
   */
  public Table<Object[]> positional() {
    Builder<Object[]> b = builder(name);
    for (int i = 0; i < columns.size(); i++) {
      Column<R> c = columns.get(i);
      int at = i;
      b.add(new Column<>(c.name(), c.type(), c.nullable(), c.doc(), r -> r[at], false));
    }
    return b.build();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Table<?> that && name.equals(that.name) && columns.equals(that.columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, columns);
  }

  @Override
  public String toString() {
    return "Table " + name + columns;
  }

  /**
   * Declares columns in order; {@link #build()} validates them. Not thread-safe: use it from one
   * static initialiser.
   */
  public static final class Builder<R> {
    private final String name;
    private final List<Column<R>> columns = new ArrayList<>();
    private boolean nonFiniteAsNull;

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "Cannot create table: name must not be blank (got "
                + (name == null ? "null" : "'" + name + "'")
                + ")");
      }
      this.name = name;
    }

    /**
     * Makes the nullable {@link ColumnType#DOUBLE} columns declared from now on store NaN and
     * infinities as null, so that no query has to guard against them.
     */
    public Builder<R> nonFiniteAsNull() {
      this.nonFiniteAsNull = true;
      return this;
    }

    /** Declares a column every row must fill; returns it. */
    public Column<R> required(
        String name, ColumnType type, String doc, Function<? super R, ?> reader) {
      return add(new Column<>(name, type, false, doc, reader, nonFiniteAsNull));
    }

    /** Declares a column rows may leave null; returns it. */
    public Column<R> optional(
        String name, ColumnType type, String doc, Function<? super R, ?> reader) {
      return add(new Column<>(name, type, true, doc, reader, nonFiniteAsNull));
    }

    /** Adds a declared column; returns it. */
    public Column<R> add(Column<R> column) {
      columns.add(column);
      return column;
    }

    /** The table with the columns declared so far. */
    public Table<R> build() {
      return new Table<>(name, columns);
    }
  }
}
