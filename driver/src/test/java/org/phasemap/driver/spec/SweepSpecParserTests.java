package org.phasemap.driver.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepSpecParserTests {

  static final String DEMO =
      """
      name: demo                 # required
      description: small demo    # optional free text
      seed: 7
      preset: zhong2023
      fixed:
        modulus: 23
        d_model: 64
        steps: 2000
        log_interval: 50
      grid:
        attention_rate: [0.0, 0.5, 1.0]
        init_seed: [0, 1]
      """;

  /** A valid spec with {@code body} appended to its top level. */
  private static String spec(String body) {
    return "name: t\npreset: zhong2023\n" + body;
  }

  private static SweepSpec parse(String text) {
    return SweepSpecParser.parse(text, "t.yaml");
  }

  private static void assertInvalid(String text, String problem) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage("Invalid sweep spec t.yaml: " + problem);
  }

  @Test
  void parsesTheDemoSpec() {
    SweepSpec spec = parse(DEMO);

    assertThat(spec.name()).isEqualTo("demo");
    assertThat(spec.description()).isEqualTo("small demo");
    assertThat(spec.seed()).isEqualTo(7L);
    assertThat(spec.preset().specName()).isEqualTo("zhong2023");
    assertThat(spec.fixed())
        .containsExactly(
            entry("modulus", 23),
            entry("d_model", 64),
            entry("steps", 2000),
            entry("log_interval", 50));
    assertThat(spec.axes())
        .containsExactly(
            new Axis("attention_rate", List.of(0.0, 0.5, 1.0)),
            new Axis("init_seed", List.of(0L, 1L)));
    assertThat(spec.runCount()).isEqualTo(6);
    assertThat(spec.sourceText()).isEqualTo(DEMO);
  }

  private static java.util.Map.Entry<String, Object> entry(String key, Object value) {
    return java.util.Map.entry(key, value);
  }

  /** The project's {@code conf/sweeps}, found above the working directory. */
  private static Path confSweeps() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("conf/sweeps/demo.yaml"))) {
      dir = dir.getParent();
      assertThat(dir).as("conf/sweeps/demo.yaml above the working directory").isNotNull();
    }
    return dir.resolve("conf/sweeps");
  }

  @Test
  void everySpecShippedInConfIsValidAndNamedAfterItsFile() throws Exception {
    List<Path> files;
    try (var list = Files.list(confSweeps())) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files)
        .extracting(f -> f.getFileName().toString())
        .contains("demo.yaml", "nanda2023.yaml", "zhong2023.yaml", "zhong2023-narrow.yaml");
    for (Path f : files) {
      SweepSpec spec = SweepSpecParser.parse(f);
      assertThat(spec.name() + ".yaml").as(f.toString()).isEqualTo(f.getFileName().toString());
      assertThat(spec.runCount()).as(f.toString()).isPositive();
    }
  }

  @Test
  void parsesTheDemoFileInConf() {
    Path file = Path.of("").toAbsolutePath();
    while (!Files.exists(file.resolve("conf/sweeps/demo.yaml"))) {
      file = file.getParent();
      assertThat(file).as("conf/sweeps/demo.yaml above the working directory").isNotNull();
    }
    SweepSpec spec = SweepSpecParser.parse(file.resolve("conf/sweeps/demo.yaml"));

    // the README's demo: a small real sweep whose results differ across the grid
    assertThat(spec.name()).isEqualTo("demo");
    assertThat(spec.preset().specName()).isEqualTo("zhong2023");
    assertThat(spec.runCount()).isBetween(4L, 12L);
    assertThat(spec.axes()).extracting(Axis::name).contains("attention_rate");
  }

  @Test
  void appliesDefaultsToOptionalKeys() {
    SweepSpec spec = parse(spec(""));

    assertThat(spec.description()).isEmpty();
    assertThat(spec.seed()).isZero();
    assertThat(spec.fixed()).isEmpty();
    assertThat(spec.axes()).isEmpty();
    assertThat(spec.runCount()).isEqualTo(1);
  }

  @Test
  void treatsEmptyFixedAndGridAsAbsent() {
    SweepSpec spec = parse(spec("fixed:\ngrid:\n"));

    assertThat(spec.fixed()).isEmpty();
    assertThat(spec.axes()).isEmpty();
  }

  @Test
  void convertsValuesToTheirFieldTypes() {
    SweepSpec spec = parse(spec("fixed:\n  lr: 1e-3\n  weight_decay: 1\n  modulus: 23.0\n"));

    assertThat(spec.fixed())
        .containsExactly(entry("lr", 0.001), entry("weight_decay", 1.0), entry("modulus", 23));
  }

  @Test
  void rejectsAnUnknownTopLevelKeyWithASuggestion() {
    assertInvalid(
        spec("gird:\n  init_seed: [0, 1]\n"),
        "unknown top-level key 'gird'; did you mean 'grid'? (allowed: name, description, seed,"
            + " preset, fixed, grid, random, refine, analysis)");
  }

  @Test
  void rejectsAnUnknownTopLevelKeyWithoutAFarFetchedSuggestion() {
    assertInvalid(
        spec("owner: me\n"),
        "unknown top-level key 'owner' (allowed: name, description, seed, preset, fixed, grid, random, refine, analysis)");
  }

  @Test
  void rejectsAnUnknownFieldInFixedWithASuggestion() {
    assertThatThrownBy(() -> parse(spec("fixed:\n  dmodel: 64\n")))
        .isInstanceOf(SweepSpecException.class)
        .hasMessageStartingWith(
            "Invalid sweep spec t.yaml: fixed.dmodel: unknown run field; did you mean 'd_model'?"
                + " (allowed: modulus, d_model, n_heads,")
        .hasMessageEndingWith("checkpoint_interval, precision, init_weights, split)")
        .hasMessageNotContaining("preset");
  }

  @Test
  void rejectsAnUnknownFieldInGrid() {
    assertThatThrownBy(() -> parse(spec("grid:\n  attention: [0.5]\n")))
        .isInstanceOf(SweepSpecException.class)
        .hasMessageStartingWith(
            "Invalid sweep spec t.yaml: grid.attention: unknown run field (allowed: modulus,");
  }

  @Test
  void rejectsAValueOfTheWrongType() {
    assertInvalid(
        spec("fixed:\n  modulus: two\n"),
        "fixed.modulus: Invalid modulus: two is not an integer (allowed: odd integer in [3,"
            + " 1000])");
  }

  @Test
  void rejectsAWrongTypeOnAnAxisNamingItsIndex() {
    assertInvalid(
        spec("grid:\n  causal: [true, maybe]\n"),
        "grid.causal[1]: Invalid causal: maybe is not true or false");
  }

  @Test
  void rejectsAnOutOfRangeAxisValueNamingItsIndex() {
    assertInvalid(
        spec("grid:\n  attention_rate: [0.0, 0.5, 1.5]\n"),
        "grid.attention_rate[2]: Invalid attention_rate: 1.5 (allowed: number in [0, 1])");
  }

  @Test
  void rejectsAnOutOfRangeFixedValue() {
    assertInvalid(
        spec("fixed:\n  modulus: 4\n"),
        "fixed.modulus: Invalid modulus: 4 (allowed: odd integer in [3, 1000])");
  }

  @Test
  void rejectsAListInFixed() {
    assertInvalid(
        spec("fixed:\n  modulus: [23, 29]\n"),
        "fixed.modulus: a fixed field takes one value; to sweep over several, move it to grid (got"
            + " [23, 29])");
  }

  @Test
  void rejectsAnEmptyAxis() {
    assertInvalid(
        spec("grid:\n  attention_rate: []\n"),
        "grid.attention_rate: an axis needs a non-empty list of values (got [])");
  }

  @Test
  void rejectsAScalarAxis() {
    assertInvalid(
        spec("grid:\n  attention_rate: 0.5\n"),
        "grid.attention_rate: an axis needs a non-empty list of values (got 0.5)");
  }

  @Test
  void rejectsADuplicateAxisValue() {
    assertInvalid(
        spec("grid:\n  init_seed: [0, 1, 0]\n"),
        "grid.init_seed[2]: duplicate value 0 (also at [0]); the values of an axis must be"
            + " distinct, or the same run would be planned twice");
  }

  @Test
  void rejectsValuesThatAreEqualOnceConverted() {
    assertInvalid(
        spec("grid:\n  attention_rate: [1, 1.0]\n"),
        "grid.attention_rate[1]: duplicate value 1.0 (also at [0]); the values of an axis must be"
            + " distinct, or the same run would be planned twice");
  }

  @Test
  void rejectsAFieldInBothFixedAndGrid() {
    assertInvalid(
        spec("fixed:\n  modulus: 23\ngrid:\n  modulus: [23, 29]\n"),
        "grid.modulus: modulus is set both in fixed and in grid; keep it in one of them");
  }

  @Test
  void rejectsThePresetInGrid() {
    assertInvalid(
        spec("grid:\n  preset: [nanda2023, zhong2023]\n"),
        "grid.preset: the preset is a top-level key, one per sweep (write 'preset: [nanda2023,"
            + " zhong2023]' at the top level); to compare presets, run one sweep each");
  }

  @Test
  void rejectsThePresetInFixedEvenWithoutATopLevelPreset() {
    assertInvalid(
        "name: t\nfixed:\n  preset: nanda2023\n",
        "fixed.preset: the preset is a top-level key, one per sweep (write 'preset: nanda2023' at"
            + " the top level); to compare presets, run one sweep each");
  }

  @Test
  void rejectsAnUnknownPreset() {
    assertInvalid(
        "name: t\npreset: zhong\n",
        "preset: Invalid preset: zhong (allowed: nanda2023 | zhong2023)");
  }

  @Test
  void rejectsMalformedYamlWithItsLineAndColumn() {
    assertThatThrownBy(() -> parse(spec("grid:\n  attention_rate: [0.0, 0.5\n  init_seed: [0]\n")))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage(
            "Cannot parse sweep spec t.yaml: line 5, column 12: expected ',' or ']', but got :"
                + " (while parsing a flow sequence at line 4, column 19)");
  }

  @Test
  void rejectsDuplicateKeysRatherThanKeepingTheLast() {
    assertThatThrownBy(() -> parse(spec("fixed:\n  modulus: 23\n  modulus: 29\n")))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage(
            "Cannot parse sweep spec t.yaml: line 5, column 3: found duplicate key modulus"
                + " (while constructing a mapping at line 4, column 3)");
  }

  @Test
  void rejectsAnEmptyDocument() {
    assertInvalid(
        "# nothing here\n",
        "the spec is empty; expected a mapping with keys name, description, seed, preset, fixed,"
            + " grid, random, refine, analysis");
  }

  @Test
  void rejectsATopLevelThatIsNotAMapping() {
    assertInvalid(
        "- name: t\n",
        "the top level must be a mapping with keys name, description, seed, preset, fixed, grid, random, refine, analysis"
            + " (got a list [{name=t}])");
  }

  @Test
  void rejectsAMissingName() {
    assertInvalid(
        "preset: zhong2023\n",
        "missing required key 'name' (1-64 characters of [a-z0-9_-], starting with a letter or"
            + " digit)");
  }

  @Test
  void rejectsAMissingPreset() {
    assertInvalid("name: t\n", "missing required key 'preset' (allowed: nanda2023 | zhong2023)");
  }

  @Test
  void rejectsANameWithBadCharacters() {
    assertInvalid(
        "name: My Sweep\npreset: zhong2023\n",
        "name: must be 1-64 characters of [a-z0-9_-], starting with a letter or digit (got 'My"
            + " Sweep')");
  }

  @Test
  void rejectsANameStartingWithADash() {
    assertInvalid(
        "name: -x\npreset: zhong2023\n",
        "name: must be 1-64 characters of [a-z0-9_-], starting with a letter or digit (got '-x')");
  }

  @Test
  void rejectsANameLongerThan64Characters() {
    String name = "a".repeat(65);
    assertInvalid(
        "name: " + name + "\npreset: zhong2023\n",
        "name: must be 1-64 characters of [a-z0-9_-], starting with a letter or digit (got '"
            + name
            + "')");
  }

  @Test
  void rejectsANameThatYamlReadsAsANumber() {
    assertInvalid(
        "name: 2024\npreset: zhong2023\n",
        "name: must be 1-64 characters of [a-z0-9_-], starting with a letter or digit; quote it if"
            + " it looks like a number (got 2024)");
  }

  @Test
  void acceptsANameOf64CharactersStartingWithADigit() {
    String name = "1" + "a_-".repeat(21);
    assertThat(parse("name: '" + name + "'\npreset: zhong2023\n").name()).isEqualTo(name);
  }

  @Test
  void rejectsASeedThatIsNotAnInteger() {
    assertInvalid(spec("seed: 1.5\n"), "seed: must be a 64-bit integer (got 1.5)");
  }

  @Test
  void rejectsAGridThatIsNotAMapping() {
    assertInvalid(
        spec("grid: [attention_rate]\n"),
        "grid: must be a mapping from run field to list of values (got a list [attention_rate])");
  }

  @Test
  void rejectsACrossFieldFailureNamingTheGridPoint() {
    assertInvalid(
        spec("fixed:\n  d_model: 64\ngrid:\n  n_heads: [1, 3]\n  attention_rate: [0.0, 1.0]\n"),
        "grid point {n_heads=3, attention_rate=0.0} (run #2): Invalid d_model: 64 (allowed: integer"
            + " in [2, 4096], divisible by n_heads; n_heads is 3) (2 of 4 grid points fail)");
  }

  @Test
  void saysWhenEveryGridPointFails() {
    assertInvalid(
        spec("fixed:\n  steps: 100\n  log_interval: 500\ngrid:\n  attention_rate: [0.0, 1.0]\n"),
        "grid point {attention_rate=0.0} (run #0): Invalid log_interval: 500 (allowed: integer in"
            + " [1, steps]) (all 2 grid points fail)");
  }

  @Test
  void rejectsAnIntervalLongerThanTheRunOnAnAxis() {
    assertInvalid(
        spec("fixed:\n  steps: 100\ngrid:\n  log_interval: [10, 1000]\n"),
        "grid point {log_interval=1000} (run #1): Invalid log_interval: 1000 (allowed: integer in"
            + " [1, steps])");
  }

  @Test
  void rejectsATrainFractionThatLeavesNoTrainingPairs() {
    assertInvalid(
        spec("fixed:\n  modulus: 3\n  train_fraction: 0.1\n"),
        "fixed: Cannot use train_fraction 0.1 with modulus 3: it leaves 0 of 9 pairs for training;"
            + " both the train and the test set must be non-empty");
  }

  @Test
  void acceptsValuesThatAreOnlyValidTogether() {
    SweepSpec spec = parse(spec("fixed:\n  n_heads: 3\ngrid:\n  d_model: [6, 96]\n"));

    assertThat(spec.runCount()).isEqualTo(2);
  }

  @Test
  void rejectsAGridOverTheRunLimit() {
    assertInvalid(
        spec("grid:\n  init_seed: [" + range(5000) + "]\n  data_seed: [" + range(5000) + "]\n"),
        "grid: the axes give more than 10000000 runs, the limit for one sweep (got init_seed 5000 x"
            + " data_seed 5000)");
  }

  private static String range(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(i);
    }
    return sb.toString();
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, spec("fixed:\n  modulus: 4\n"), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SweepSpecParser.parse(file))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage(
            "Invalid sweep spec "
                + file
                + ": fixed.modulus: Invalid modulus: 4 (allowed: odd integer in [3, 1000])");
  }

  @Test
  void rejectsAMissingFileNamingIt(@TempDir Path dir) {
    Path file = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> SweepSpecParser.parse(file))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage("Cannot read sweep spec " + file + ": no such file");
  }

  @Test
  void rejectsADirectoryNamingIt(@TempDir Path dir) {
    assertThatThrownBy(() -> SweepSpecParser.parse(dir))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage("Cannot read sweep spec " + dir + ": it is a directory");
  }

  @Test
  void exposesTheSourceAndTheProblemSeparately() {
    assertThatThrownBy(() -> parse("name: t\n"))
        .isInstanceOfSatisfying(
            SweepSpecException.class,
            e -> {
              assertThat(e.source()).isEqualTo("t.yaml");
              assertThat(e.problem())
                  .isEqualTo("missing required key 'preset' (allowed: nanda2023 | zhong2023)");
            });
  }

  @Test
  void readsTheAnalysisBlock() {
    SweepSpec spec =
        parse(
            spec(
                "analysis:\n  gs_triples: all\n  key_frequency_threshold: 0.8\n"
                    + "  classifier:\n    pizza_max_di: 0.35\n    di_variant: di_correct\n"));
    assertThat(spec.analysis().gsSampling().all()).isTrue();
    assertThat(spec.analysis().keyFrequencyThreshold()).isEqualTo(0.8);
    assertThat(spec.analysis().thresholds().pizzaMaxDi()).isEqualTo(0.35);
    assertThat(spec.analysis().thresholds().diVariant().column()).isEqualTo("di_correct");
    assertThat(spec.analysis().thresholds().clockMinDi()).isEqualTo(0.60);
    // non-default analysis settings make it a different sweep
    assertThat(spec.fingerprint()).isNotEqualTo(parse(spec("")).fingerprint());
    assertThat(parse(spec("analysis:\n  gs_triples: 1000\n")).fingerprint())
        .isEqualTo(parse(spec("")).fingerprint());
  }

  @Test
  void rejectsBadAnalysisSettingsWithThePlace() {
    assertThatThrownBy(() -> parse(spec("analysis:\n  gs_tripels: 2000\n")))
        .hasMessageContaining("analysis: unknown key 'gs_tripels'")
        .hasMessageContaining("gs_triples");
    assertThatThrownBy(() -> parse(spec("analysis:\n  gs_triples: 10\n")))
        .hasMessageContaining("analysis.gs_triples")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> parse(spec("analysis:\n  classifier:\n    pizza_max_di: 1.5\n")))
        .hasMessageContaining("analysis.classifier")
        .hasMessageContaining("pizza_max_di")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> parse(spec("analysis:\n  classifier:\n    di_variant: di_best\n")))
        .hasMessageContaining("analysis.classifier.di_variant: di_best is not allowed");
    assertThatThrownBy(() -> parse(spec("analysis:\n  key_frequency_floor: 2\n")))
        .hasMessageContaining("analysis.key_frequency_floor: 2 is not allowed");
  }

  @Test
  void readsTheLlcBlockUnderAnalysis() {
    SweepSpec spec =
        parse(
            spec(
                "analysis:\n  llc:\n    epsilon: 3.0e-5\n    chains: 2\n    nbeta: m/ln m\n    batch_size: 64\n"));
    assertThat(spec.analysis().llc()).isNotNull();
    assertThat(spec.analysis().llc().epsilon()).isEqualTo(3.0e-5);
    assertThat(spec.analysis().llc().numChains()).isEqualTo(2);
    assertThat(spec.analysis().llc().batchSize()).isEqualTo(64);
    assertThat(spec.analysis().llc().nBetaRule().name()).isEqualTo("BATCH_SIZE");
    assertThat(parse(spec("")).analysis().llc()).isNull();
    assertThat(spec.fingerprint()).isNotEqualTo(parse(spec("")).fingerprint());
  }

  @Test
  void rejectsBadLlcSettingsWithThePlace() {
    assertThatThrownBy(() -> parse(spec("analysis:\n  llc:\n    epsilonn: 0.1\n")))
        .hasMessageContaining("analysis.llc: unknown key 'epsilonn'")
        .hasMessageContaining("epsilon");
    assertThatThrownBy(() -> parse(spec("analysis:\n  llc:\n    epsilon: 0\n")))
        .hasMessageContaining("analysis.llc: ")
        .hasMessageContaining("epsilon")
        .hasMessageContaining("(got 0.0)");
    assertThatThrownBy(() -> parse(spec("analysis:\n  llc:\n    chains: two\n")))
        .hasMessageContaining("analysis.llc.chains: two is not an integer");
  }
}
