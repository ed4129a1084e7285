package org.phasemap.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phasemap.tables.Column;
import org.phasemap.tables.LlcTraceTable;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;
import org.phasemap.tables.Table;
import org.phasemap.worker.RunConfig;

/** The reference docs name every column and every spec field, so they cannot silently drift. */
class DocsTests {
  static String read(String doc) throws Exception {
    return Files.readString(Path.of("..", "docs", doc));
  }

  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|.*$");

  /** The text of one table's section of docs/TABLES.md: from "## NAME" to the next "## ". */
  static String section(String doc, String table) {
    int start = doc.indexOf("\n## " + table + "\n");
    assertThat(start).as("docs/TABLES.md has a section ## " + table).isGreaterThanOrEqualTo(0);
    int end = doc.indexOf("\n## ", start + 1);
    return doc.substring(start, end < 0 ? doc.length() : end);
  }

  /**
   * Each table's section has exactly one row per declared column, reading {@code | `name` | type |
   * doc |} with the declaration's type and doc line, and no row for a column that does not exist
   * (the {@code sweep} partition column aside). The run fields' columns share one row that names
   * them all.
   */
  @Test
  void tablesDocHasOneRowPerDeclaredColumn() throws Exception {
    String doc = read("TABLES.md");
    checkSection(section(doc, "runs"), RunsTable.TABLE, RunsTable.CONFIG);
    checkSection(section(doc, "steps"), StepsTable.TABLE, List.of());
    checkSection(section(doc, "llc_trace"), LlcTraceTable.TABLE, List.of());
  }

  private static <R> void checkSection(String section, Table<R> table, List<Column<R>> sharedRow) {
    for (Column<R> c : table.columns()) {
      if (sharedRow.contains(c)) {
        assertThat(section).as(table.name() + " run-field column " + c.name()).contains("`" + c.name() + "`");
        continue;
      }
      String row = "| `" + c.name() + "` | " + c.type().docName() + " | " + c.doc() + " |";
      assertThat(section).as(table.name() + " column " + c.name()).contains("\n" + row + "\n");
    }
    List<String> documented = new ArrayList<>();
    Matcher m = ROW.matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    for (String name : documented) {
      boolean declared = name.equals(ResultTables.SWEEP) || table.has(name);
      assertThat(declared).as(table.name() + ": docs/TABLES.md documents a column '" + name + "' that is not declared").isTrue();
    }
  }

  @Test
  void specDocNamesEveryRunField() throws Exception {
    String doc = read("SPEC.md");
    for (RunConfig.Field f : RunConfig.FIELDS) {
      assertThat(doc).as("run field " + f.name()).contains("| `" + f.name() + "` |");
    }
  }
}
