package org.phasemap.driver.output;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The value types a result-table column can hold, each with the Java type a row must use for it and
 * the Parquet type it is stored as.
 *
 * <p>The Parquet types are the ones Spark itself writes, so {@code spark.read().parquet(...)} sees
 * {@code int}, {@code bigint}, {@code double}, {@code boolean}, {@code string} and {@code
 * array<double|bigint|int>}. Arrays use the standard three-level {@code LIST} layout of the Parquet
 * format spec; their elements are {@code required} because a Java primitive array cannot hold a
 * null.
 */
public enum ColumnType {
  /** 32-bit signed integer; rows hold an {@link Integer}. */
  INT(Integer.class, PrimitiveTypeName.INT32),
  /** 64-bit signed integer; rows hold a {@link Long}. */
  LONG(Long.class, PrimitiveTypeName.INT64),
  /** IEEE 754 double, NaN and infinities included; rows hold a {@link Double}. */
  DOUBLE(Double.class, PrimitiveTypeName.DOUBLE),
  /** Rows hold a {@link Boolean}. */
  BOOLEAN(Boolean.class, PrimitiveTypeName.BOOLEAN),
  /**
   * UTF-8 text (Parquet {@code BINARY} with the {@code STRING} annotation); rows hold a {@link
   * String}.
   */
  STRING(String.class, PrimitiveTypeName.BINARY),
  /** List of doubles; rows hold a {@code double[]}. */
  DOUBLE_ARRAY(double[].class, PrimitiveTypeName.DOUBLE),
  /** List of 64-bit integers; rows hold a {@code long[]}. */
  LONG_ARRAY(long[].class, PrimitiveTypeName.INT64),
  /** List of 32-bit integers; rows hold an {@code int[]}. */
  INT_ARRAY(int[].class, PrimitiveTypeName.INT32);

  private final Class<?> javaType;
  private final PrimitiveTypeName primitive;

  ColumnType(Class<?> javaType, PrimitiveTypeName primitive) {
    this.javaType = javaType;
    this.primitive = primitive;
  }

  /** The Java class a row value of this type must have. */
  public Class<?> javaType() {
    return javaType;
  }

  /** Whether values are arrays, stored as a Parquet {@code LIST}. */
  public boolean isArray() {
    return javaType.isArray();
  }

  /** The Parquet field for a column of this type. */
  Type toParquet(String name, Type.Repetition repetition) {
    if (isArray()) {
      return Types.list(repetition).requiredElement(primitive).named(name);
    }
    if (this == STRING) {
      return Types.primitive(primitive, repetition)
          .as(LogicalTypeAnnotation.stringType())
          .named(name);
    }
    return Types.primitive(primitive, repetition).named(name);
  }
}
