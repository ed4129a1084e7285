package org.phasemap.driver.output;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.phasemap.tables.Column;
import org.phasemap.tables.ColumnType;
import org.phasemap.tables.Table;

/**
 * Turns one row record into Parquet record events, each column reading its own value ({@link
 * Column#valueOf}); {@link ParquetRowWriter} has checked the row before.
 *
 * <p>A null value is written by leaving its field out; an empty array by writing the {@code LIST}
 * group with no {@code list} field in it, which is how the Parquet spec tells an empty list from a
 * missing one.
 */
final class RowWriteSupport<R> extends WriteSupport<R> {

  private static final String LIST_FIELD = "list";
  private static final String ELEMENT_FIELD = "element";

  private final List<Column<R>> columns;
  private final MessageType parquetSchema;
  private RecordConsumer consumer;

  RowWriteSupport(Table<R> table, String messageName) {
    this.columns = table.columns();
    this.parquetSchema = ParquetSchemas.of(table, messageName);
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(parquetSchema, Map.of());
  }

  @Override
  public String getName() {
    return "phasemap";
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(R row) {
    consumer.startMessage();
    for (int i = 0; i < columns.size(); i++) {
      Object value = columns.get(i).valueOf(row);
      if (value == null) {
        continue;
      }
      String name = columns.get(i).name();
      consumer.startField(name, i);
      writeValue(columns.get(i).type(), value);
      consumer.endField(name, i);
    }
    consumer.endMessage();
  }

  private void writeValue(ColumnType type, Object value) {
    switch (type) {
      case INT -> consumer.addInteger((Integer) value);
      case LONG -> consumer.addLong((Long) value);
      case DOUBLE -> consumer.addDouble((Double) value);
      case BOOLEAN -> consumer.addBoolean((Boolean) value);
      case STRING -> consumer.addBinary(Binary.fromString((String) value));
      case DOUBLE_ARRAY -> {
        double[] values = (double[]) value;
        startList(values.length);
        for (double element : values) {
          startElement();
          consumer.addDouble(element);
          endElement();
        }
        endList(values.length);
      }
      case LONG_ARRAY -> {
        long[] values = (long[]) value;
        startList(values.length);
        for (long element : values) {
          startElement();
          consumer.addLong(element);
          endElement();
        }
        endList(values.length);
      }
      case INT_ARRAY -> {
        int[] values = (int[]) value;
        startList(values.length);
        for (int element : values) {
          startElement();
          consumer.addInteger(element);
          endElement();
        }
        endList(values.length);
      }
    }
  }

  private void startList(int length) {
    consumer.startGroup();
    if (length > 0) {
      consumer.startField(LIST_FIELD, 0);
    }
  }

  private void endList(int length) {
    if (length > 0) {
      consumer.endField(LIST_FIELD, 0);
    }
    consumer.endGroup();
  }

  private void startElement() {
    consumer.startGroup();
    consumer.startField(ELEMENT_FIELD, 0);
  }

  private void endElement() {
    consumer.endField(ELEMENT_FIELD, 0);
    consumer.endGroup();
  }
}
