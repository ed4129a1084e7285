package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.measure.CrossEntropy;
import org.phasemap.worker.model.Parameters;

/**
 * Runs the degeneracy measures of issue #17 on a model: the interaction and PCA bases of every node
 * layer ({@link InteractionBases}), their ablation curves ({@link AblationCurve}), the Fourier
 * label of every direction ({@link FourierLabels}), the synchronised neurons ({@link
 * SynchronisedNeurons}) and, unless the options leave it out, the interaction graph ({@link
 * InteractionGraph}). The entry point for {@code phasemap analyze} is {@link #of(RunConfig,
 * Parameters, DegeneracyOptions)}; cost in docs/DEGENERACY.md.
 */
public final class DegeneracyAnalysis {

  private DegeneracyAnalysis() {}

  /**
   * The report of a transformer of any depth over all p² inputs, at the last position, in float64
   * (node layers: {@link TransformerChain}).
   */
  public static DegeneracyReport of(
      RunConfig config, Parameters parameters, DegeneracyOptions options) {
    return of(TransformerChain.of(config, parameters), options);
  }

  /** The report of any chain. */
  public static DegeneracyReport of(NodeChain chain, DegeneracyOptions options) {
    long start = System.nanoTime();
    int last = chain.layers() - 1;
    int[] labels = chain.labels();
    double[][] logits = chain.activations(last).toArray();
    double loss = CrossEntropy.loss(logits, labels);
    double accuracy = CrossEntropy.accuracy(logits, labels);
    List<InteractionBases.Layer> bases = InteractionBases.build(chain, options);
    List<DegeneracyReport.Layer> layers = new ArrayList<>();
    for (int l = 0; l <= last; l++) {
      InteractionBases.Layer b = bases.get(l);
      layers.add(
          new DegeneracyReport.Layer(
              chain.name(l),
              chain.width(l),
              chain.positions(l),
              b.gramEigenvalues(),
              b.gramRank(),
              b.jacobianEigenvalues(),
              b.jacobianRank(),
              b.interactionEigenvalues(),
              b.interaction().size(),
              AblationCurve.measure(chain, l, b.interaction(), accuracy, options),
              AblationCurve.measure(chain, l, b.pca(), accuracy, options),
              FourierLabels.of(chain, l, b.interaction()),
              FourierLabels.of(chain, l, b.pca())));
    }
    List<SynchronisedNeurons> sync = new ArrayList<>();
    for (Map.Entry<String, DoubleMatrix> e : chain.neuronPreActivations().entrySet()) {
      sync.add(SynchronisedNeurons.find(e.getKey(), e.getValue(), options.syncTolerance()));
    }
    InteractionGraph graph = null;
    if (options.interactionGraph()) {
      List<LayerBasis> interaction =
          bases.stream().map(InteractionBases.Layer::interaction).toList();
      graph = InteractionGraph.of(chain, interaction, accuracy, options);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new DegeneracyReport(
        options, chain.inputs(), loss, accuracy, layers, sync, graph, seconds);
  }
}
