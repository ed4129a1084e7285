package org.phasemap.worker.train;

import java.io.IOException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.model.ModelFunction.Batch;
import org.phasemap.worker.model.Parameters;

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
  private final ModelFunction model;
  private final Batch trainBatch;
  private final Batch testBatch;

  public Trainer(RunConfig config) {
    this.config = config;
    this.data = ModularAddition.of(config);
    this.parameters = Parameters.initialise(config);
    this.model = ModelFunction.create(config, parameters);
    int[] train = data.trainIndices();
    int[] test = data.testIndices();
    this.trainBatch = new Batch(data.tokens(train), data.labels(train));
    this.testBatch = new Batch(data.tokens(test), data.labels(test));
  }

  public Parameters parameters() {
    return parameters;
  }

  /** The model function in use (exact one-layer or reference graph). */
  public ModelFunction model() {
    return model;
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
      ModelFunction.OutputAndGradients og = null;
      if (s < config.steps()) {
        og = model.lossAndGradients(trainBatch);
        trainLoss = og.loss();
        trainAcc = logged ? accuracy(og.logits(), trainBatch.labels()) : Double.NaN;
      } else {
        ModelFunction.Output out = model.evaluate(trainBatch);
        trainLoss = out.loss();
        trainAcc = accuracy(out.logits(), trainBatch.labels());
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
        ModelFunction.Output test = model.evaluate(testBatch);
        last =
            new StepRecord(
                s,
                opt.currentLearningRate(),
                trainLoss,
                trainAcc,
                test.loss(),
                accuracy(test.logits(), testBatch.labels()),
                parameters.sumOfSquares(),
                (System.nanoTime() - start) / 1e9);
        sink.accept(last);
      }
      if (og != null) {
        long t1 = System.nanoTime();
        opt.step(parameters.asMap(), og.gradients());
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
      ModelFunction.OutputAndGradients og = model.lossAndGradients(trainBatch);
      opt.step(parameters.asMap(), og.gradients());
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
