package org.phasemap.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  @Test
  void specDocFieldTableIsTheDeclarations() throws Exception {
    List<String> lines = read("SPEC.md").lines().toList();
    int start = lines.indexOf(runFieldTable().get(0));
    assertThat(start).as("SPEC.md's run field table header").isNotNegative();
    List<String> table = new ArrayList<>();
    for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      table.add(lines.get(i));
    }
    assertThat(String.join("\n", table))
        .as("docs/SPEC.md's run field table, which follows RunConfig.FIELDS")
        .isEqualTo(String.join("\n", runFieldTable()));
  }

  /** The fields a sweep gives its own seed unless the spec sets them (SweepPlanner.runValues). */
  private static final List<String> SWEEP_SEEDED = List.of("init_seed", "data_seed");

  /** The run field table of docs/SPEC.md as RunConfig.FIELDS declares it, one line per row. */
  static List<String> runFieldTable() {
    List<String> header = new ArrayList<>(List.of("field", "type", "meaning", "allowed"));
    for (RunConfig.Preset p : RunConfig.Preset.values()) {
      header.add(p.specName());
    }
    List<String> rows = new ArrayList<>();
    rows.add(row(header));
    rows.add("|---".repeat(header.size()) + "|");
    for (RunConfig.Field f : RunConfig.FIELDS) {
      List<String> cells = new ArrayList<>();
      cells.add("`" + f.name() + "`");
      cells.add(f.type().name().toLowerCase(Locale.ROOT));
      cells.add(f.description());
      cells.add(f.allowed());
      for (RunConfig.Preset p : RunConfig.Preset.values()) {
        cells.add(defaultCell(f, p));
      }
      rows.add(row(cells));
    }
    return rows;
  }

  private static String defaultCell(RunConfig.Field f, RunConfig.Preset p) {
    Object v = f.defaultValue(p);
    if (SWEEP_SEEDED.contains(f.name())) {
      return "sweep seed";
    } else if (f.defaultRule() != null) {
      return f.defaultRule();
    } else if (v == null) {
      return "—";
    } else if (v instanceof String s && s.isEmpty()) {
      return "empty";
    } else if (v instanceof Double d && d != 0 && Math.abs(d) < 1e-3) {
      BigDecimal b = BigDecimal.valueOf(d).stripTrailingZeros();
      int exponent = b.precision() - b.scale() - 1;
      return b.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }
    return String.valueOf(v);
  }

  private static String row(List<String> cells) {
    StringBuilder sb = new StringBuilder("|");
    for (String c : cells) {
      sb.append(' ').append(c.replace("|", "\\|")).append(" |");
    }
    return sb.toString();
  }
}
