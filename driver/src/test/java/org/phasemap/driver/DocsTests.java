package org.phasemap.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.phasemap.driver.output.RunsTable;
import org.phasemap.driver.output.StepsTable;
import org.phasemap.driver.output.TableSchema;
import org.phasemap.worker.RunConfig;

/**
 * The reference docs name every column and every spec field, and every package explains itself in
 * a package-info.java, so they cannot silently drift.
 */
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

  /**
   * Every package under a module's {@code src/main/java} (every module of the build, so a new one
   * counts too) has a {@code package-info.java} that says what it may depend on: the layout is
   * the architecture (docs/ARCHITECTURE.md), and a package without that paragraph hides it.
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
}
