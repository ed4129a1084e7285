package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.LocalSpark;
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.PlannedRun;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.tables.ResultTables;
import org.phasemap.worker.io.ModelFiles;
import org.phasemap.worker.model.Parameters;

/** {@code phasemap export} on a real one-run sweep: from the saved weights, and by retraining. */
class ExportCommandTests {
  static final String SPEC =
      String.join(
          "\n",
          "name: one",
          "seed: 5",
          "preset: zhong2023",
          "fixed:",
          "  modulus: 11",
          "  d_model: 8",
          "  n_heads: 2",
          "  steps: 30",
          "  lr: 0.01",
          "  log_interval: 10",
          "");

  static SparkSession spark;
  static Path root;
  static PlannedRun run;

  @BeforeAll
  static void trainOneRun(@TempDir Path dir) throws Exception {
    spark = LocalSpark.builder("ExportCommandTests", 1).getOrCreate();
    SweepSpec spec = SweepSpecParser.parse(SPEC, "one.yaml");
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    run = plan.get(0);
    root = dir.resolve("results");
    SweepRunner.run(
        spark,
        spec,
        plan,
        new SweepRunner.Options(
            root.toString(),
            false,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            1000));
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static ExportCommand command(String runId, Path out, boolean retrain) {
    ExportCommand c = new ExportCommand();
    c.root = root.toString();
    c.runId = runId;
    c.out = out;
    c.retrain = retrain;
    return c;
  }

  @Test
  void exportsTheSavedWeightsAndRetrainingReproducesThemBitForBit(@TempDir Path tmp)
      throws Exception {
    Path saved = Path.of(ResultTables.weightsFile(root.toString(), "one", run.runId()));
    Parameters original = ModelFiles.loadNpz(saved).parameters();

    Path out = tmp.resolve("exported");
    assertThat(command(run.runId(), out, false).export(spark)).isZero();
    ModelFiles.Loaded exported = ModelFiles.load(out);
    assertThat(exported.config()).isEqualTo(run.config());
    assertSame(original, exported.parameters());

    Files.delete(saved);
    assertThatThrownBy(() -> command(run.runId(), tmp.resolve("x"), false).export(spark))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no weights for it")
        .hasMessageContaining("add --retrain");
    Path retrained = tmp.resolve("retrained.npz");
    assertThat(command(run.runId(), retrained, true).export(spark)).isZero();
    assertSame(original, ModelFiles.loadNpz(retrained).parameters());
  }

  @Test
  void unknownRunIsBadInput(@TempDir Path tmp) {
    assertThatThrownBy(() -> command("0123456789abcdef", tmp, false).export(spark))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot export run 0123456789abcdef: no such run in " + root);
    assertThatThrownBy(() -> command("nope", tmp, false).export(spark))
        .hasMessageStartingWith("Cannot export run: a run id is 16 lowercase hex digits");
  }

  static void assertSame(Parameters a, Parameters b) {
    assertThat(b.names()).containsExactlyElementsOf(a.names());
    for (String n : a.names()) {
      assertThat(b.get(n).data().asFloat()).as(n).containsExactly(a.get(n).data().asFloat());
    }
  }
}
