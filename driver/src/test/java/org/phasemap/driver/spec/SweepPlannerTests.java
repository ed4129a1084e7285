package org.phasemap.driver.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.phasemap.worker.RunConfig;

class SweepPlannerTests {

  private static final String DEMO = SweepSpecParserTests.DEMO;

  private static SweepSpec parse(String text) {
    return SweepSpecParser.parse(text, "t.yaml");
  }

  private static List<String> ids(SweepSpec spec) {
    return SweepPlanner.expand(spec).stream().map(PlannedRun::runId).toList();
  }

  @Test
  void expandsTheGridWithTheFirstAxisSlowest() {
    List<PlannedRun> runs = SweepPlanner.expand(parse(DEMO));

    assertThat(runs).hasSize(6);
    assertThat(runs).extracting(PlannedRun::index).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(runs)
        .extracting(PlannedRun::point)
        .containsExactly(
            Map.of("attention_rate", 0.0, "init_seed", 0L),
            Map.of("attention_rate", 0.0, "init_seed", 1L),
            Map.of("attention_rate", 0.5, "init_seed", 0L),
            Map.of("attention_rate", 0.5, "init_seed", 1L),
            Map.of("attention_rate", 1.0, "init_seed", 0L),
            Map.of("attention_rate", 1.0, "init_seed", 1L));
    assertThat(runs.get(0).point().keySet()).containsExactly("attention_rate", "init_seed");
    assertThat(runs).allSatisfy(r -> assertThat(r.runId()).isEqualTo(r.config().runId()));
    assertThat(runs).extracting(PlannedRun::runId).doesNotHaveDuplicates();
  }

  @Test
  void buildsRunsFromPresetFixedPointAndSeeds() {
    PlannedRun run = SweepPlanner.expand(parse(DEMO)).get(3);

    Map<String, Object> values = new LinkedHashMap<>();
    values.put("preset", "zhong2023");
    values.put("modulus", 23);
    values.put("d_model", 64);
    values.put("steps", 2000);
    values.put("log_interval", 50);
    values.put("attention_rate", 0.5);
    values.put("init_seed", 1L);
    values.put("data_seed", 7L);
    RunConfig expected = RunConfig.fromMap(values);

    assertThat(run.config()).isEqualTo(expected);
    assertThat(run.runId()).isEqualTo(expected.runId());
    assertThat(run.config().dMlp()).isEqualTo(256);
  }

