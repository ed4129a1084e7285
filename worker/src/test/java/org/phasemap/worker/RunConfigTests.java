package org.phasemap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The field declarations drive validation, defaults and the map forms; run ids never move. */
class RunConfigTests {
  /**
   * Per field: values just inside its range and values just outside it. Booleans and seeds allow
   * every value of their type, so nothing of their type lies outside.
   */
  static final Map<String, List<List<Object>>> EDGES = edges();

  private static Map<String, List<List<Object>>> edges() {
    Map<String, List<List<Object>>> m = new LinkedHashMap<>();
    String hash = "sha256:" + "0123456789abcdef".repeat(4);
    m.put("preset", List.of(List.of("nanda2023", "zhong2023"), List.of("zhong", "Nanda2023", "")));
    m.put("modulus", List.of(List.of(3, 999), List.of(1, 2, 4, 1000, 1001)));
    m.put("d_model", List.of(List.of(2, 4096), List.of(1, 4097)));
    m.put("n_heads", List.of(List.of(1, 64), List.of(0, 65)));
    m.put("d_mlp", List.of(List.of(1, 16384), List.of(0, 16385)));
    m.put("n_layers", List.of(List.of(1, 16), List.of(0, 17)));
    m.put("activation", List.of(List.of("relu", "gelu"), List.of("tanh", "RELU")));
    m.put(
        "attention_rate",
        List.of(List.of(0.0, 1.0), List.of(Math.nextDown(0.0), Math.nextUp(1.0))));
    m.put("causal", List.of(List.of(true, false), List.of()));
    m.put("equals_token", List.of(List.of(true, false), List.of()));
    m.put(
        "train_fraction",
        List.of(List.of(Double.MIN_VALUE, Math.nextDown(1.0)), List.of(0.0, 1.0)));
    m.put("lr", List.of(List.of(Double.MIN_VALUE, 10.0), List.of(0.0, Math.nextUp(10.0))));
    m.put(
        "weight_decay",
        List.of(List.of(0.0, 100.0), List.of(Math.nextDown(0.0), Math.nextUp(100.0))));
    m.put("beta1", List.of(List.of(0.0, Math.nextDown(1.0)), List.of(Math.nextDown(0.0), 1.0)));
    m.put("beta2", List.of(List.of(0.0, Math.nextDown(1.0)), List.of(Math.nextDown(0.0), 1.0)));
    m.put("adam_eps", List.of(List.of(Double.MIN_VALUE, Math.nextDown(1.0)), List.of(0.0, 1.0)));
    m.put("warmup_steps", List.of(List.of(0, 1_000_000), List.of(-1, 1_000_001)));
    m.put("steps", List.of(List.of(1, 10_000_000), List.of(0, 10_000_001)));
    m.put("init_seed", List.of(List.of(Long.MIN_VALUE, Long.MAX_VALUE), List.of()));
    m.put("data_seed", List.of(List.of(Long.MIN_VALUE, Long.MAX_VALUE), List.of()));
    // on its own an interval may be as long as the longest run; "at most steps" is cross-field
    m.put("log_interval", List.of(List.of(1, 10_000_000), List.of(0, 10_000_001)));
    m.put("checkpoint_interval", List.of(List.of(0, 10_000_000), List.of(-1, 10_000_001)));
    m.put("precision", List.of(List.of("float32", "float64"), List.of("float16", "double")));
    m.put("init_weights", List.of(List.of("", "/m@" + hash), List.of("/m", "/m@sha256:abc")));
    m.put("split", List.of(List.of("", "/s@" + hash), List.of("rows", "@" + hash)));
    return m;
  }

  @Test
  void theEdgeTableCoversEveryField() {
    assertThat(EDGES.keySet()).containsExactlyElementsOf(RunConfig.fieldNames());
  }

  @Test
  void eachFieldAllowsTheEdgesOfItsRange() {
    for (RunConfig.Field f : RunConfig.FIELDS) {
      for (Object v : EDGES.get(f.name()).get(0)) {
        assertThat(f.check(v)).as(f.name() + " " + v).isEqualTo(v);
      }
    }
  }

  @Test
  void eachFieldRejectsAValueJustOutsideItsRangeNamingTheFieldTheValueAndWhatIsAllowed() {
    for (RunConfig.Field f : RunConfig.FIELDS) {
      assertThat(f.allowed()).as(f.name()).isNotBlank();
      for (Object v : EDGES.get(f.name()).get(1)) {
        String message = "Invalid " + f.name() + ": " + v + " (allowed: " + f.allowed() + ")";
        assertThatThrownBy(() -> f.check(v)).as(f.name() + " " + v).hasMessage(message);
        // fromMap checks each field against the same declaration
        assertThatThrownBy(() -> RunConfig.fromMap(Map.of(f.name(), v)))
            .as("fromMap " + f.name() + " " + v)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
      }
    }
  }

