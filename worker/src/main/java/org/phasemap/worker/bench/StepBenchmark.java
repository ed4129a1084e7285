package org.phasemap.worker.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.train.Trainer;

/**
 * Milliseconds per full-batch training step (forward, backward, AdamW) of a preset, after warm-up,
 * on the calling thread. Usage: {@code StepBenchmark PRESET [MODULUS] [WARMUP] [STEPS]}.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** Median, min and max milliseconds of {@code measured} steps after {@code warmup} steps. */
  public record Result(
      String preset,
      int modulus,
      String implementation,
      double medianMs,
      double minMs,
      double maxMs,
      int steps) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s p=%d (%s): median %.1f ms/step (min %.1f, max %.1f, %d steps)",
          preset,
          modulus,
          implementation,
          medianMs,
          minMs,
          maxMs,
          steps);
    }
  }

  /**
   * FLOPs of one full-batch step of the exact formulation as SCIENCE.md section 6 counts them: what
   * stays dense per example is the MLP output map and the unembedding, forward and two backward
   * products: 6 * n_train * (d_mlp * d_model + d_model * p).
   */
  public static double exactStepFlops(RunConfig c) {
    return 6.0
        * c.trainSize()
        * ((double) c.dMlp() * c.dModel() + (double) c.dModel() * c.modulus());
  }

  /**
   * FLOPs of one full-batch step that the exact formulations cannot avoid, for any depth: 6 per
   * multiply-add (forward and two backward products, 2 FLOPs each) of the dense per-example maps,
   * after folding into per-slot tables whatever is linear in a slot's residual vector.
   *
   * <ul>
   *   <li>One layer: SCIENCE.md section 6, {@link #exactStepFlops}: n (d_mlp d + d p).
   *   <li>First layer of a deeper model, at every position: only W_out (its MLP input is a linear
   *       combination of per-slot vectors, so W_Q, W_K, W_V, W_O and W_in fold into tables).
   *   <li>Middle layers, at every position: W_Q, W_K, W_V, W_O, W_in, W_out.
   *   <li>Last layer: W_K, W_V at every position; W_Q, W_O, W_in, W_out and W_U at the last.
   * </ul>
   */
  public static double floorFlops(RunConfig c) {
    if (c.nLayers() == 1) {
      return exactStepFlops(c);
    }
    double n = c.trainSize();
    double rows = n * c.contextLength();
    double d = c.dModel();
    double dm = c.dMlp();
    double macs = rows * dm * d; // first layer: W_out
    macs += (c.nLayers() - 2) * rows * (4 * d * d + 2 * d * dm); // middle layers
    macs += rows * 2 * d * d + n * (2 * d * d + 2 * d * dm + d * c.modulus()); // last layer
    return 6 * macs;
  }

  /**
   * Single-thread sgemm rate of this machine in GFLOP/s: the median of 40 products of the shapes
   * the steps spend most of their time in ([2784, 512] x [512, 128], float32), after 10 unmeasured.
   */
  public static double sgemmGflops() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 2784, 512);
    INDArray b = Nd4j.rand(DataType.FLOAT, 512, 128);
    INDArray c = Nd4j.create(DataType.FLOAT, 2784, 128);
    double[] ms = new double[50];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    double[] measured = Arrays.copyOfRange(ms, 10, ms.length);
    Arrays.sort(measured);
    return 2.0 * 2784 * 512 * 128 / measured[measured.length / 2] / 1e6;
  }

  /** Measures with the formulation the trainer picks (or the reference with {@code reference}). */
  public static Result measure(RunConfig config, int warmup, int measured, boolean reference) {
    String old = System.getProperty("phasemap.step");
    if (reference) {
      System.setProperty("phasemap.step", "reference");
    }
    try {
      return measure(config, warmup, measured);
    } finally {
      if (old == null) {
        System.clearProperty("phasemap.step");
      } else {
        System.setProperty("phasemap.step", old);
      }
    }
  }

  public static Result measure(RunConfig config, int warmup, int measured) {
    Trainer trainer = new Trainer(config);
    double[] ms = trainer.timeSteps(warmup, measured);
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return new Result(
        config.preset().specName(),
        config.modulus(),
        trainer.model().implementation(),
        sorted[sorted.length / 2],
        sorted[0],
        sorted[sorted.length - 1],
        measured);
  }

  /**
   * Times one case: {@code StepBenchmark PRESET [MODULUS [WARMUP [STEPS [FIELD=VALUE ...]]]]}, the
   * fields as in a sweep spec (d_model=64 n_layers=2 activation=gelu), for profiling one case
   * without the CLI.
   */
  public static void main(String[] args) {
    Provenance.singleThreaded();
    String preset = args.length > 0 ? args[0] : "nanda2023";
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    if (args.length > 1) {
      m.put("modulus", Integer.parseInt(args[1]));
    }
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    for (int i = 4; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      m.put(kv[0], kv[1].matches("-?[0-9]+") ? (Object) Integer.parseInt(kv[1]) : kv[1]);
    }
    m.put("steps", warmup + steps);
    m.put("log_interval", warmup + steps);
    System.out.println(measure(RunConfig.fromMap(m), warmup, steps));
  }
}
