package org.phasemap.worker.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.analysis.Analyzer;
import org.phasemap.worker.analysis.Checkpoint;
import org.phasemap.worker.analysis.Spectra;
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
 * nothing extra; the test set is evaluated only at logged steps.
 *
 * <p>Divergence (docs/SPEC.md): a run stops with status {@code diverged} at the first step whose
 * training loss is not finite, or when the training loss has stayed above {@link #BLOW_UP_FACTOR}
 * times ln p (the loss of a uniform guess; a fresh model starts near it) for {@link #BLOW_UP_STEPS}
 * consecutive steps; {@code diverged_step} is then the first step of that stretch. Finite blow-ups
 * (lr far too high) thus never pass as honest runs that failed to generalise.
 */
public final class Trainer {
  /** A training loss this many times ln p is a blow-up, not learning. */
  public static final double BLOW_UP_FACTOR = 10;

  /** Consecutive blown-up steps after which a run is stopped as diverged. */
  public static final int BLOW_UP_STEPS = 10;

  private final RunConfig config;
  private final ModularAddition data;
  private final Parameters parameters;
  private final ModelFunction model;
  private final Batch trainBatch;
  private final Batch testBatch;
  private int nanStep = -1;
  private Runnable onStep = () -> {};
  private CheckpointWeights checkpointWeights;
  private boolean keepWeights;

  /** Receives the weights of a checkpoint step (when the analysis options keep them). */
  public interface CheckpointWeights {
    void accept(int step, Parameters weights) throws IOException;
  }

  /**
   * Where the weights of every checkpoint go when {@link AnalysisOptions#keepCheckpointWeights()}
   * is set (a run's task saves them, so that other runs can start from them).
   */
  public void onCheckpointWeights(CheckpointWeights sink) {
    this.checkpointWeights = sink;
  }

  public Trainer(RunConfig config) {
    this(config, drawnWeights(config), ModularAddition.of(config));
  }

  /** Weights drawn from init_seed; refuses a config that names its weights or split in files. */
  private static Parameters drawnWeights(RunConfig config) {
    if (!config.initWeights().isEmpty() || !config.split().isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot draw the inputs of a run whose init_weights or split name files;"
              + " use Trainer.forRun");
    }
    return Parameters.initialise(config);
  }

  /**
   * The trainer of a planned run: its initial weights and split from files when {@code
   * init_weights} or {@code split} name them (checked against their recorded content), else drawn
   * from init_seed and data_seed.
   */
  public static Trainer forRun(RunConfig config) throws IOException {
    return new Trainer(
        config,
        org.phasemap.worker.io.RunInputs.initialWeights(config),
        org.phasemap.worker.io.RunInputs.split(config));
  }

  /**
   * A run from given initial weights and a given split (imported, or a fork's checkpoint); the
   * weights are trained in place.
   */
  public Trainer(RunConfig config, Parameters initial, ModularAddition split) {
    this.config = config;
    this.data = split;
    this.parameters = initial;
    this.model = ModelFunction.create(config, parameters);
    int[] train = data.trainIndices();
    int[] test = data.testIndices();
    this.trainBatch = new Batch(data.tokens(train), data.labels(train));
    this.testBatch = new Batch(data.tokens(test), data.labels(test));
  }

  public Parameters parameters() {
    return parameters;
  }

  /** The model function in use (an exact step, or the reference graph). */
  public ModelFunction model() {
    return model;
  }

  public ModularAddition data() {
    return data;
  }

  /**
   * Trains for {@code steps} updates. Logged rows are buffered and sent to {@code sink} at the end,
   * after the post-pass has added the retrospective measures to the checkpoint rows.
   */
  public RunOutcome train(StepSink sink) throws IOException {
    return train(sink, AnalysisOptions.defaults());
  }

  /** Called after every optimiser update (progress reporting). */
  public void onStep(Runnable callback) {
    this.onStep = callback;
  }

  /**
   * Fault injection for resilience tests: poisons the unembedding with NaN just before step {@code
   * step}, so the run diverges there for real (its loss becomes NaN).
   */
  public void injectNanAt(int step) {
    this.nanStep = step;
  }

  /** True at the steps where the full analysis runs: every checkpoint_interval, and the last. */
  boolean isCheckpoint(int s) {
    int ci = config.checkpointInterval();
    return s == config.steps() || (ci > 0 && s % ci == 0);
  }

  public RunOutcome train(StepSink sink, AnalysisOptions options) throws IOException {
    AdamW opt =
        new AdamW(
            config.lr(),
            config.beta1(),
            config.beta2(),
            config.adamEps(),
            config.weightDecay(),
            config.warmupSteps());
    Analyzer analyzer = new Analyzer(config, model, data, options);
    keepWeights = options.keepCheckpointWeights() && checkpointWeights != null;
    List<StepRecord> rows = new ArrayList<>();
    try (CheckpointStore snapshots = CheckpointStore.withDefaultBudget()) {
      return train(sink, opt, analyzer, rows, snapshots);
    }
  }

  private RunOutcome train(
      StepSink sink, AdamW opt, Analyzer analyzer, List<StepRecord> rows, CheckpointStore snapshots)
      throws IOException {
    long start = System.nanoTime();
    long stepNanos = 0;
    long analysisNanos = 0;
    StepRecord last = null;
    double blowUp = BLOW_UP_FACTOR * Math.log(config.modulus());
    int blownSince = -1;
    for (int s = 0; s <= config.steps(); s++) {
      if (s == nanStep) {
        parameters.get("unembed.W_U").assign(Double.NaN);
      }
      boolean checkpoint = isCheckpoint(s);
      boolean logged = s % config.logInterval() == 0 || checkpoint;
      long t0 = System.nanoTime();
      double trainLoss;
      double trainAcc;
      ModelFunction.OutputAndGradients og = null;
      if (s < config.steps()) {
        og = model.lossAndGradients(trainBatch);
        trainLoss = og.loss();
        trainAcc = logged ? accuracy(og.logits(), trainBatch.labels()) : Double.NaN;
        stepNanos += System.nanoTime() - t0;
      } else {
        ModelFunction.Output out = model.evaluate(trainBatch);
        trainLoss = out.loss();
        trainAcc = accuracy(out.logits(), trainBatch.labels());
      }
      blownSince = trainLoss > blowUp ? (blownSince < 0 ? s : blownSince) : -1;
      boolean blownUp = blownSince >= 0 && s - blownSince + 1 >= BLOW_UP_STEPS;
      if (!Double.isFinite(trainLoss) || blownUp) {
        emit(rows, sink);
        double secs = (System.nanoTime() - start) / 1e9;
        int at = Double.isFinite(trainLoss) ? blownSince : s;
        String why =
            Double.isFinite(trainLoss)
                ? String.format(
                    java.util.Locale.ROOT,
                    "training loss above %.3g (%.0f x ln p) for %d steps from step %d (%.3g at step %d)",
                    blowUp,
                    BLOW_UP_FACTOR,
                    BLOW_UP_STEPS,
                    blownSince,
                    trainLoss,
                    s)
                : "training loss is " + trainLoss + " at step " + s;
        return new RunOutcome(
            RunOutcome.DIVERGED,
            why,
            s,
            at,
            last == null ? -1 : last.step(),
            last,
            -1,
            secs,
            stepNanos / 1e9,
            analysisNanos / 1e9,
            model.implementation());
      }
      if (logged) {
        ModelFunction.Output test = model.evaluate(testBatch);
        double testAcc = accuracy(test.logits(), testBatch.labels());
        long a0 = System.nanoTime();
        Checkpoint cp = null;
        if (checkpoint) {
          cp = analyzer.checkpoint(testAcc);
          snapshots.put(s, parameters);
          if (keepWeights) {
            checkpointWeights.accept(s, parameters);
          }
        }
        Spectra spectra = analyzer.spectra();
        if (checkpoint) {
          NativeMemory.release();
        }
        analysisNanos += System.nanoTime() - a0;
        last =
            new StepRecord(
                s,
                opt.currentLearningRate(),
                trainLoss,
                trainAcc,
                test.loss(),
                testAcc,
                parameters.sumOfSquares(),
                (System.nanoTime() - start) / 1e9,
                spectra,
                cp);
        rows.add(last);
      }
      if (og != null) {
        long t1 = System.nanoTime();
        opt.step(parameters.asMap(), og.gradients());
        stepNanos += System.nanoTime() - t1;
        onStep.run();
      }
    }
    long a0 = System.nanoTime();
    postPass(analyzer, rows, snapshots);
    NativeMemory.release();
    analysisNanos += System.nanoTime() - a0;
    last = rows.get(rows.size() - 1);
    emit(rows, sink);
    double secs = (System.nanoTime() - start) / 1e9;
    return new RunOutcome(
        RunOutcome.OK,
        null,
        config.steps(),
        -1,
        last.step(),
        last,
        labelSinceStep(rows),
        secs,
        stepNanos / 1e9,
        analysisNanos / 1e9,
        model.implementation());
  }

  /**
   * The paper's retrospective measures: restricted and excluded loss of every checkpoint with the
   * final model's key frequencies. Loads each snapshot into the live weights, then the final one.
   */
  private void postPass(Analyzer analyzer, List<StepRecord> rows, CheckpointStore snapshots) {
    StepRecord fin = rows.get(rows.size() - 1);
    int[] finalKeys = fin.checkpoint().progress().keyFrequencies();
    Map<String, INDArray> finalWeights = snapshots.get(fin.step());
    for (int i = 0; i < rows.size(); i++) {
      StepRecord r = rows.get(i);
      if (r.checkpoint() != null) {
        analyzer.load(snapshots.get(r.step()));
        rows.set(
            i,
            r.withCheckpoint(r.checkpoint().withRetrospective(analyzer.retrospective(finalKeys))));
      }
    }
    analyzer.load(finalWeights);
  }

  /** Earliest checkpoint step from which every checkpoint has the final label, or -1. */
  static int labelSinceStep(List<StepRecord> rows) {
    String finalLabel = null;
    int since = -1;
    for (int i = rows.size() - 1; i >= 0; i--) {
      Checkpoint c = rows.get(i).checkpoint();
      if (c == null) {
        continue;
      }
      if (finalLabel == null) {
        finalLabel = c.algorithm().label();
      }
      if (!c.algorithm().label().equals(finalLabel)) {
        break;
      }
      since = rows.get(i).step();
    }
    return since;
  }

  private static void emit(List<StepRecord> rows, StepSink sink) throws IOException {
    for (StepRecord r : rows) {
      sink.accept(r);
    }
  }

  /**
   * Runs {@code warmup} + {@code measured} training steps (gradients and update, no logging) and
   * returns the wall time in milliseconds of each measured one. For benchmarks.
   */
  public double[] timeSteps(int warmup, int measured) {
    DoubleSupplier step = timedStep();
    double[] ms = new double[measured];
    for (int i = 0; i < warmup + measured; i++) {
      double t = step.getAsDouble();
      if (i >= warmup) {
        ms[i - warmup] = t;
      }
    }
    return ms;
  }

  /**
   * One optimiser over this trainer's parameters; each call runs one training step (gradients and
   * update, no logging) and returns its wall time in milliseconds. For benchmarks that interleave
   * the steps of several trainers.
   */
  public DoubleSupplier timedStep() {
    AdamW opt =
        new AdamW(
            config.lr(),
            config.beta1(),
            config.beta2(),
            config.adamEps(),
            config.weightDecay(),
            config.warmupSteps());
    return () -> {
      long t0 = System.nanoTime();
      ModelFunction.OutputAndGradients og = model.lossAndGradients(trainBatch);
      opt.step(parameters.asMap(), og.gradients());
      return (System.nanoTime() - t0) / 1e6;
    };
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
