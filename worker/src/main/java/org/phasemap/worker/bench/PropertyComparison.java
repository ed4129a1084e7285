package org.phasemap.worker.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.train.Trainer;

/**
 * Measures one step formulation against another in one JVM: for each case, two trainers built with
 * a system property set to each of two values, their steps interleaved one by one (A, B, A, B,
 * ...), and the median of each and of the paired ratios B / A. Steps taken 150 ms apart see the
 * same JIT, heap and machine; the paired ratio cancels the drift of a noisy machine, which moved by
 * ±30 % between runs of the same binary here and by ±15 % within one (docs/PERFORMANCE.md). {@code
 * scripts/bench-property} runs it.
 *
 * <p>Arguments: {@code PROPERTY VALUE_A VALUE_B PAIRS CASE...}, each case a comma-separated list of
 * run fields ({@code preset=zhong2023,d_model=128}); PAIRS measured pairs after 5 unmeasured.
 */
public final class PropertyComparison {
  private PropertyComparison() {}

  private static final int WARMUP = 5;

  public static void main(String[] args) {
    if (args.length < 5) {
      System.err.println(
          "usage: PropertyComparison PROPERTY VALUE_A VALUE_B PAIRS CASE... (a case: preset=zhong2023,d_model=128)");
      System.exit(2);
    }
    Provenance.singleThreaded();
    String property = args[0];
    String[] values = {args[1], args[2]};
    int pairs = Integer.parseInt(args[3]);
    if (pairs < 1) {
      System.err.println("PAIRS must be at least 1, got " + pairs);
      System.exit(2);
    }
    for (int a = 4; a < args.length; a++) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String kv : args[a].split(",")) {
        String[] p = kv.split("=", 2);
        m.put(p[0], p[1].matches("-?[0-9]+") ? (Object) Integer.parseInt(p[1]) : p[1]);
      }
      m.put("steps", 100);
      m.put("log_interval", 100);
      RunConfig config = RunConfig.fromMap(m);
      String old = System.getProperty(property);
      DoubleSupplier[] step = new DoubleSupplier[2];
      for (int v = 0; v < 2; v++) {
        System.setProperty(property, values[v]); // read when the trainer builds its model
        step[v] = new Trainer(config).timedStep();
      }
      restore(property, old);
      double[][] ms = new double[2][pairs];
      double[] ratio = new double[pairs];
      for (int i = -WARMUP; i < pairs; i++) {
        boolean aFirst = (i & 1) == 0;
        double ta = aFirst ? step[0].getAsDouble() : 0;
        double tb = step[1].getAsDouble();
        if (!aFirst) {
          ta = step[0].getAsDouble();
        }
        if (i >= 0) {
          ms[0][i] = ta;
          ms[1][i] = tb;
          ratio[i] = tb / ta;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%s: %s=%s %.1f ms, =%s %.1f ms; paired ratio %.3f (quartiles %.3f-%.3f; medians of %d"
              + " interleaved steps each)%n",
          args[a],
          property,
          values[0],
          median(ms[0]),
          values[1],
          median(ms[1]),
          median(ratio),
          quantile(ratio, 0.25),
          quantile(ratio, 0.75),
          pairs);
    }
  }

  private static void restore(String property, String old) {
    if (old == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, old);
    }
  }

  static double median(double[] x) {
    return quantile(x, 0.5);
  }

  static double quantile(double[] x, double q) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s[(int) Math.round(q * (s.length - 1))];
  }
}