  @Test
  void fieldsThatAllowTheirWholeTypeRejectOtherTypesNamingTheFieldAndTheValue() {
    assertThatThrownBy(() -> RunConfig.fromMap(Map.of("causal", "yes")))
        .hasMessage("Invalid causal: yes is not true or false");
    assertThatThrownBy(
            () -> RunConfig.fromMap(Map.of("init_seed", java.math.BigInteger.ONE.shiftLeft(63))))
        .hasMessage("Invalid init_seed: 9223372036854775808 is not a 64-bit integer");
  }

  @Test
  void allowedTextsAreThoseTheMessagesHaveAlwaysShown() {
    Map<String, String> allowed = new LinkedHashMap<>();
    RunConfig.FIELDS.forEach(f -> allowed.put(f.name(), f.allowed()));
    assertThat(allowed)
        .containsEntry("preset", "nanda2023 | zhong2023")
        .containsEntry("modulus", "odd integer in [3, 1000]")
        .containsEntry("d_model", "integer in [2, 4096], divisible by n_heads")
        .containsEntry("activation", "relu | gelu")
        .containsEntry("attention_rate", "number in [0, 1]")
        .containsEntry("causal", "true | false")
        .containsEntry("train_fraction", "number in (0, 1)")
        .containsEntry("lr", "number in (0, 10]")
        .containsEntry("beta1", "number in [0, 1)")
        .containsEntry("init_seed", "any 64-bit integer")
        .containsEntry("log_interval", "integer in [1, steps]")
        .containsEntry("checkpoint_interval", "integer in [0, steps]")
        .containsEntry("precision", "float32 | float64");
  }

  @Test
  void runIdsAreThoseOfTheStringTypedConfig() {
    // pinned before the enumerated fields became enums: ids must never move
    assertThat(RunConfig.fromMap(Map.of("preset", "nanda2023")).runId())
        .isEqualTo("5632b85a451923b4");
    assertThat(RunConfig.fromMap(Map.of("preset", "zhong2023")).runId())
        .isEqualTo("b6f3a92bb581fd1c");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", RunConfig.Preset.ZHONG2023);
    m.put("activation", RunConfig.Activation.GELU);
    m.put("precision", "float64");
    m.put("d_model", 64);
    m.put("attention_rate", 0.25);
    m.put("init_seed", 7L);
    m.put("data_seed", -3L);
    m.put("n_layers", 2);
    m.put("causal", true);
    m.put("lr", 3e-4);
    assertThat(RunConfig.fromMap(m).runId()).isEqualTo("bbec2b6eed59a1c1");
    String hash = "sha256:" + "0123456789abcdef".repeat(4);
    m.put("init_weights", "/tmp/w@" + hash);
    m.put("split", "/tmp/s@" + hash);
    RunConfig c = RunConfig.fromMap(m);
    assertThat(c.runId()).isEqualTo("b7299e0e35172de5");
    assertThat(c.canonicalText())
        .isEqualTo(
            "phasemap-run-v1\nactivation=gelu\nadam_eps=d:3e45798ee2308c3a\n"
                + "attention_rate=d:3fd0000000000000\nbeta1=d:3feccccccccccccd\n"
                + "beta2=d:3fef5c28f5c28f5c\ncausal=true\ncheckpoint_interval=0\nd_mlp=256\n"
                + "d_model=64\ndata_seed=-3\nequals_token=false\ninit_seed=7\ninit_weights="
                + hash
                + "\nlog_interval=100\nlr=d:3f33a92a30553261\nmodulus=59\nn_heads=4\nn_layers=2\n"
                + "precision=float64\npreset=zhong2023\nsplit="
                + hash
                + "\nsteps=20000\ntrain_fraction=d:3fe999999999999a\nwarmup_steps=10\n"
                + "weight_decay=d:4000000000000000\n");
  }

  @Test
  void presetDefaultsAreThoseOfThePapers() {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("d_model", 128);
    common.put("n_heads", 4);
    common.put("n_layers", 1);
    common.put("activation", "relu");
    common.put("attention_rate", 1.0);
    common.put("lr", 1e-3);
    common.put("beta1", 0.9);
    common.put("beta2", 0.98);
    common.put("adam_eps", 1e-8);
    common.put("warmup_steps", 10);
    common.put("init_seed", 0L);
    common.put("data_seed", 0L);
    common.put("log_interval", 100);
    common.put("checkpoint_interval", 0);
    common.put("precision", "float32");
    common.put("init_weights", "");
    common.put("split", "");
    assertThat(RunConfig.presetDefaults(RunConfig.Preset.NANDA2023))
        .containsAllEntriesOf(common)
        .containsEntry("preset", "nanda2023")
        .containsEntry("modulus", 113)
        .containsEntry("causal", true)
        .containsEntry("equals_token", true)
        .containsEntry("train_fraction", 0.3)
        .containsEntry("weight_decay", 1.0)
        .containsEntry("steps", 40000)
        .doesNotContainKey("d_mlp")
        .hasSize(24);
    assertThat(RunConfig.presetDefaults(RunConfig.Preset.ZHONG2023))
        .containsAllEntriesOf(common)
        .containsEntry("preset", "zhong2023")
        .containsEntry("modulus", 59)
        .containsEntry("causal", false)
        .containsEntry("equals_token", false)
        .containsEntry("train_fraction", 0.8)
        .containsEntry("weight_decay", 2.0)
        .containsEntry("steps", 20000)
        .hasSize(24);
    assertThat(RunConfig.fromMap(Map.of()).preset()).isEqualTo(RunConfig.Preset.NANDA2023);
    assertThat(RunConfig.fromMap(Map.of("d_model", 48, "n_heads", 3)).dMlp()).isEqualTo(192);
  }

