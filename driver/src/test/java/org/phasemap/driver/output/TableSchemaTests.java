package org.phasemap.driver.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.phasemap.driver.output.TableSchema.Column;

class TableSchemaTests {

  @Test
  void mapsEveryColumnTypeToTheParquetTypeSparkWrites() {
    TableSchema schema =
        TableSchema.builder()
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
    assertThat(schema.toParquet("runs")).isEqualTo(expected);
  }

  @Test
  void keepsColumnsInOrderAndFindsThemByName() {
    TableSchema schema =
        TableSchema.of(
            Column.required("run_id", ColumnType.STRING),
            Column.optional("loss", ColumnType.DOUBLE));

    assertThat(schema.columns())
        .containsExactly(
            new Column("run_id", ColumnType.STRING, false),
            new Column("loss", ColumnType.DOUBLE, true));
    assertThat(schema.size()).isEqualTo(2);
    assertThat(schema.indexOf("loss")).isEqualTo(1);
    assertThat(schema)
        .isEqualTo(
            TableSchema.builder()
                .required("run_id", ColumnType.STRING)
                .optional("loss", ColumnType.DOUBLE)
                .build());
  }

  @Test
  void isImmutable() {
    TableSchema schema = TableSchema.of(Column.required("a", ColumnType.INT));

    assertThatThrownBy(() -> schema.columns().add(Column.required("b", ColumnType.INT)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNamesThatAreNotLowerSnakeCase() {
    assertThatThrownBy(() -> Column.required("Loss", ColumnType.DOUBLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got 'Loss')");
    assertThatThrownBy(() -> Column.required("1st", ColumnType.DOUBLE))
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got '1st')");
    assertThatThrownBy(() -> Column.required("train-loss", ColumnType.DOUBLE))
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got 'train-loss')");
    assertThatThrownBy(() -> Column.required(null, ColumnType.DOUBLE))
        .hasMessage("Cannot create column: name must match [a-z][a-z0-9_]* (got null)");
  }

  @Test
  void rejectsMissingType() {
    assertThatThrownBy(() -> Column.optional("loss", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create column 'loss': type is required (got null)");
  }

  @Test
  void rejectsDuplicateNames() {
    assertThatThrownBy(
            () ->
                TableSchema.builder()
                    .required("loss", ColumnType.DOUBLE)
                    .optional("loss", ColumnType.LONG)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create table schema: column names must be unique (got 'loss' twice)");
  }

  @Test
  void rejectsEmptySchema() {
    assertThatThrownBy(TableSchema::of)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create table schema: at least one column is required (got 0 columns)");
  }

  @Test
  void rejectsUnknownColumnName() {
    TableSchema schema = TableSchema.of(Column.required("a", ColumnType.INT));

    assertThatThrownBy(() -> schema.indexOf("b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find column: no column has that name (got 'b')");
  }

  @Test
  void rejectsBlankMessageName() {
    TableSchema schema = TableSchema.of(Column.required("a", ColumnType.INT));

    assertThatThrownBy(() -> schema.toParquet(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create Parquet schema: message name must not be blank (got ' ')");
  }
}
