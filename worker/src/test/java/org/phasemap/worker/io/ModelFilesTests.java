package org.phasemap.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.analysis.Analyzer;
import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.Parameters;
import org.phasemap.worker.train.RunOutcome;
import org.phasemap.worker.train.Trainer;

/** A model written to disk and read back is the same model, and bad files say what is wrong. */
class ModelFilesTests {
  static RunConfig config;
  static Trainer trainer;

  @TempDir Path tmp;

  static RunConfig tiny(String precision) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "zhong2023");
    m.put("modulus", 11);
    m.put("d_model", 8);
    m.put("n_heads", 2);
    m.put("steps", 50);
    m.put("lr", 0.01);
    m.put("log_interval", 50);
    m.put("precision", precision);
    return RunConfig.fromMap(m);
  }

  @BeforeAll
  static void trainTinyModel() throws Exception {
    config = tiny("float32");
    trainer = new Trainer(config);
    RunOutcome outcome = trainer.train(r -> {});
    assertThat(outcome.status()).isEqualTo(RunOutcome.OK);
  }

  Path exported() throws Exception {
    Path dir = tmp.resolve("model");
    ModelFiles.export(config, trainer.parameters(), dir);
    return dir;
  }

  static void assertSameTensors(Parameters a, Parameters b) {
    assertThat(b.names()).containsExactlyElementsOf(a.names());
    for (String n : a.names()) {
      assertThat(b.get(n).dataType()).as(n).isEqualTo(a.get(n).dataType());
      assertThat(b.get(n).shape()).as(n).isEqualTo(a.get(n).shape());
      assertThat(b.get(n).dup('c').data().asFloat())
          .as(n)
          .containsExactly(a.get(n).dup('c').data().asFloat());
    }
  }

  @Test
  void exportThenLoadGivesIdenticalTensorsAndConfig() throws Exception {
    Path dir = exported();
    assertThat(dir.resolve("blocks.0.attn.W_Q.npy")).exists();
    assertThat(dir.resolve("embed.W_E.npy")).exists();
    ModelFiles.Loaded loaded = ModelFiles.load(dir);
    assertThat(loaded.config()).isEqualTo(config);
    assertThat(loaded.ignoredFiles()).isEmpty();
    assertSameTensors(trainer.parameters(), loaded.parameters());

    Path npz = tmp.resolve("model.npz");
    ModelFiles.exportNpz(config, trainer.parameters(), npz);
    ModelFiles.Loaded fromNpz = ModelFiles.loadNpz(npz);
    assertThat(fromNpz.config()).isEqualTo(config);
    assertSameTensors(trainer.parameters(), fromNpz.parameters());
    // numpy.load sees every tensor under its TransformerLens name
    assertThat(Npz.read(npz).keySet()).containsExactlyElementsOf(trainer.parameters().names());
    assertThat(ModelFiles.loadAny(npz).config()).isEqualTo(config);
    assertThat(ModelFiles.loadAny(dir).config()).isEqualTo(config);
  }

  @Test
  void configJsonHoldsEveryFieldInSnakeCasePlusFormatAndRunId() throws Exception {
    String json = Files.readString(exported().resolve("config.json"));
    Map<String, Object> m = Json.parseFlatObject(json, "config.json");
    assertThat(m.get("format")).isEqualTo("phasemap-model-v1");
    assertThat(m.get("run_id")).isEqualTo(config.runId());
    assertThat(m.keySet()).containsAll(RunConfig.fieldNames()).hasSize(RunConfig.FIELDS.size() + 2);
    assertThat(m.get("d_model")).isEqualTo(8L);
    assertThat(m.get("lr")).isEqualTo(0.01);
    assertThat(m.get("equals_token")).isEqualTo(false);
  }

  @Test
  void analyzerGivesExactlyTheSameMeasuresOnTheLoadedModel() throws Exception {
    Checkpoint original = checkpoint(config, trainer.parameters());
    ModelFiles.Loaded loaded = ModelFiles.load(exported());
    Checkpoint reloaded = checkpoint(loaded.config(), loaded.parameters());
    AlgorithmMeasures a = original.algorithm();
    AlgorithmMeasures b = reloaded.algorithm();
    assertThat(a.gs()).isBetween(-1.0, 1.0).isNotEqualTo(1.0);
    assertThat(b.gs()).isEqualTo(a.gs());
    assertThat(b.diCorrect()).isEqualTo(a.diCorrect());
    assertThat(b.diMaxWrong()).isEqualTo(a.diMaxWrong());
    assertThat(b.circularity()).isEqualTo(a.circularity());
    assertThat(b.label()).isEqualTo(a.label());
    assertThat(reloaded.progress().keyFrequencies())
        .isEqualTo(original.progress().keyFrequencies());
    assertThat(reloaded.progress().restrictedLoss())
        .isEqualTo(original.progress().restrictedLoss());
  }

  static Checkpoint checkpoint(RunConfig c, Parameters p) {
    ModelFunction f = ModelFunction.create(c, p);
    ModularAddition data = ModularAddition.of(c);
    int[] test = data.testIndices();
    ModelFunction.Output out =
        f.evaluate(new ModelFunction.Batch(data.tokens(test), data.labels(test)));
    double testAcc = Trainer.accuracy(out.logits(), data.labels(test));
    return new Analyzer(c, f, data, AnalysisOptions.defaults()).checkpoint(testAcc);
  }

  @Test
  void missingTensorIsNamedAndTheFoundFilesListed() throws Exception {
    Path dir = exported();
    Files.delete(dir.resolve("blocks.0.mlp.W_in.npy"));
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot load model from " + dir + ": missing tensor blocks.0.mlp.W_in ")
        .hasMessageContaining("got .npy files: [blocks.0.attn.W_K.npy, ")
        .hasMessageContaining("unembed.W_U.npy]");
  }

  @Test
  void wrongShapeNamesTheTensorTheExpectedAndTheFoundShape() throws Exception {
    Path dir = exported();
    Path w = dir.resolve("blocks.0.mlp.W_in.npy");
    Npy.write(Nd4j.zeros(DataType.FLOAT, 8, 16), w);
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot load tensor blocks.0.mlp.W_in from "
                + w
                + ": expected shape [8, 32] = [d_model, d_mlp] for this config (got [8, 16])");
    // the PyTorch nn.Linear layout is recognised as a transpose
    Npy.write(Nd4j.zeros(DataType.FLOAT, 32, 8), w);
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessageContaining(
            "expected shape [8, 32] = [d_model, d_mlp] for this config; it looks transposed")
        .hasMessageEndingWith("(got [32, 8])");
  }

  @Test
  void unembeddingWithAnEqualsColumnGetsAHint() throws Exception {
    Path dir = exported();
    Npy.write(Nd4j.zeros(DataType.FLOAT, 8, 12), dir.resolve("unembed.W_U.npy"));
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessageContaining("expected shape [8, 11] = [d_model, p]")
        .hasMessageContaining("drop the '=' column")
        .hasMessageEndingWith("(got [8, 12])");
  }

  @Test
  void float64FilesLoadIntoAFloat32ConfigAndFloat32IntoFloat64() throws Exception {
    Path dir = exported();
    for (String name : trainer.parameters().names()) {
      Npy.write(trainer.parameters().get(name).castTo(DataType.DOUBLE), dir.resolve(name + ".npy"));
    }
    ModelFiles.Loaded loaded = ModelFiles.load(dir);
    assertSameTensors(trainer.parameters(), loaded.parameters());

    Files.writeString(dir.resolve("config.json"), ModelFiles.configJson(tiny("float64")));
    ModelFiles.Loaded wide = ModelFiles.load(dir);
    assertThat(wide.config().precision().specName()).isEqualTo("float64");
    INDArray we = wide.parameters().get("embed.W_E");
    assertThat(we.dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(we.castTo(DataType.FLOAT).data().asFloat())
        .containsExactly(trainer.parameters().get("embed.W_E").dup('c').data().asFloat());
  }

  @Test
  void unknownConfigKeysAreErrorsAndMissingOnesTakePresetDefaults() throws Exception {
    Path dir = exported();
    Path cfg = dir.resolve("config.json");
    Files.writeString(
        cfg,
        "{\"preset\": \"zhong2023\", \"modulus\": 11, \"d_model\": 8, \"n_heads\": 2,"
            + " \"dmodel\": 8, \"wd\": 1}");
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot read model config " + cfg + ": unknown keys [dmodel, wd] (allowed: format,");

    Files.writeString(
        cfg, "{\"preset\": \"zhong2023\", \"modulus\": 11, \"d_model\": 8, \"n_heads\": 2}");
    RunConfig c = ModelFiles.load(dir).config();
    assertThat(c.dMlp()).isEqualTo(32);
    assertThat(c.weightDecay()).isEqualTo(2.0);
    assertThat(c.steps()).isEqualTo(20000);

    Files.writeString(cfg, "{\"preset\": \"zhong2023\", \"modulus\": 11.5}");
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessageStartingWith(
            "Cannot read model config " + cfg + ": Invalid modulus: 11.5 is not an integer");
    Files.writeString(cfg, "{\"format\": \"other-v9\"}");
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessage(
            "Cannot read model config "
                + cfg
                + ": unknown format (allowed: phasemap-model-v1; got other-v9)");
    Files.writeString(cfg, "{\"preset\": \"zhong2023\", \"lr\": NaN}");
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessageStartingWith(
            "Cannot parse " + cfg + ": expected a string, number, true, false or null for \"lr\"");
    Files.delete(cfg);
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessageStartingWith("Cannot load model from " + dir + ": no config.json (got files: [");
  }

  @Test
  void extraFilesAreIgnoredButNonZeroBiasesAndLayerNormAreNot() throws Exception {
    Path dir = exported();
    Npy.write(Nd4j.zeros(DataType.FLOAT, 2, 4), dir.resolve("blocks.0.attn.b_Q.npy"));
    Npy.write(Nd4j.ones(DataType.FLOAT, 3), dir.resolve("blocks.0.attn.IGNORE.npy"));
    Files.writeString(dir.resolve("README.txt"), "notes");
    assertThat(ModelFiles.load(dir).ignoredFiles())
        .containsExactly("blocks.0.attn.IGNORE.npy", "blocks.0.attn.b_Q.npy");

    Npy.write(Nd4j.ones(DataType.FLOAT, 2, 4).mul(0.5), dir.resolve("blocks.0.attn.b_Q.npy"));
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessage(
            "Cannot load model from "
                + dir
                + ": blocks.0.attn.b_Q is not zero, but phasemap's model has no attention or"
                + " unembedding biases and would compute a different function (got max |value| 0.5)");
    Files.delete(dir.resolve("blocks.0.attn.b_Q.npy"));
    Npy.write(Nd4j.ones(DataType.FLOAT, 8), dir.resolve("ln_final.w.npy"));
    assertThatThrownBy(() -> ModelFiles.load(dir))
        .hasMessageContaining("LayerNorm")
        .hasMessageEndingWith("(got ln_final.w.npy)");
  }

  @Test
  void expectedShapesAreThoseOfTheModelsOwnParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "nanda2023");
    m.put("modulus", 13);
    m.put("d_model", 12);
    m.put("n_heads", 3);
    m.put("d_mlp", 20);
    m.put("n_layers", 2);
    for (RunConfig c : new RunConfig[] {RunConfig.fromMap(m), config}) {
      Parameters p = Parameters.initialise(c);
      Map<String, long[]> shapes = ModelFiles.expectedShapes(c);
      assertThat(shapes.keySet()).containsExactlyElementsOf(p.names());
      p.asMap().forEach((k, v) -> assertThat(shapes.get(k)).as(k).isEqualTo(v.shape()));
    }
  }

  @Test
  void notADirectoryOrNpzIsReported() {
    Path nowhere = tmp.resolve("nowhere");
    assertThatThrownBy(() -> ModelFiles.loadAny(nowhere))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot load model from "
                + nowhere
                + ": no such directory or .npz file (got "
                + nowhere
                + ")");
    assertThatThrownBy(() -> ModelFiles.load(nowhere))
        .hasMessage(
            "Cannot load model from " + nowhere + ": no such directory (got " + nowhere + ")");
  }
}
