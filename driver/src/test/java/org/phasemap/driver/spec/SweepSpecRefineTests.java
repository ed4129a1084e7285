package org.phasemap.driver.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.phasemap.driver.refine.RefineSettings;

class SweepSpecRefineTests {

  private static final String BASE =
      """
      name: t
      seed: 5
      preset: zhong2023
      fixed:
        n_heads: 1
      grid:
        init_seed: [0, 1]
        activation: [relu, gelu]
      random:
        samples: 8
        axes:
          attention_rate: uniform(0, 1)
          d_model: log_uniform(32, 512)
          n_layers: choice([1, 2])
      """;

  private static SweepSpec parse(String text) {
    return SweepSpecParser.parse(text, "t.yaml");
  }

  private static void assertInvalid(String refine, String problem) {
    assertThatThrownBy(() -> parse(BASE + "refine:\n" + refine))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage("Invalid sweep spec t.yaml: " + problem);
  }

  @Test
  void parsesTheRefineBlock() {
    SweepSpec spec =
        parse(
            BASE
                + "refine:\n  budget: 300\n  rounds: 6\n  axes: [d_model, attention_rate]\n"
                + "  min_spacing: {attention_rate: 0.005}\n  seed: 9\n");

    RefineSettings r = spec.refine();
    assertThat(r.budget()).isEqualTo(300);
    assertThat(r.rounds()).isEqualTo(6);
    assertThat(r.perRound()).isEqualTo(50);
    assertThat(r.label()).isEqualTo("final_label");
    assertThat(r.axes()).containsExactly("d_model", "attention_rate");
    assertThat(r.minSpacing()).containsExactly(0.01, 0.005);
    assertThat(r.seed()).isEqualTo(9L);
    assertThat(spec.runCount()).isEqualTo(32); // refinement runs are not planned up front
  }

  @Test
  void appliesDefaultsAndTheSweepSeed() {
    RefineSettings r = parse(BASE + "refine:\n  budget: 3\n  axes: [init_seed]\n").refine();

    assertThat(r.rounds()).isEqualTo(3);
    assertThat(r.perRound()).isEqualTo(1);
    assertThat(r.minSpacing()).containsExactly(0.01);
    assertThat(r.seed()).isEqualTo(5L);
    assertThat(parse(BASE + "refine:\n  budget: 10\n  axes: [init_seed]\n").refine().perRound())
        .isEqualTo(3);
  }

  @Test
  void theFingerprintIncludesTheRefineBlock() {
    String a = BASE + "refine:\n  budget: 10\n  axes: [attention_rate]\n";
    assertThat(parse(a).fingerprint())
        .isEqualTo(parse(a).fingerprint())
        .isNotEqualTo(parse(BASE).fingerprint())
        .isNotEqualTo(parse(a.replace("budget: 10", "budget: 11")).fingerprint());
  }

  @Test
  void rejectsBadRefineBlocks() {
    assertInvalid(
        "  axes: [attention_rate]\n",
        "refine.budget: missing; give the number of extra runs, an integer >= 1");
    assertInvalid(
        "  budget: 0\n  axes: [attention_rate]\n",
        "refine.budget: must be an integer >= 1 (got 0)");
    assertInvalid(
        "  budget: 4\n  rounds: 5\n  axes: [attention_rate]\n",
        "refine.rounds: at most budget = 4 rounds, one run each (got 5)");
    assertInvalid(
        "  budget: 4\n  axes: [attention_rate]\n  label: final_lable\n",
        "refine.label: 'final_lable' is not a label column of the runs table; did you mean"
            + " 'final_label'? (allowed: final_label)");
    assertInvalid(
        "  budget: 4\n  axes: [attention_rte]\n",
        "refine.axes[0]: attention_rte is not a numeric grid axis with two or more values nor a"
            + " numeric random axis; did you mean 'attention_rate'? (allowed: init_seed,"
            + " attention_rate, d_model)");
    assertInvalid(
        "  budget: 4\n  axes: [activation]\n",
        "refine.axes[0]: activation is not a numeric grid axis with two or more values nor a"
            + " numeric random axis (allowed: init_seed, attention_rate, d_model)");
    assertInvalid(
        "  budget: 4\n  axes: [n_layers]\n",
        "refine.axes[0]: n_layers is not a numeric grid axis with two or more values nor a numeric"
            + " random axis (allowed: init_seed, attention_rate, d_model)");
    assertInvalid(
        "  budget: 4\n  axes: [d_model, d_model]\n", "refine.axes[1]: d_model is listed twice");
    assertInvalid(
        "  budget: 4\n  axes: attention_rate\n",
        "refine.axes: expected a non-empty list of axes (got attention_rate) (allowed: init_seed,"
            + " attention_rate, d_model)");
    assertInvalid(
        "  budget: 4\n  axes: [attention_rate]\n  min_spacing: 0.7\n",
        "refine.min_spacing: must be a number in (0, 0.5], a share of the normalised axis (got"
            + " 0.7)");
    assertInvalid(
        "  budget: 4\n  axes: [attention_rate]\n  min_spacing: {d_model: 0.1}\n",
        "refine.min_spacing.d_model: unknown axis (allowed: attention_rate)");
    assertInvalid(
        "  budget: 4\n  axes: [attention_rate]\n  steps: 3\n",
        "refine.steps: unknown key (allowed: budget, rounds, label, axes, min_spacing, seed)");
  }

  @Test
  void theWorkedExampleOfTheSamplingGuideParses() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
    while (!java.nio.file.Files.exists(dir.resolve("docs/SAMPLING.md"))) {
      dir = dir.getParent();
      assertThat(dir).as("docs/SAMPLING.md above the working directory").isNotNull();
    }
    String doc = java.nio.file.Files.readString(dir.resolve("docs/SAMPLING.md"));
    int start = doc.indexOf("name: alpha-width");
    String yaml = doc.substring(start, doc.indexOf("```", start));

    SweepSpec spec = parse(yaml);
    assertThat(spec.runCount()).isEqualTo(256);
    assertThat(spec.refine().perRound()).isEqualTo(48);
  }

  @Test
  void theRecordChecksItsAxesToo() {
    assertThatThrownBy(
            () ->
                new SweepSpec(
                    "t",
                    "",
                    0,
                    org.phasemap.worker.RunConfig.Preset.ZHONG2023,
                    java.util.Map.of(),
                    List.of(),
                    "",
                    null,
                    null,
                    new RefineSettings(4, 1, "final_label", List.of("lr"), new double[] {0.1}, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot create sweep spec t: refine axis lr is neither a grid nor a random axis");
  }
}
