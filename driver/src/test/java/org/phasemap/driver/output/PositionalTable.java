package org.phasemap.driver.output;

import org.phasemap.tables.ColumnType;
import org.phasemap.tables.Table;

/**
 * Test tables whose rows are plain {@code Object[]}: column i reads value i. For exercising the
 * writer with every column type; the result tables read their values from the worker's records.
 */
final class PositionalTable {
  private final Table.Builder<Object[]> builder;
  private int next;

  private PositionalTable(String name) {
    this.builder = Table.builder(name);
  }

  static PositionalTable builder() {
    return new PositionalTable("test");
  }

  PositionalTable required(String name, ColumnType type) {
    int i = next++;
    builder.required(name, type, "", r -> r[i]);
    return this;
  }

  PositionalTable optional(String name, ColumnType type) {
    int i = next++;
    builder.optional(name, type, "", r -> r[i]);
    return this;
  }

  Table<Object[]> build() {
    return builder.build();
  }
}