  @Test
  void eachDeclarationReadsItsOwnComponent() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "zhong2023");
    m.put("modulus", 31);
    m.put("d_model", 60);
    m.put("n_heads", 5);
    m.put("d_mlp", 70);
    m.put("n_layers", 3);
    m.put("activation", "gelu");
    m.put("attention_rate", 0.1);
    m.put("causal", true);
    m.put("equals_token", false);
    m.put("train_fraction", 0.5);
    m.put("lr", 0.02);
    m.put("weight_decay", 0.03);
    m.put("beta1", 0.4);
    m.put("beta2", 0.6);
    m.put("adam_eps", 1e-7);
    m.put("warmup_steps", 8);
    m.put("steps", 900);
    m.put("init_seed", 11L);
    m.put("data_seed", 12L);
    m.put("log_interval", 9);
    m.put("checkpoint_interval", 90);
    m.put("precision", "float64");
    m.put("init_weights", "");
    m.put("split", "");
    RunConfig c = RunConfig.fromMap(m);
    assertThat(c.toMap()).containsExactlyEntriesOf(m);
    RecordComponent[] components = RunConfig.class.getRecordComponents();
    List<Object> fromComponents = new ArrayList<>();
    for (RecordComponent rc : components) {
      Object v = rc.getAccessor().invoke(c);
      fromComponents.add(v instanceof RunConfig.Choice choice ? choice.specName() : v);
    }
    assertThat(fromComponents).containsExactlyElementsOf(c.toMap().values());
  }

  @Test
  void enumeratedFieldsAreEnumsSpelledInLowerCase() {
    RunConfig c =
        RunConfig.fromMap(
            Map.of(
                "preset",
                "zhong2023",
                "activation",
                RunConfig.Activation.GELU,
                "precision",
                "float64"));
    assertThat(c.preset()).isEqualTo(RunConfig.Preset.ZHONG2023);
    assertThat(c.activation()).isEqualTo(RunConfig.Activation.GELU);
    assertThat(c.precision()).isEqualTo(RunConfig.Precision.FLOAT64);
    assertThat(c.toMap())
        .containsEntry("preset", "zhong2023")
        .containsEntry("activation", "gelu")
        .containsEntry("precision", "float64");
    assertThat(RunConfig.Preset.NANDA2023).hasToString("nanda2023");
    assertThat(RunConfig.Precision.of("float32")).isEqualTo(RunConfig.Precision.FLOAT32);
    assertThatThrownBy(() -> RunConfig.Activation.of("tanh"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown Activation: tanh (allowed: relu | gelu)");
  }

  @Test
  void rulesThatTieFieldsTogetherAreCheckedOnceAllFieldsAreValid() {
    assertThatThrownBy(() -> RunConfig.fromMap(Map.of("d_model", 64, "n_heads", 3)))
        .hasMessage(
            "Invalid d_model: 64 (allowed: integer in [2, 4096], divisible by n_heads; n_heads is 3)");
    assertThatThrownBy(() -> RunConfig.fromMap(Map.of("steps", 50)))
        .hasMessage("Invalid log_interval: 100 (allowed: integer in [1, steps])");
    assertThatThrownBy(
            () ->
                RunConfig.fromMap(
                    Map.of("steps", 50, "log_interval", 5, "checkpoint_interval", 60)))
        .hasMessage("Invalid checkpoint_interval: 60 (allowed: integer in [0, steps])");
    assertThatThrownBy(() -> RunConfig.fromMap(Map.of("modulus", 3, "train_fraction", 0.1)))
        .hasMessage(
            "Cannot use train_fraction 0.1 with modulus 3: it leaves 0 of 9 pairs for training; both"
                + " the train and the test set must be non-empty");
    // a field out of range is reported before a rule it breaks with another
    assertThatThrownBy(() -> RunConfig.fromMap(Map.of("d_model", 64, "n_heads", 3, "n_layers", 0)))
        .hasMessage("Invalid n_layers: 0 (allowed: integer in [1, 16])");
  }
}
