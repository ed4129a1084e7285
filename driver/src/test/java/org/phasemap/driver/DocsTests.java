package org.phasemap.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.phasemap.driver.output.RunsTable;
import org.phasemap.driver.output.StepsTable;
import org.phasemap.driver.output.TableSchema;
import org.phasemap.worker.RunConfig;

/** The reference docs name every column and every spec field, so they cannot silently drift. */
class DocsTests {
  static String read(String doc) throws Exception {
    return Files.readString(Path.of("..", "docs", doc));
  }

  @Test
  void tablesDocNamesEveryColumn() throws Exception {
    String doc = read("TABLES.md");
    for (TableSchema.Column c : RunsTable.SCHEMA.columns()) {
      assertThat(doc).as("runs column " + c.name()).contains("`" + c.name() + "`");
    }
    for (TableSchema.Column c : StepsTable.SCHEMA.columns()) {
      assertThat(doc).as("steps column " + c.name()).contains("`" + c.name() + "`");
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