  @Test
  void plansASingleRunWithoutAxes() {
    List<PlannedRun> runs = SweepPlanner.expand(parse("name: one\npreset: nanda2023\n"));

    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).point()).isEmpty();
    assertThat(runs.get(0).config()).isEqualTo(RunConfig.fromMap(Map.of("preset", "nanda2023")));
  }

  @Test
  void givesTheSameIdsWhenTheSameSpecIsParsedTwice() {
    assertThat(ids(parse(DEMO))).isEqualTo(ids(parse(DEMO)));
    assertThat(parse(DEMO).fingerprint()).isEqualTo(parse(DEMO).fingerprint()).hasSize(16);
  }

  @Test
  void ignoresCommentsLayoutAndTheOrderOfFixedKeys() {
    String reordered =
        """
        # the demo again, written differently
        preset: zhong2023
        name: demo
        seed: 7
        fixed: {log_interval: 50, steps: 2000,   d_model: 64, modulus: 23}   # flow style
        grid:
          attention_rate:
            - 0.0
            - 0.5
            - 1
          init_seed: [0, 1]
        """;

    assertThat(ids(parse(reordered))).isEqualTo(ids(parse(DEMO)));
    assertThat(parse(reordered).fingerprint()).isEqualTo(parse(DEMO).fingerprint());
  }

  @Test
  void keepsTheFingerprintButNotTheOrderWhenAxesAreReordered() {
    String swapped =
        DEMO.replace(
            "  attention_rate: [0.0, 0.5, 1.0]\n  init_seed: [0, 1]\n",
            "  init_seed: [1, 0]\n  attention_rate: [1.0, 0.0, 0.5]\n");
    assertThat(swapped).isNotEqualTo(DEMO);

    assertThat(parse(swapped).fingerprint()).isEqualTo(parse(DEMO).fingerprint());
    assertThat(ids(parse(swapped))).isNotEqualTo(ids(parse(DEMO)));
    assertThat(ids(parse(swapped))).containsExactlyInAnyOrderElementsOf(ids(parse(DEMO)));
  }

  @Test
  void ignoresTheNameAndDescriptionInTheFingerprint() {
    String renamed = DEMO.replace("name: demo", "name: demo2").replace("small demo", "other words");

    assertThat(parse(renamed).fingerprint()).isEqualTo(parse(DEMO).fingerprint());
  }

  @Test
  void changesIdsAndFingerprintWhenAValueChanges() {
    String changed = DEMO.replace("modulus: 23", "modulus: 29");

    assertThat(parse(changed).fingerprint()).isNotEqualTo(parse(DEMO).fingerprint());
    assertThat(ids(parse(changed))).doesNotContainAnyElementsOf(ids(parse(DEMO)));
  }

  @Test
  void changesIdsAndFingerprintWhenAnAxisValueChanges() {
    String changed = DEMO.replace("[0.0, 0.5, 1.0]", "[0.0, 0.25, 1.0]");

    assertThat(parse(changed).fingerprint()).isNotEqualTo(parse(DEMO).fingerprint());
    assertThat(ids(parse(changed)).get(2)).isNotEqualTo(ids(parse(DEMO)).get(2));
    assertThat(ids(parse(changed)).get(0)).isEqualTo(ids(parse(DEMO)).get(0));
  }

  @Test
  void defaultsBothRunSeedsToTheSweepSeed() {
    List<PlannedRun> runs =
        SweepPlanner.expand(
            parse("name: s\nseed: 42\npreset: zhong2023\ngrid:\n  modulus: [23, 29]\n"));

    assertThat(runs)
        .allSatisfy(
            r -> {
              assertThat(r.config().initSeed()).isEqualTo(42L);
              assertThat(r.config().dataSeed()).isEqualTo(42L);
            });
  }

  @Test
  void keepsRunSeedsThatTheSpecSets() {
    List<PlannedRun> runs = SweepPlanner.expand(parse(DEMO));

    assertThat(runs).extracting(r -> r.config().initSeed()).containsExactly(0L, 1L, 0L, 1L, 0L, 1L);
    assertThat(runs).extracting(r -> r.config().dataSeed()).containsOnly(7L);
  }

  @Test
  void changesIdsAndFingerprintWithTheSweepSeedWhileItIsUsed() {
    String reseeded = DEMO.replace("seed: 7", "seed: 8");

    assertThat(parse(reseeded).fingerprint()).isNotEqualTo(parse(DEMO).fingerprint());
    assertThat(ids(parse(reseeded))).doesNotContainAnyElementsOf(ids(parse(DEMO)));
  }

  @Test
  void ignoresTheSweepSeedWhenTheSpecSetsBothRunSeeds() {
    String both =
        "name: s\n"
            + "seed: %d\n"
            + "preset: zhong2023\n"
            + "fixed:\n"
            + "  data_seed: 3\n"
            + "grid:\n"
            + "  init_seed: [0, 1]\n";

    assertThat(parse(both.formatted(1)).fingerprint())
        .isEqualTo(parse(both.formatted(2)).fingerprint());
    assertThat(ids(parse(both.formatted(1)))).isEqualTo(ids(parse(both.formatted(2))));
  }

  @Test
  void iteratesLazilyTheSameRunsAsExpand() {
    SweepSpec spec = parse(DEMO);
    List<PlannedRun> iterated = new ArrayList<>();
    Iterator<PlannedRun> it = SweepPlanner.iterate(spec);
    it.forEachRemaining(iterated::add);

    assertThat(iterated).isEqualTo(SweepPlanner.expand(spec));
    assertThatThrownBy(it::next)
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("Cannot plan run #6: the sweep has 6");
  }

  @Test
  void iteratesAHundredThousandPointGrid() {
    StringBuilder rates = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      rates.append(i == 0 ? "" : ", ").append(i / 99.0);
    }
    StringBuilder seeds = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      seeds.append(i == 0 ? "" : ", ").append(i);
    }
    SweepSpec spec =
        parse(
            "name: big\n"
                + "preset: zhong2023\n"
                + "fixed:\n"
                + "  modulus: 5\n"
                + "  d_model: 4\n"
                + "  steps: 1\n"
                + "  log_interval: 1\n"
                + "grid:\n"
                + "  attention_rate: ["
                + rates
                + "]\n  init_seed: ["
                + seeds
                + "]\n");

    long count = 0;
    PlannedRun last = null;
    for (Iterator<PlannedRun> it = SweepPlanner.iterate(spec); it.hasNext(); count++) {
      last = it.next();
    }

    assertThat(spec.runCount()).isEqualTo(100_000);
    assertThat(count).isEqualTo(100_000);
    assertThat(last.index()).isEqualTo(99_999);
    assertThat(last.point())
        .containsExactly(Map.entry("attention_rate", 1.0), Map.entry("init_seed", 999L));
  }

  @Test
  void previewsTheSweep() {
    SweepSpec spec = parse(DEMO);
    List<PlannedRun> runs = SweepPlanner.expand(spec);

    String preview = SweepPlanner.preview(spec, 2);

    assertThat(preview)
        .contains("sweep        demo - small demo")
        .contains("preset       zhong2023")
        .contains("fingerprint  " + spec.fingerprint())
        .contains("runs         6 = attention_rate 3 x init_seed 2")
        .contains("  modulus       23\n")
        .contains("  data_seed     7  (sweep seed)\n")
        .contains("  attention_rate  3 values: 0.0, 0.5, 1.0\n")
        .contains("first 2 of 6 runs\nindex  run_id            attention_rate  init_seed\n")
        .contains("0      " + runs.get(0).runId() + "  0.0             0\n")
        .contains(runs.get(1).runId())
        .doesNotContain(runs.get(2).runId())
        .endsWith("... 4 more\n");
  }

  @Test
  void previewsAllRunsWhenTheLimitAllows() {
    SweepSpec spec = parse(DEMO);

    String preview = SweepPlanner.preview(spec, 100);

    assertThat(preview).contains("all 6 runs\n").doesNotContain("more");
    SweepPlanner.expand(spec).forEach(r -> assertThat(preview).contains(r.runId()));
  }

  @Test
  void previewsWithoutATableAtLimitZero() {
    String preview = SweepPlanner.preview(parse(DEMO), 0);

    assertThat(preview).contains("runs         6").doesNotContain("run_id");
  }

  @Test
  void rejectsANegativePreviewLimit() {
    assertThatThrownBy(() -> SweepPlanner.preview(parse(DEMO), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot preview sweep: limit must be >= 0 (got -1)");
  }

  @Test
  void rejectsAnInvalidRunOfASpecBuiltInCode() {
    SweepSpec spec =
        new SweepSpec(
            "x",
            null,
            0,
            RunConfig.Preset.ZHONG2023,
            Map.of("d_model", 64),
            List.of(new Axis("n_heads", List.of(1, 3))),
            null);

    assertThat(SweepPlanner.iterate(spec).next().point()).containsExactly(Map.entry("n_heads", 1));
    assertThatThrownBy(() -> SweepPlanner.expand(spec))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage(
            "Invalid sweep spec x: grid point {n_heads=3} (run #1): Invalid d_model: 64 (allowed:"
                + " integer in [2, 4096], divisible by n_heads; n_heads is 3)");
  }

  @Test
  void rejectsAFieldBothFixedAndOnAnAxisInCode() {
    assertThatThrownBy(
            () ->
                new SweepSpec(
                    "x",
                    "",
                    0,
                    RunConfig.Preset.ZHONG2023,
                    Map.of("modulus", 23),
                    List.of(new Axis("modulus", List.of(29))),
                    ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create sweep spec x: modulus is both fixed and an axis");
  }

  @Test
  void rejectsDuplicateAxisValuesInCode() {
    assertThatThrownBy(() -> new Axis("attention_rate", List.of(1, 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create axis attention_rate: values must be distinct (got 1.0 twice)");
  }
}
