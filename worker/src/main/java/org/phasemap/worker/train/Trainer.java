package org.phasemap.worker.train;

import java.io.IOException;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.Parameters;
import org.phasemap.worker.model.TransformerGraph;

/**
 * Full-batch AdamW training of one run (SCIENCE.md 1.2 and 2.1): every step computes the loss and
 * gradients over the whole training set and applies one update.
 *
 * <p>A row is logged at step 0, every {@code log_interval} steps and at the final step. The train
 * loss of step s is taken from the forward pass that computes step s's gradients, so it costs
 * nothing extra; the test set is evaluated only at logged steps. A non-finite training loss stops
 * the run with status {@code diverged}.
 */
public final class Trainer {
  private final RunConfig config;
  private final ModularAddition data;
  private final Parameters parameters;
  private final TransformerGraph graph;
  private final Map<String, INDArray> trainInputs;
  private final Map<String, INDArray> testInputs;
  private final int[] trainLabels;
  private final int[] testLabels;

  public Trainer(RunConfig config) {
    this.config = config;
    this.data = ModularAddition.of(config);
    this.parameters = Parameters.initialise(config);
    this.graph = TransformerGraph.build(config, parameters);
    int[] train = data.trainIndices();
    int[] test = data.testIndices();
    this.trainLabels = data.labels(train);
    this.testLabels = data.labels(test);
    this.trainInputs = graph.inputs(data.tokens(train), trainLabels);
    this.testInputs = graph.inputs(data.tokens(test), testLabels);
  }

  public Parameters parameters() {
    return parameters;
  }

  public TransformerGraph graph() {
    return graph;
  }

  public ModularAddition data() {
    return data;
  }

  /** Trains for {@code steps} updates, sending logged rows to {@code sink}. */
  public RunOutcome train(StepSink sink) throws IOException {
    AdamW opt =
        new AdamW(
            config.lr(),
            config.beta1(),
            config.beta2(),
            config.adamEps(),
            config.weightDecay(),
            config.warmupSteps());
    long start = System.nanoTime();
    long stepNanos = 0;
    StepRecord last = null;
    for (int s = 0; s <= config.steps(); s++) {
      boolean logged = s % config.logInterval() == 0 || s == config.steps();
      long t0 = System.nanoTime();
      double trainLoss;
      double trainAcc;
      OutAndGrad og = null;
      if (s < config.steps()) {
        og = graph.lossAndGradients(trainInputs);
        trainLoss = og.getOutputs().get(TransformerGraph.LOSS).getDouble(0);
        trainAcc = logged ? accuracy(og.getOutputs().get(TransformerGraph.LOGITS), trainLabels) : Double.NaN;
      } else {
        Map<String, INDArray> out = graph.evaluate(trainInputs);
        trainLoss = out.get(TransformerGraph.LOSS).getDouble(0);
        trainAcc = accuracy(out.get(TransformerGraph.LOGITS), trainLabels);
      }
      if (og != null) {
        stepNanos += System.nanoTime() - t0;
      }
      if (!Double.isFinite(trainLoss)) {
        double secs = (System.nanoTime() - start) / 1e9;
        return new RunOutcome(
            RunOutcome.DIVERGED,
            "training loss is " + trainLoss + " at step " + s,
            s,
            s,
            last == null ? -1 : last.step(),
            last,
            secs,
            stepNanos / 1e9);
      }
      if (logged) {
        Map<String, INDArray> test = graph.evaluate(testInputs);
        last =
            new StepRecord(
                s,
                opt.currentLearningRate(),
                trainLoss,
                trainAcc,
                test.get(TransformerGraph.LOSS).getDouble(0),
                accuracy(test.get(TransformerGraph.LOGITS), testLabels),
                parameters.sumOfSquares(),
                (System.nanoTime() - start) / 1e9);
        sink.accept(last);
      }
      if (og != null) {
        long t1 = System.nanoTime();
        opt.step(parameters.asMap(), og.getGradients());
        stepNanos += System.nanoTime() - t1;
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    return new RunOutcome(
        RunOutcome.OK, null, config.steps(), -1, last.step(), last, secs, stepNanos / 1e9);
  }

  /**
   * Runs {@code warmup} + {@code measured} training steps (gradients and update, no logging) and
   * returns the wall time in milliseconds of each measured one. For benchmarks.
   */
  public double[] timeSteps(int warmup, int measured) {
    AdamW opt =
        new AdamW(config.lr(), config.beta1(), config.beta2(), config.adamEps(), config.weightDecay(),
            config.warmupSteps());
    double[] ms = new double[measured];
    for (int i = 0; i < warmup + measured; i++) {
      long t0 = System.nanoTime();
      OutAndGrad og = graph.lossAndGradients(trainInputs);
      opt.step(parameters.asMap(), og.getGradients());
      if (i >= warmup) {
        ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return ms;
  }

  /** Share of rows whose argmax equals the label. */
  public static double accuracy(INDArray logits, int[] labels) {
    INDArray argmax = logits.argMax(1);
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (argmax.getLong(i) == labels[i]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }
}
