package org.phasemap.driver.output;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.phasemap.tables.Column;
import org.phasemap.tables.ColumnType;
import org.phasemap.tables.Table;

/**
 * The Parquet schema of a result table: the types Spark itself writes, so {@code
 * spark.read().parquet(...)} sees {@code int}, {@code bigint}, {@code double}, {@code boolean},
 * {@code string} and {@code array<double|bigint|int>}. Arrays use the standard three-level {@code
 * LIST} layout of the Parquet format spec; their elements are {@code required} because a Java
 * primitive array cannot hold a null.
 */
public final class ParquetSchemas {
  private ParquetSchemas() {}

  /**
   * The Parquet schema for {@code table}: required columns become {@code required} fields, nullable
   * ones {@code optional}, in the same order.
   *
   * @param messageName the name of the Parquet message (Spark ignores it)
   */
  public static MessageType of(Table<?> table, String messageName) {
    if (messageName == null || messageName.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot create Parquet schema: message name must not be blank (got "
              + (messageName == null ? "null" : "'" + messageName + "'")
              + ")");
    }
    List<Type> fields = new ArrayList<>(table.size());
    for (Column<?> column : table.columns()) {
      Type.Repetition repetition =
          column.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      fields.add(field(column.type(), column.name(), repetition));
    }
    return new MessageType(messageName, fields);
  }

  /** The Parquet field for a column of type {@code type}. */
  static Type field(ColumnType type, String name, Type.Repetition repetition) {
    PrimitiveTypeName primitive = primitive(type);
    if (type.isArray()) {
      return Types.list(repetition).requiredElement(primitive).named(name);
    }
    if (type == ColumnType.STRING) {
      return Types.primitive(primitive, repetition)
          .as(LogicalTypeAnnotation.stringType())
          .named(name);
    }
    return Types.primitive(primitive, repetition).named(name);
  }

  private static PrimitiveTypeName primitive(ColumnType type) {
    return switch (type) {
      case INT, INT_ARRAY -> PrimitiveTypeName.INT32;
      case LONG, LONG_ARRAY -> PrimitiveTypeName.INT64;
      case DOUBLE, DOUBLE_ARRAY -> PrimitiveTypeName.DOUBLE;
      case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
      case STRING -> PrimitiveTypeName.BINARY;
    };
  }
}
