package org.phasemap.tables;

/**
 * The value types a result-table column can hold, each with the Java type its values have.
 *
 * <p>The Parquet types are the ones Spark itself writes, so {@code spark.read().parquet(...)} sees
 * {@code int}, {@code bigint}, {@code double}, {@code boolean}, {@code string} and {@code
 * array<double|bigint|int>}. Arrays use the standard three-level {@code LIST} layout of the Parquet
 * format spec; their elements are {@code required} because a Java primitive array cannot hold a
 * null.
 */
public enum ColumnType {
  /** 32-bit signed integer; rows hold an {@link Integer}. */
  INT(Integer.class, "int"),
  /** 64-bit signed integer; rows hold a {@link Long}. */
  LONG(Long.class, "long"),
  /** IEEE 754 double, NaN and infinities included; rows hold a {@link Double}. */
  DOUBLE(Double.class, "double"),
  /** Rows hold a {@link Boolean}. */
  BOOLEAN(Boolean.class, "boolean"),
  /**
   * UTF-8 text (Parquet {@code BINARY} with the {@code STRING} annotation); rows hold a {@link
   * String}.
   */
  STRING(String.class, "string"),
  /** List of doubles; rows hold a {@code double[]}. */
  DOUBLE_ARRAY(double[].class, "array<double>"),
  /** List of 64-bit integers; rows hold a {@code long[]}. */
  LONG_ARRAY(long[].class, "array<long>"),
  /** List of 32-bit integers; rows hold an {@code int[]}. */
  INT_ARRAY(int[].class, "array<int>");

  private final Class<?> javaType;
  private final String docName;

  ColumnType(Class<?> javaType, String docName) {
    this.javaType = javaType;
    this.docName = docName;
  }

  /**
   * The type as docs/TABLES.md writes it: {@code int}, {@code string}, {@code array<double>}, ...
   */
  public String docName() {
    return docName;
  }

  /** The Java class a row value of this type must have. */
  public Class<?> javaType() {
    return javaType;
  }

  /** Whether values are arrays, stored as a Parquet {@code LIST}. */
  public boolean isArray() {
    return javaType.isArray();
  }
}
