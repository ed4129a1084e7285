package org.phasemap.tables;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One column of a result table, declared once: its name, value type, whether rows may leave it
 * null, the line docs/TABLES.md gives it, and the function that reads its value from a row record
 * of type {@code R}.
 *
 * <p>Names are lower snake_case ({@code [a-z][a-z0-9_]*}), so they are valid, unquoted identifiers
 * in Spark SQL and never differ only by case. Writers ask each column for its value ({@link
 * #valueOf}), so a value can only ever land in the column that declared how to read it.
 *
 * @param <R> the record one row is read from
 */
public final class Column<R> {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private final String name;
  private final ColumnType type;
  private final boolean nullable;
  private final String doc;
  private final Function<? super R, ?> reader;
  private final boolean nonFiniteAsNull;

  /**
   * A column.
   *
   * @param name lower snake_case name, matching {@code [a-z][a-z0-9_]*}
   * @param type value type
   * @param nullable whether a row may hold null here (stored as an {@code optional} Parquet field)
   * @param doc the column's meaning, exactly as docs/TABLES.md states it
   * @param reader reads the value from a row record; it may return null only when {@code nullable}
   */
  public Column(
      String name, ColumnType type, boolean nullable, String doc, Function<? super R, ?> reader) {
    this(name, type, nullable, doc, reader, false);
  }

  /**
   * A column that may store NaN and infinities as null.
   *
   * @param nonFiniteAsNull in a nullable {@link ColumnType#DOUBLE} column, store NaN and infinities
   *     as null, so that no query has to guard against them
   */
  public Column(
      String name,
      ColumnType type,
      boolean nullable,
      String doc,
      Function<? super R, ?> reader,
      boolean nonFiniteAsNull) {
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
    this.name = name;
    this.type = type;
    this.nullable = nullable;
    this.doc = doc == null ? "" : doc;
    this.reader = Objects.requireNonNull(reader, "reader");
    this.nonFiniteAsNull = nonFiniteAsNull;
  }

  /** The column's name in Parquet files and SQL. */
  public String name() {
    return name;
  }

  /** Its value type. */
  public ColumnType type() {
    return type;
  }

  /** Whether rows may hold null here. */
  public boolean nullable() {
    return nullable;
  }

  /** Its meaning, as docs/TABLES.md states it. */
  public String doc() {
    return doc;
  }

  /**
   * The value of this column in {@code row}, checked against the declaration. NaN and infinities
   * become null when the column was declared so (the result tables' columns are).
   *
   * @throws IllegalArgumentException when the value is null in a column that is not nullable, or
   *     has another Java type than {@link ColumnType#javaType()}; the message names the column
   */
  public Object valueOf(R row) {
    Object value = reader.apply(row);
    if (nonFiniteAsNull && nullable && value instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    return check(value);
  }

  /** {@code value} when it fits this column; throws as {@link #valueOf} otherwise. */
  private Object check(Object value) {
    if (value == null) {
      if (!nullable) {
        throw new IllegalArgumentException(
            "Cannot write column '" + name + "': column is not nullable (got null)");
      }
    } else if (value.getClass() != type.javaType()) {
      throw new IllegalArgumentException(
          "Cannot write column '"
              + name
              + "': expected "
              + type.javaType().getSimpleName()
              + " for "
              + type
              + " (got "
              + value.getClass().getSimpleName()
              + ")");
    }
    return value;
  }

  /**
   * {@code f(part)}, or null when {@code part} is null: reads a value from an optional part of a
   * record, e.g. the measures of a step that was not a checkpoint.
   */
  public static <T> Object of(T part, Function<? super T, ?> f) {
    return part == null ? null : f.apply(part);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Column<?> that
        && name.equals(that.name)
        && type == that.type
        && nullable == that.nullable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, nullable);
  }

  @Override
  public String toString() {
    return name + " " + type + (nullable ? "" : " NOT NULL");
  }
}
