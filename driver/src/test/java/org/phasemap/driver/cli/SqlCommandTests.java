package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.LocalSpark;
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;

/** {@code phasemap sql}: the interactive shell and a bad one-shot query, on a real one-run root. */
class SqlCommandTests {
  static Path root;

  @BeforeAll
  static void trainOneRun(@TempDir Path dir) throws Exception {
    SparkSession spark = LocalSpark.builder("SqlCommandTests", 1).getOrCreate();
    try {
      SweepSpec spec = SweepSpecParser.parse(ExportCommandTests.SPEC, "one.yaml");
      root = dir.resolve("results");
      SweepRunner.run(
          spark,
          spec,
          SweepPlanner.expand(spec),
          new SweepRunner.Options(
              root.toString(),
              false,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              1000));
    } finally {
      spark.stop();
    }
  }

  @Test
  void theShellRunsManyStatementsInOneSession() throws Exception {
    SparkSession spark = LocalSpark.builder("SqlCommandTests-shell", 1).getOrCreate();
    String input =
        String.join(
            "\n",
            "tables",
            "SELECT count(*) AS n,",
            "  min(status) AS status FROM runs;",
            "SELECT nonsense FROM runs;",
            "SELEC 1;",
            "describe steps",
            "exit",
            "SELECT 'never reached';",
            "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new SqlShell(spark, root.toString(), 100, 60)
          .run(
              SqlShell.plain(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))),
              new PrintStream(out, true, StandardCharsets.UTF_8));
    } finally {
      spark.stop();
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("runs          1 rows", "steps         4 rows");
    // the statement over two lines ran once, with its timing
    assertThat(text).containsPattern("\\| n +\\| status +\\|");
    assertThat(text).containsPattern("\\| +1 \\| ok +\\|");
    assertThat(text).contains("(1 row in ");
    // errors: their first line only, never the plan
    assertThat(text).contains("Error: [UNRESOLVED_COLUMN");
    assertThat(text).contains("Error: [PARSE_SYNTAX_ERROR]");
    assertThat(text).doesNotContain("Project [", "== SQL ==");
    // describe lists the view's columns; exit stops before the last statement
    assertThat(text).contains("train_loss", "sum_sq_weights");
    assertThat(text).doesNotContain("never reached");
  }

  @Test
  void aBadOneShotQueryIsBadInputWithItsFirstLine() {
    MainTests.Outcome o = MainTests.run("sql", root.toString(), "SELECT nonsense FROM runs");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains("Cannot run the query: [UNRESOLVED_COLUMN", "(got SELECT nonsense FROM runs)");
    assertThat(o.err()).doesNotContain("Project [");
    MainTests.Outcome ok = MainTests.run("sql", root.toString(), "SELECT count(*) AS n FROM runs");
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("|  n|", "|  1|");
  }
}
