package org.phasemap.worker.analysis;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.classify.AlgorithmClassifier;
import org.phasemap.worker.classify.Circularity;
import org.phasemap.worker.classify.DistanceIrrelevance;
import org.phasemap.worker.classify.GradientSymmetricity;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.degeneracy.DegeneracyAnalysis;
import org.phasemap.worker.degeneracy.DegeneracyOptions;
import org.phasemap.worker.degeneracy.DegeneracyReport;
import org.phasemap.worker.llc.LlcEstimator;
import org.phasemap.worker.llc.LlcResult;
import org.phasemap.worker.llc.ModelLossGradient;
import org.phasemap.worker.measure.FourierNorms;
import org.phasemap.worker.measure.Gini;
import org.phasemap.worker.measure.KeyFrequencies;
import org.phasemap.worker.measure.LogitProjections;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.Parameters;
import org.phasemap.worker.model.TransformerGraph;

/**
 * Measures a model from the inside: the cheap spectra at every logged step, and at checkpoints the
 * progress measures (SCIENCE.md 1.4), the algorithm classification (2.3-2.4), the Gram ranks and
 * dead neurons of the MLP (3.5) and, when asked for, the local learning coefficient (3). Works on
 * whatever model the run trained (any width, depth, attention rate) through {@link ModelFunction},
 * and on imported weights.
 */
public final class Analyzer {
  private final RunConfig config;
  private final Parameters parameters;
  private final ModelFunction model;
  private final AnalysisOptions options;
  private final ModelFunction.Batch all;
  private final int[] trainRows;
  private final int[][] triples;
  private TransformerGraph selectedLogit;
  private final ModularAddition data;
  private ModelLossGradient llcLoss;

  public Analyzer(
      RunConfig config, ModelFunction model, ModularAddition data, AnalysisOptions options) {
    this.config = config;
    this.parameters = model.parameters();
    this.model = model;
    this.options = options;
    this.data = data;
    int[] idx = data.allIndices();
    this.all = new ModelFunction.Batch(data.tokens(idx), data.labels(idx));
    this.trainRows = data.trainIndices();
    this.triples = options.gsSampling().triples(config.modulus());
  }

  /** Fourier norms of W_E and the Gini coefficients of W_E and W_L. */
  public Spectra spectra() {
    int p = config.modulus();
    double[] embed = FourierNorms.embedding(parameters.get("embed.W_E"), p);
    String last = "blocks." + (config.nLayers() - 1) + ".mlp.W_out";
    double[] neuronLogit =
        FourierNorms.neuronLogit(parameters.get("unembed.W_U"), parameters.get(last), p);
    return new Spectra(embed, Gini.of(embed), Gini.of(neuronLogit));
  }

  /**
   * Progress and algorithm measures of the current weights; {@code testAccuracy} feeds the label.
   */
  public Checkpoint checkpoint(double testAccuracy) {
    int p = config.modulus();
    ModelFunction.Probe probe = model.probe(all);
    KeyFrequencies.Result keys =
        KeyFrequencies.of(
            probe.mlpPost(), p, options.keyFrequencyThreshold(), options.keyFrequencyFloor());
    LogitProjections.Measures lm =
        LogitProjections.measure(probe.logits(), p, keys.frequencies(), trainRows);
    double[][] attn = attentionToAandB(probe.attention());
    ProgressMeasures progress =
        new ProgressMeasures(
            keys.frequencies(),
            lm.restrictedLoss(),
            lm.restrictedAccuracy(),
            lm.excludedLoss(),
            lm.excludedAccuracy(),
            lm.excludedLossPerFrequency(),
            lm.cosineCoefficients(),
            attn[0],
            attn[1]);
    double diCorrect = DistanceIrrelevance.correct(probe.logits(), p);
    double diMaxWrong = DistanceIrrelevance.maxWrong(probe.logits(), p);
    double circularity = Circularity.of(parameters.get("embed.W_E"), p);
    double gs = gradientSymmetricity();
    String label =
        AlgorithmClassifier.classify(
                testAccuracy, circularity, gs, diCorrect, diMaxWrong, options.thresholds())
            .label();
    DegeneracyMeasures degeneracy = DegeneracyMeasures.of(probe.mlpIn(), probe.mlpPost());
    return new Checkpoint(
        progress,
        new AlgorithmMeasures(gs, diCorrect, diMaxWrong, circularity, label),
        degeneracy,
        null,
        llc(),
        interactionBasis());
  }

