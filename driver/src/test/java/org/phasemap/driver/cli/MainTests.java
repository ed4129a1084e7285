package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, help and error messages. */
class MainTests {
  @TempDir Path tmp;

  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args);
      return new Outcome(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void helpListsEverySubcommand() {
    Outcome o = run("--help");
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("plan", "run", "sql");
    for (String sub : new String[] {"plan", "run", "sql"}) {
      Outcome h = run(sub, "--help");
      assertThat(h.code()).as(sub).isZero();
      assertThat(h.out()).as(sub).contains("Usage: phasemap " + sub);
    }
  }

  @Test
  void noCommandIsAUsageErrorWithTheUsageOnStderr() {
    Outcome o = run();
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("Usage: phasemap", "run", "sql");
    assertThat(o.out()).isEmpty();
  }

  @Test
  void aBadSpecIsBadInputAndAnUnknownOptionAUsageError(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    java.nio.file.Files.writeString(bad, "name: bad\npreset: zhong2023\nfixed:\n  d_model: 10\n");
    Outcome spec = run("plan", bad.toString());
    assertThat(spec.code()).isEqualTo(2);
    assertThat(spec.err()).contains("fixed.d_model", "10");
    Outcome option = run("plan", "--nope", bad.toString());
    assertThat(option.code()).isEqualTo(2);
    assertThat(option.err()).contains("Unknown option: '--nope'");
  }

  @Test
  void runRefusesASweepAboveTheSizeGuardBeforeAnythingTrains(@TempDir Path tmp) throws Exception {
    Path big = tmp.resolve("big.yaml");
    Files.writeString(
        big,
        String.join(
            "\n",
            "name: big",
            "preset: zhong2023",
            "fixed:",
            "  steps: 100",
            "grid:",
            "  init_seed: ["
                + java.util.stream.IntStream.range(0, 120)
                    .mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(", "))
                + "]",
            "  data_seed: ["
                + java.util.stream.IntStream.range(0, 100)
                    .mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(", "))
                + "]",
            ""));
    Path out = tmp.resolve("out");
    Outcome o = run("run", big.toString(), "--out", out.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.out()).contains("Sweep big: 12000 runs, about");
    assertThat(o.err())
        .contains("Not training sweep big: 12000 runs", "above the size guard", "--allow-large");
    assertThat(out).doesNotExist();
    Outcome plan = run("plan", big.toString(), "--limit", "0");
    assertThat(plan.code()).isZero();
    assertThat(plan.out()).contains("cost         12000 runs, about", "'run' needs --allow-large");
  }

  @Test
  void planShowsWhatThePresetGivesAndOneNotationPerAxis(@TempDir Path tmp) throws Exception {
    Path spec = tmp.resolve("lr.yaml");
    Files.writeString(spec, "name: lr\npreset: nanda2023\ngrid:\n  lr: [0.001, 0.0001, 0.00003]\n");
    Outcome o = run("plan", spec.toString());
    assertThat(o.code()).isZero();
    assertThat(o.out())
        .contains("preset nanda2023 gives", "modulus 113", "d_model 128", "d_mlp 4 x d_model");
    assertThat(o.out()).contains("lr  3 values: 1e-3, 1e-4, 3e-5");
  }

  @Test
  void benchRefusesAWidthTheHeadsCannotSplitBeforeMeasuringAnything() {
    Outcome o =
        run(
            "bench",
            "--cases",
            "zhong2023:59:32:1:relu,zhong2023:59:30:1:relu",
            "--skip-sweep",
            "--out",
            tmp.resolve("bench.md").toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--cases", "30", "multiple of 4");
    assertThat(o.out()).doesNotContain("zhong2023 p=59");
    assertThat(tmp.resolve("bench.md")).doesNotExist();
  }

  @Test
  void benchRefusesAMalformedCaseNamingWhatIsAllowed() {
    Outcome shape =
        run(
            "bench",
            "--cases",
            "zhong2023:59:32",
            "--skip-sweep",
            "--out",
            tmp.resolve("bench.md").toString());
    assertThat(shape.code()).isEqualTo(2);
    assertThat(shape.err()).contains("zhong2023:59:32", "preset:p:d_model:n_layers:activation");
    Outcome act =
        run(
            "bench",
            "--cases",
            "zhong2023:59:32:2:tanh",
            "--skip-sweep",
            "--out",
            tmp.resolve("bench.md").toString());
    assertThat(act.code()).isEqualTo(2);
    assertThat(act.err()).contains("activation", "tanh", "relu | gelu");
    assertThat(tmp.resolve("bench.md")).doesNotExist();
  }

  @Test
  void planPrintsCountAndRunIdsOfTheDemoSpec() {
    Path demo = Path.of("..", "conf", "sweeps", "demo.yaml");
    Outcome o = run("plan", demo.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("demo").contains("6").containsPattern("[0-9a-f]{16}");
  }

  @Test
  void badSpecExitsWithTwoAndNamesTheField() throws Exception {
    Path spec =
        Files.writeString(
            tmp.resolve("bad.yaml"),
            "name: bad\npreset: zhong2023\ngrid:\n  attention_rate: [0.0, 1.5]\n");
    Outcome o = run("plan", spec.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains("phasemap: Invalid sweep spec")
        .contains("grid.attention_rate[1]")
        .contains("1.5")
        .contains("[0, 1]");
  }

  @Test
  void missingSpecFileExitsWithTwo() {
    Outcome o =
        run("run", tmp.resolve("nope.yaml").toString(), "--out", tmp.resolve("r").toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("phasemap: Cannot read sweep spec").contains("nope.yaml");
  }

  @Test
  void runWithoutOutIsAUsageError() {
    Outcome o = run("run", "x.yaml");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("Missing required option: '--out=ROOT'");
  }
}
