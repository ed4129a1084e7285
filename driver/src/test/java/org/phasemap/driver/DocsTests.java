package org.phasemap.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.phasemap.tables.Column;
import org.phasemap.tables.IbDirectionsTable;
import org.phasemap.tables.IbEdgesTable;
import org.phasemap.tables.LlcTraceTable;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.tables.StepsTable;
import org.phasemap.tables.Table;
import org.phasemap.worker.RunConfig;

/**
 * The reference docs name every column and every spec field, and every package explains itself in a
 * package-info.java, so they cannot silently drift.
 */
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
    checkSection(section(doc, "ib_directions"), IbDirectionsTable.TABLE, List.of());
    checkSection(section(doc, "ib_edges"), IbEdgesTable.TABLE, List.of());
  }

  private static <R> void checkSection(String section, Table<R> table, List<Column<R>> sharedRow) {
    for (Column<R> c : table.columns()) {
      if (sharedRow.contains(c)) {
        assertThat(section)
            .as(table.name() + " run-field column " + c.name())
            .contains("`" + c.name() + "`");
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
      assertThat(declared)
          .as(
              table.name()
                  + ": docs/TABLES.md documents a column '"
                  + name
                  + "' that is not declared")
          .isTrue();
    }
  }

  @Test
  void specDocNamesEveryRunField() throws Exception {
    String doc = read("SPEC.md");
    for (RunConfig.Field f : RunConfig.FIELDS) {
      assertThat(doc).as("run field " + f.name()).contains("| `" + f.name() + "` |");
    }
  }

  /**
   * Every package under a module's {@code src/main/java} (every module of the build, so a new one
   * counts too) has a {@code package-info.java} that says what it may depend on: the layout is the
   * architecture (docs/ARCHITECTURE.md), and a package without that paragraph hides it.
   */
  @Test
  void everyPackageHasPackageInfoWithItsDependencies() throws Exception {
    TreeMap<String, Path> packages = new TreeMap<>();
    try (Stream<Path> modules = Files.list(Path.of(".."))) {
      List<Path> roots =
          modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
      for (Path sources : roots) {
        try (Stream<Path> dirs = Files.walk(sources)) {
          for (Path dir : dirs.filter(DocsTests::holdsClasses).toList()) {
            String name = sources.relativize(dir).toString();
            packages.put(name.replace(dir.getFileSystem().getSeparator(), "."), dir);
          }
        }
      }
    }
    assertThat(packages)
        .as("packages found under ../*/src/main/java")
        .containsKeys("org.phasemap.worker", "org.phasemap.jobs", "org.phasemap.driver.cli");
    List<String> missing = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (var e : packages.entrySet()) {
      Path info = e.getValue().resolve("package-info.java");
      if (!Files.exists(info)) {
        missing.add(e.getKey());
      } else if (!Files.readString(info).contains("<p>Dependencies:")) {
        silent.add(e.getKey());
      }
    }
    assertThat(missing).as("packages without a package-info.java").isEmpty();
    assertThat(silent).as("package-info.java without a '<p>Dependencies:' paragraph").isEmpty();
  }

  /** A folder holding at least one Java source file other than package-info.java. */
  private static boolean holdsClasses(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .anyMatch(n -> n.endsWith(".java") && !n.equals("package-info.java"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