  /**
   * The interaction basis and the sources of degeneracy of the current weights (docs/DEGENERACY.md)
   * when the options ask for it, for any number of layers; null otherwise.
   */
  DegeneracyReport interactionBasis() {
    if (!options.interactionBasis()) {
      return null;
    }
    // the interaction graph roughly doubles the cost of a checkpoint: only when asked for
    DegeneracyOptions o = DegeneracyOptions.defaults();
    return DegeneracyAnalysis.of(
        config, parameters, options.interactionGraph() ? o : o.withoutInteractionGraph());
  }

  /**
   * The local learning coefficient of the current weights (SCIENCE.md 3), when the options ask for
   * it; null otherwise. Chains are seeded from the settings' seed mixed with the run's init and
   * data seeds, so every run samples differently but reproducibly. The weights are restored.
   */
  LlcResult llc() {
    if (options.llc() == null) {
      return null;
    }
    if (llcLoss == null) {
      llcLoss = new ModelLossGradient(model, data); // one per run: model functions cache per batch
    }
    long seed =
        options.llc().seed()
            ^ (config.initSeed() * 0x9E3779B97F4A7C15L)
            ^ (config.dataSeed() * 0xC2B2AE3D27D4EB4FL);
    return new LlcEstimator(options.llc().withSeed(seed)).estimate(llcLoss);
  }

  /** Restricted/excluded loss of the current weights with given (final) key frequencies. */
  public Retrospective retrospective(int[] keyFrequencies) {
    ModelFunction.Probe probe = model.probe(all);
    int p = config.modulus();
    return new Retrospective(
        LogitProjections.restrictedLoss(probe.logits(), p, keyFrequencies),
        LogitProjections.restrictedAccuracy(probe.logits(), p, keyFrequencies),
        LogitProjections.excludedLoss(probe.logits(), p, keyFrequencies, trainRows),
        LogitProjections.excludedAccuracy(probe.logits(), p, keyFrequencies, trainRows));
  }

  /**
   * Mean cosine between the gradients of Q_abc with respect to the embeddings of a and b
   * (SCIENCE.md 2.3.1), over the configured triples, through a SameDiff graph sharing the weights.
   */
  double gradientSymmetricity() {
    if (selectedLogit == null) {
      selectedLogit = TransformerGraph.buildSelectedLogit(config, parameters);
    }
    int p = config.modulus();
    int t = config.contextLength();
    int n = triples.length;
    int[] tokens = new int[n * t];
    int[] select = new int[n];
    for (int i = 0; i < n; i++) {
      tokens[i * t] = triples[i][0];
      tokens[i * t + 1] = triples[i][1];
      if (t == 3) {
        tokens[i * t + 2] = p;
      }
      select[i] = triples[i][2];
    }
    INDArray g = selectedLogit.tokenEmbeddingGradients(tokens, select).castTo(DataType.DOUBLE);
    int d = config.dModel();
    double[] flat = g.data().asDouble();
    double[][] ga = new double[n][d];
    double[][] gb = new double[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, (i * t) * d, ga[i], 0, d);
      System.arraycopy(flat, (i * t + 1) * d, gb[i], 0, d);
    }
    return GradientSymmetricity.meanCosine(ga, gb);
  }

  /** Mean over all inputs of the attention from the last position to positions 0 (a) and 1 (b). */
  private double[][] attentionToAandB(double[] attention) {
    int h = config.nHeads();
    int t = config.contextLength();
    int n = attention.length / (h * t);
    double[][] out = new double[2][h];
    for (int i = 0; i < n; i++) {
      for (int hh = 0; hh < h; hh++) {
        out[0][hh] += attention[(i * h + hh) * t];
        out[1][hh] += attention[(i * h + hh) * t + 1];
      }
    }
    for (int hh = 0; hh < h; hh++) {
      out[0][hh] /= n;
      out[1][hh] /= n;
    }
    return out;
  }

  /** Copies {@code snapshot}'s values into the live weights (for the post-pass). */
  public void load(Map<String, INDArray> snapshot) {
    for (Map.Entry<String, INDArray> e : snapshot.entrySet()) {
      parameters.get(e.getKey()).assign(e.getValue());
    }
  }
}
