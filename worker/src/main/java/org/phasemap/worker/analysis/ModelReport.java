package org.phasemap.worker.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.classify.GsSampling;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.Parameters;
import org.phasemap.worker.train.Trainer;

/**
 * Everything phasemap measures about one finished model, computed once: loss and accuracy on the
 * run's train and test split and on all p² pairs, the weight spectra, and the progress and
 * algorithm measures of a checkpoint. What {@code phasemap analyze} prints, for a model trained
 * here or imported (SCIENCE.md section 4 item 7).
 *
 * <p>The label needs a test accuracy ({@link org.phasemap.worker.classify.AlgorithmClassifier}:
 * {@code no_generalisation} below 0.99). For a phasemap run the test split is rebuilt from the
 * config's {@code data_seed} and {@code train_fraction}, exactly as in training. A model trained
 * elsewhere was trained on another split, so "test accuracy" on ours means little; {@link
 * LabelAccuracy#ALL_PAIRS} uses the accuracy on all p² pairs instead.
 *
 * @param config the model's configuration
 * @param train loss and accuracy on the config's training split
 * @param test loss and accuracy on the config's test split
 * @param all loss and accuracy on all p² pairs
 * @param labelAccuracy which accuracy fed the label
 * @param sumSquaredWeights Σw² over all tensors (SCIENCE.md 1.4.6)
 * @param spectra Fourier norms of W_E and the Gini coefficients (1.4.5)
 * @param checkpoint progress measures (1.4) and algorithm measures and label (2.3-2.4)
 * @param gsSampling which triples gradient symmetricity averaged over
 * @param stepImpl the model function that computed it
 */
public record ModelReport(
    RunConfig config,
    Fit train,
    Fit test,
    Fit all,
    LabelAccuracy labelAccuracy,
    double sumSquaredWeights,
    Spectra spectra,
    Checkpoint checkpoint,
    GsSampling gsSampling,
    String stepImpl) {

  /** Which accuracy decides whether a model generalised, for the label. */
  public enum LabelAccuracy {
    /** Accuracy on the config's test split (phasemap's own runs: as in training). */
    TEST_SPLIT,
    /** Accuracy on all p² pairs (models trained elsewhere, on another split). */
    ALL_PAIRS
  }

  /**
   * Loss and accuracy of the model on a set of pairs.
   *
   * @param pairs number of pairs
   * @param loss mean cross-entropy in nats, from float64 log-softmax
   * @param accuracy share of pairs whose largest logit is the correct sum
   */
  public record Fit(int pairs, double loss, double accuracy) {}

  /** Measures the model {@code parameters} of {@code config}. */
  public static ModelReport measure(
      RunConfig config,
      Parameters parameters,
      AnalysisOptions options,
      LabelAccuracy labelAccuracy) {
    ModelFunction model = ModelFunction.create(config, parameters);
    ModularAddition data = ModularAddition.of(config);
    Fit train = fit(model, data, data.trainIndices());
    Fit test = fit(model, data, data.testIndices());
    Fit all = fit(model, data, data.allIndices());
    Analyzer analyzer = new Analyzer(config, model, data, options);
    Spectra spectra = analyzer.spectra();
    double accuracy = labelAccuracy == LabelAccuracy.ALL_PAIRS ? all.accuracy() : test.accuracy();
    Checkpoint checkpoint = analyzer.checkpoint(accuracy);
    return new ModelReport(
        config,
        train,
        test,
        all,
        labelAccuracy,
        parameters.sumOfSquares(),
        spectra,
        checkpoint,
        options.gsSampling(),
        model.implementation());
  }

  private static Fit fit(ModelFunction model, ModularAddition data, int[] pairs) {
    int[] labels = data.labels(pairs);
    ModelFunction.Output out = model.evaluate(new ModelFunction.Batch(data.tokens(pairs), labels));
    return new Fit(pairs.length, out.loss(), Trainer.accuracy(out.logits(), labels));
  }

  /** The accuracy the label was computed from. */
  public double labelAccuracyValue() {
    return labelAccuracy == LabelAccuracy.ALL_PAIRS ? all.accuracy() : test.accuracy();
  }

  /**
   * The report as nested maps for JSON, keys named like the columns of the runs and steps tables
   * (docs/TABLES.md) where one exists.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", config.runId());
    m.put("config", config.toMap());
    m.put("train", fitMap(train));
    m.put("test", fitMap(test));
    m.put("all_pairs", fitMap(all));
    m.put("label_accuracy_on", labelAccuracy == LabelAccuracy.ALL_PAIRS ? "all" : "split");
    m.put("label_accuracy", labelAccuracyValue());
    m.put("sum_sq_weights", sumSquaredWeights);
    ProgressMeasures p = checkpoint.progress();
    m.put("key_frequencies", p.keyFrequencies());
    m.put("restricted_loss", p.restrictedLoss());
    m.put("restricted_acc", p.restrictedAccuracy());
    m.put("excluded_loss", p.excludedLoss());
    m.put("excluded_acc", p.excludedAccuracy());
    m.put("excluded_loss_per_freq", p.excludedLossPerFrequency());
    m.put("cosine_coefficients", p.cosineCoefficients());
    m.put("attn_to_a", p.attentionToA());
    m.put("attn_to_b", p.attentionToB());
    m.put("embed_fourier_norms", spectra.embedFourierNorms());
    m.put("gini_embed", spectra.giniEmbed());
    m.put("gini_neuron_logit", spectra.giniNeuronLogit());
    AlgorithmMeasures a = checkpoint.algorithm();
    m.put("gs", a.gs());
    Map<String, Object> gs = new LinkedHashMap<>();
    gs.put("all", gsSampling.all());
    long cube = (long) config.modulus() * config.modulus() * config.modulus();
    gs.put("triples", gsSampling.all() ? cube : Math.min(cube, gsSampling.n()));
    gs.put("seed", gsSampling.seed());
    m.put("gs_sampling", gs);
    m.put("di_correct", a.diCorrect());
    m.put("di_maxwrong", a.diMaxWrong());
    m.put("circularity", a.circularity());
    m.put("label", a.label());
    DegeneracyMeasures dg = checkpoint.degeneracy();
    m.put("gram_rank_mlp_in", dg == null ? null : dg.gramRankMlpIn());
    m.put("gram_rank_mlp_post", dg == null ? null : dg.gramRankMlpPost());
    m.put("dead_neurons", dg == null ? null : dg.deadNeurons());
    m.put("step_impl", stepImpl);
    return m;
  }

  private static Map<String, Object> fitMap(Fit f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs", f.pairs());
    m.put("loss", f.loss());
    m.put("acc", f.accuracy());
    return m;
  }
}
