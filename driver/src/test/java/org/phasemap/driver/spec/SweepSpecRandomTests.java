package org.phasemap.driver.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepSpecRandomTests {

  static final String RANDOM =
      """
      name: plane
      seed: 3
      preset: zhong2023
      fixed:
        modulus: 23
        steps: 1000
        n_heads: 4
      grid:
        init_seed: [0, 1]
      random:
        samples: 64
        sequence: sobol
        axes:
          attention_rate: uniform(0, 1)
          d_model: log_uniform(32, 512, step=4)
          n_layers: int_uniform(1, 4)
          activation: choice([relu, gelu])
      """;

  private static SweepSpec parse(String text) {
    return SweepSpecParser.parse(text, "t.yaml");
  }

  private static String withRandom(String block) {
    return "name: t\npreset: zhong2023\nrandom:\n" + block;
  }

  private static void assertInvalid(String text, String problem) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(SweepSpecException.class)
        .hasMessage("Invalid sweep spec t.yaml: " + problem);
  }

  private static List<String> ids(SweepSpec spec) {
    return SweepPlanner.expand(spec).stream().map(PlannedRun::runId).toList();
  }

  @Test
  void parsesTheRandomBlock() {
    SweepSpec spec = parse(RANDOM);

    assertThat(spec.random().samples()).isEqualTo(64);
    assertThat(spec.random().axes())
        .extracting(RandomAxes.Axis::name)
        .containsExactly("attention_rate", "d_model", "n_layers", "activation");
    assertThat(spec.random().axes().get(3).distribution().choices())
        .containsExactly("relu", "gelu");
    assertThat(spec.runCount()).isEqualTo(128);
    assertThat(spec.sets("d_model")).isTrue();
  }

  @Test
  void randomValuesRespectTheirBoundsAndTypes() {
    List<PlannedRun> runs = SweepPlanner.expand(parse(RANDOM));

    assertThat(runs).hasSize(128);
    Set<Object> layers = new HashSet<>();
    Set<Object> activations = new HashSet<>();
    for (PlannedRun run : runs) {
      Map<String, Object> p = run.point();
      assertThat(p.keySet())
          .containsExactly("init_seed", "attention_rate", "d_model", "n_layers", "activation");
      assertThat((double) p.get("attention_rate")).isBetween(0.0, 1.0);
      assertThat(p.get("d_model")).isInstanceOf(Integer.class);
      assertThat((int) p.get("d_model")).isBetween(32, 512);
      assertThat((int) p.get("d_model") % 4).isZero();
      assertThat((int) p.get("n_layers")).isBetween(1, 4);
      layers.add(p.get("n_layers"));
      activations.add(p.get("activation"));
      assertThat(run.config().dModel()).isEqualTo(p.get("d_model"));
      assertThat(run.runId()).isEqualTo(run.config().runId());
    }
    assertThat(layers).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(activations).containsExactlyInAnyOrder("relu", "gelu");
    assertThat(runs).extracting(PlannedRun::runId).doesNotHaveDuplicates();
  }

  @Test
  void aWeightedChoiceGivesEachValueItsShare() {
    SweepSpec spec =
        parse(
            withRandom(
                "  samples: 1024\n  axes:\n    n_layers: choice([1, 2, 3, 4], weights=[7, 3, 3, 3])\n"));
    int[] counts = new int[5];
    for (Iterator<PlannedRun> it = SweepPlanner.iterate(spec); it.hasNext(); ) {
      counts[it.next().config().nLayers()]++;
    }
    // 7/16 and 3/16 of 1024: 448 and 192, give or take a low-discrepancy sequence's error
    assertThat(counts[1]).isBetween(440, 456);
    for (int l = 2; l <= 4; l++) {
      assertThat(counts[l]).isBetween(184, 200);
    }
  }

  @Test
  void rejectsMalformedWeights() {
    String forms =
        " (allowed forms: uniform(low, high), log_uniform(low, high), int_uniform(low, high),"
            + " choice([v1, v2, ...]), choice([v1, v2, ...], weights=[w1, w2, ...]); on integer fields"
            + " uniform and log_uniform also take step=N)";
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    activation: choice([relu, gelu], weights=[3])\n"),
        "random.axes.activation: cannot read 'choice([relu, gelu], weights=[3])': 1 weights for 2"
            + " choices; give one weight per choice"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    activation: choice([relu, gelu], weights=[3, 0])\n"),
        "random.axes.activation: cannot read 'choice([relu, gelu], weights=[3, 0])': weight 1 is 0;"
            + " weights must be positive"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    activation: choice([relu, gelu], weights=3)\n"),
        "random.axes.activation: cannot read 'choice([relu, gelu], weights=3)': weights takes one"
            + " list, weights=[w1, w2, ...]"
            + forms);
  }

  @Test
  void logUniformGivesEachOctaveTheSameShare() {
    SweepSpec spec =
        parse(withRandom("  samples: 1024\n  axes:\n    d_model: log_uniform(32, 512, step=4)\n"));
    int[] octaves = new int[4];
    for (Iterator<PlannedRun> it = SweepPlanner.iterate(spec); it.hasNext(); ) {
      int d = it.next().config().dModel();
      octaves[Math.min((int) (Math.log(d / 32.0) / Math.log(2)), 3)]++;
    }
    // 256 per octave from a low-discrepancy sequence, give or take the rounding to multiples of 4
    for (int n : octaves) {
      assertThat(n).isBetween(240, 272);
    }
  }

  @Test
  void theGridVariesSlowestAndEachGridPointGetsTheSameRandomPoints() {
    List<PlannedRun> runs = SweepPlanner.expand(parse(RANDOM));

    assertThat(runs.subList(0, 64))
        .allSatisfy(r -> assertThat(r.point().get("init_seed")).isEqualTo(0L));
    assertThat(runs.subList(64, 128))
        .allSatisfy(r -> assertThat(r.point().get("init_seed")).isEqualTo(1L));
    for (int k = 0; k < 64; k++) {
      assertThat(runs.get(64 + k).point().get("attention_rate"))
          .isEqualTo(runs.get(k).point().get("attention_rate"));
    }
  }

  @Test
  void pointsAreReproducibleFromTheSeedAndIdsStableAcrossParses() {
    assertThat(ids(parse(RANDOM))).isEqualTo(ids(parse(RANDOM)));
    assertThat(parse(RANDOM).fingerprint()).isEqualTo(parse(RANDOM).fingerprint());

    SweepSpec other = parse(RANDOM.replace("seed: 3", "seed: 4"));
    assertThat(SweepPlanner.expand(other).get(5).point().get("attention_rate"))
        .isNotEqualTo(SweepPlanner.expand(parse(RANDOM)).get(5).point().get("attention_rate"));
    assertThat(other.fingerprint()).isNotEqualTo(parse(RANDOM).fingerprint());
  }

  @Test
  void everySequenceIsReproducibleAndDiffersFromTheOthers() {
    List<String> sobol = ids(parse(RANDOM));
    List<String> halton = ids(parse(RANDOM.replace("sequence: sobol", "sequence: halton")));
    List<String> uniform = ids(parse(RANDOM.replace("sequence: sobol", "sequence: uniform")));

    assertThat(halton).isEqualTo(ids(parse(RANDOM.replace("sequence: sobol", "sequence: halton"))));
    assertThat(uniform)
        .isEqualTo(ids(parse(RANDOM.replace("sequence: sobol", "sequence: uniform"))));
    assertThat(halton).isNotEqualTo(sobol);
    assertThat(uniform).isNotEqualTo(sobol);
  }

  @Test
  void moreSamplesKeepTheFirstPoints() {
    String small = withRandom("  samples: 10\n  axes:\n    attention_rate: uniform(0, 1)\n");
    List<String> ten = ids(parse(small));
    List<String> twenty = ids(parse(small.replace("samples: 10", "samples: 20")));

    assertThat(twenty.subList(0, 10)).isEqualTo(ten);
  }

  @Test
  void theFingerprintIncludesTheRandomBlockInAxisOrder() {
    String two =
        withRandom(
            "  samples: 8\n  axes:\n    attention_rate: uniform(0, 1)\n    lr: log_uniform(1e-4, 1e-2)\n");
    String swapped =
        withRandom(
            "  samples: 8\n  axes:\n    lr: log_uniform(1e-4, 1e-2)\n    attention_rate: uniform(0, 1)\n");
    String spaced = two.replace("uniform(0, 1)", "uniform( 0 ,1.0 )");

    assertThat(parse(two).fingerprint()).isNotEqualTo(parse(swapped).fingerprint());
    assertThat(parse(two).fingerprint()).isEqualTo(parse(spaced).fingerprint());
    assertThat(parse(two).fingerprint())
        .isNotEqualTo(parse(two.replace("samples: 8", "samples: 9")).fingerprint())
        .isNotEqualTo(parse("name: t\npreset: zhong2023\n").fingerprint());
  }

  @Test
  void previewShowsTheRandomAxes() {
    String preview = SweepPlanner.preview(parse(RANDOM), 2);

    assertThat(preview)
        .contains("runs         128 = init_seed 2 x 64 random")
        .contains("random       64 sobol points\n")
        .contains("  d_model         log_uniform(32, 512, step=4)\n")
        .contains(
            "index  run_id            init_seed  attention_rate       d_model  n_layers  activation");
  }

  @Test
  void plansAHundredThousandRunsLazily() {
    String big =
        """
        name: big
        preset: zhong2023
        grid:
          init_seed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        random:
          samples: 10000
          axes:
            attention_rate: uniform(0, 1)
            d_model: log_uniform(32, 512, step=4)
        """;
    SweepSpec spec = parse(big);
    assertThat(spec.runCount()).isEqualTo(100_000);

    long count = 0;
    for (Iterator<PlannedRun> it = SweepPlanner.iterate(spec); it.hasNext(); it.next()) {
      count++;
    }
    assertThat(count).isEqualTo(100_000);
  }

  @Test
  void rejectsMalformedDistributions() {
    String forms =
        " (allowed forms: uniform(low, high), log_uniform(low, high), int_uniform(low, high),"
            + " choice([v1, v2, ...]), choice([v1, v2, ...], weights=[w1, w2, ...]); on integer fields"
            + " uniform and log_uniform also take step=N)";
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: unifrom(0, 1)\n"),
        "random.axes.attention_rate: cannot read 'unifrom(0, 1)': unknown distribution 'unifrom';"
            + " did you mean 'uniform'?"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: uniform 0..1\n"),
        "random.axes.attention_rate: cannot read 'uniform 0..1': expected a function call" + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    d_model: log_uniform(32)\n"),
        "random.axes.d_model: cannot read 'log_uniform(32)': log_uniform takes two numbers, low and"
            + " high"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: uniform(1, 0)\n"),
        "random.axes.attention_rate: cannot read 'uniform(1, 0)': low must be below high; for a"
            + " single value use fixed"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    lr: log_uniform(0, 1)\n"),
        "random.axes.lr: cannot read 'log_uniform(0, 1)': log_uniform needs 0 < low" + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: uniform(0, 1x)\n"),
        "random.axes.attention_rate: cannot read 'uniform(0, 1x)': '1x' is not a number" + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: int_uniform(0, 1)\n"),
        "random.axes.attention_rate: cannot read 'int_uniform(0, 1)': int_uniform needs an integer"
            + " field, and attention_rate is a number; use uniform"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    activation: uniform(0, 1)\n"),
        "random.axes.activation: cannot read 'uniform(0, 1)': uniform needs a numeric field, and"
            + " activation is string; use choice([...])"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: uniform(0, 1, step=2)\n"),
        "random.axes.attention_rate: cannot read 'uniform(0, 1, step=2)': step=N rounds integer"
            + " fields, and attention_rate is a number"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    activation: choice([relu, relu])\n"),
        "random.axes.activation: cannot read 'choice([relu, relu])': choice 1: duplicate value"
            + " relu; the choices must be distinct"
            + forms);
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: [0, 1]\n"),
        "random.axes.attention_rate: expected a distribution such as uniform(0, 1) (got [0, 1]; "
            + forms.substring(2));
  }

  @Test
  void rejectsABoundOutsideTheFieldsRange() {
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention_rate: uniform(0, 1.5)\n"),
        "random.axes.attention_rate: uniform(0, 1.5) gives 1.5: Invalid attention_rate: 1.5"
            + " (allowed: number in [0, 1])");
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    activation: choice([relu, tanh])\n"),
        "random.axes.activation: choice([relu, tanh]) gives tanh: Invalid activation: tanh"
            + " (allowed: relu | gelu)");
  }

  @Test
  void rejectsAFieldThatIsBothRandomAndInGridOrFixed() {
    assertInvalid(
        "name: t\npreset: zhong2023\ngrid:\n  attention_rate: [0.5]\nrandom:\n  samples: 4\n"
            + "  axes:\n    attention_rate: uniform(0, 1)\n",
        "random.axes.attention_rate: attention_rate is set both in grid and in random; keep it in"
            + " one of them");
    assertInvalid(
        "name: t\npreset: zhong2023\nfixed:\n  attention_rate: 0.5\nrandom:\n  samples: 4\n"
            + "  axes:\n    attention_rate: uniform(0, 1)\n",
        "random.axes.attention_rate: attention_rate is set both in fixed and in random; keep it in"
            + " one of them");
  }

  @Test
  void rejectsBadSamplesSequenceAndKeys() {
    assertInvalid(
        withRandom("  axes:\n    attention_rate: uniform(0, 1)\n"),
        "random.samples: missing; give the number of random points, an integer >= 1");
    assertInvalid(
        withRandom("  samples: 0\n  axes:\n    attention_rate: uniform(0, 1)\n"),
        "random.samples: must be an integer in [1, 10000000] (got 0)");
    assertInvalid(
        withRandom("  samples: 4\n  sequence: sobel\n  axes:\n    attention_rate: uniform(0, 1)\n"),
        "random.sequence: unknown sequence 'sobel'; did you mean 'sobol'? (allowed: sobol | halton"
            + " | uniform)");
    assertInvalid(
        withRandom("  samples: 4\n  axis:\n    attention_rate: uniform(0, 1)\n"),
        "random.axis: unknown key; did you mean 'axes'? (allowed: samples, sequence, axes)");
    assertInvalid(
        withRandom("  samples: 4\n  axes:\n    attention: uniform(0, 1)\n"),
        "random.axes.attention: unknown run field (allowed: "
            + String.join(
                ", ",
                org.phasemap.worker.RunConfig.fieldNames()
                    .subList(1, org.phasemap.worker.RunConfig.fieldNames().size()))
            + ")");
    assertInvalid(
        "name: t\npreset: zhong2023\nrandom:\n  samples: 4\n",
        "random.axes: missing; give at least one run field and its distribution (allowed forms: "
            + Distribution.FORMS
            + ")");
  }

  @Test
  void reportsARandomPointThatFailsWithOtherFields() {
    // n_heads 4 does not divide every width that log_uniform(32, 512) rounds to
    assertThatThrownBy(
            () -> parse(withRandom("  samples: 16\n  axes:\n    d_model: log_uniform(32, 512)\n")))
        .isInstanceOf(SweepSpecException.class)
        .hasMessageStartingWith("Invalid sweep spec t.yaml: point {d_model=")
        .hasMessageContaining("(run #")
        .hasMessageContaining(", random sample #")
        .hasMessageContaining("Invalid d_model:")
        .hasMessageEndingWith(" of 16 points fail)");
  }
}
