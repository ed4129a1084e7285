package org.phasemap.driver.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.phasemap.tables.Column;
import org.phasemap.tables.ColumnType;
import org.phasemap.tables.Table;

/** The declaration of a table ({@link Table}, {@link Column}) and its Parquet schema. */
class TableSchemaTests {
  private static final Function<Object[], Object> NONE = r -> null;

  private static Column<Object[]> required(String name, ColumnType type) {
    return new Column<>(name, type, false, "", NONE);
  }

  private static Column<Object[]> optional(String name, ColumnType type) {
    return new Column<>(name, type, true, "", NONE);
  }

  @SafeVarargs
  private static Table<Object[]> of(Column<Object[]>... columns) {
    Table.Builder<Object[]> b = Table.builder("test");
    for (Column<Object[]> c : columns) {
      b.add(c);
    }
    return b.build();
  }

  @Test
  void mapsEveryColumnTypeToTheParquetTypeSparkWrites() {
    Table<Object[]> schema =
        PositionalTable.builder()
            .required("i", ColumnType.INT)
            .required("l", ColumnType.LONG)
            .optional("d", ColumnType.DOUBLE)
            .optional("b", ColumnType.BOOLEAN)
            .required("s", ColumnType.STRING)
            .optional("da", ColumnType.DOUBLE_ARRAY)
            .required("la", ColumnType.LONG_ARRAY)
            .optional("ia", ColumnType.INT_ARRAY)
            .build();

    MessageType expected =
        MessageTypeParser.parseMessageType(
            """
            message runs {
              required int32 i;
              required int64 l;
              optional double d;
              optional boolean b;
              required binary s (STRING);
              optional group da (LIST) {
                repeated group list {
                  required double element;
                }
              }
              required group la (LIST) {
                repeated group list {
                  required int64 element;
                }
              }
              optional group ia (LIST) {
                repeated group list {
                  required int32 element;
                }
              }
            }
            """);
    assertThat(ParquetSchemas.of(schema, "runs")).isEqualTo(expected);
  }

  @Test
  void keepsColumnsInOrderAndFindsThemByName() {
    Table<Object[]> schema =
        of(required("run_id", ColumnType.STRING), optional("loss", ColumnType.DOUBLE));

    assertThat(schema.columns())
        .containsExactly(
            required("run_id", ColumnType.STRING), optional("loss", ColumnType.DOUBLE));
    assertThat(schema.size()).isEqualTo(2);
    assertThat(schema.indexOf("loss")).isEqualTo(1);
    assertThat(schema)
        .isEqualTo(
            PositionalTable.builder()
                .required("run_id", ColumnType.STRING)
                .optional("loss", ColumnType.DOUBLE)
                .build());
  }

  @Test
  void isImmutable() {
    Table<Object[]> schema = of(required("a", ColumnType.INT));

    assertThatThrownBy(() -> schema.columns().add(required("b", ColumnType.INT)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNamesThatAreNotLowerSnakeCase() {
    assertThatThrownBy(() -> required("Loss", ColumnType.DOUBLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got 'Loss')");
    assertThatThrownBy(() -> required("1st", ColumnType.DOUBLE))
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got '1st')");
    assertThatThrownBy(() -> required("train-loss", ColumnType.DOUBLE))
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got 'train-loss')");
    assertThatThrownBy(() -> required(null, ColumnType.DOUBLE))
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got null)");
  }

  @Test
  void rejectsMissingType() {
    assertThatThrownBy(() -> optional("loss", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create column 'loss': type is required (got null)");
  }

  @Test
  void rejectsDuplicateNames() {
    assertThatThrownBy(
            () ->
                PositionalTable.builder()
                    .required("loss", ColumnType.DOUBLE)
                    .optional("loss", ColumnType.LONG)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create table schema: column names must be unique (got 'loss' twice)");
  }

  @Test
  void rejectsEmptySchema() {
    assertThatThrownBy(() -> of())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create table schema: at least one column is required (got 0 columns)");
  }

  @Test
  void rejectsUnknownColumnName() {
    Table<Object[]> schema = of(required("a", ColumnType.INT));

    assertThatThrownBy(() -> schema.indexOf("b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find column: no column has that name (got 'b')");
  }

  @Test
  void rejectsBlankMessageName() {
    Table<Object[]> schema = of(required("a", ColumnType.INT));

    assertThatThrownBy(() -> ParquetSchemas.of(schema, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create Parquet schema: message name must not be blank (got ' ')");
  }
}
