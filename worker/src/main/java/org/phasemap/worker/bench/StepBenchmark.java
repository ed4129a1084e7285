package org.phasemap.worker.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.train.Trainer;

/**
 * Milliseconds per full-batch training step (forward, backward, AdamW) of a preset, after
 * warm-up, on the calling thread. Usage: {@code StepBenchmark PRESET [MODULUS] [WARMUP] [STEPS]}.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** Median, min and max milliseconds of {@code measured} steps after {@code warmup} steps. */
  public record Result(String preset, int modulus, double medianMs, double minMs, double maxMs, int steps) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s p=%d: median %.1f ms/step (min %.1f, max %.1f, %d steps)",
          preset, modulus, medianMs, minMs, maxMs, steps);
    }
  }

  /**
   * FLOPs of one full-batch step of the exact formulation as SCIENCE.md section 6 counts them: what
   * stays dense per example is the MLP output map and the unembedding, forward and two backward
   * products: 6 * n_train * (d_mlp * d_model + d_model * p).
   */
  public static double exactStepFlops(RunConfig c) {
    return 6.0 * c.trainSize() * ((double) c.dMlp() * c.dModel() + (double) c.dModel() * c.modulus());
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
    return new Result(config.preset(), config.modulus(), sorted[sorted.length / 2], sorted[0],
        sorted[sorted.length - 1], measured);
  }

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
    m.put("steps", warmup + steps);
    m.put("log_interval", warmup + steps);
    System.out.println(measure(RunConfig.fromMap(m), warmup, steps));
  }
}
