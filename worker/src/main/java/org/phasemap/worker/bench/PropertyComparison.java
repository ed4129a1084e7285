package org.phasemap.worker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;

/**
 * Measures one step formulation against another in one JVM: for each case, rounds of {@link
 * StepBenchmark#measure} alternating a system property between two values, then the median of each.
 * Alternating in one process keeps the JIT, the heap and the machine's drift the same for both,
 * which separate runs of a noisy machine do not (docs/PERFORMANCE.md). {@code
 * scripts/bench-property} runs it.
 *
 * <p>Arguments: {@code PROPERTY VALUE_A VALUE_B ROUNDS CASE...}, each case a comma-separated list
 * of run fields ({@code preset=zhong2023,d_model=128}).
 */
public final class PropertyComparison {
  private PropertyComparison() {}

  public static void main(String[] args) {
    if (args.length < 5) {
      System.err.println(
          "usage: PropertyComparison PROPERTY VALUE_A VALUE_B ROUNDS CASE... (a case: preset=zhong2023,d_model=128)");
      System.exit(2);
    }
    Provenance.singleThreaded();
    String property = args[0];
    String[] values = {args[1], args[2]};
    int rounds = Integer.parseInt(args[3]);
    for (int a = 4; a < args.length; a++) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String kv : args[a].split(",")) {
        String[] p = kv.split("=", 2);
        m.put(p[0], p[1].matches("-?[0-9]+") ? (Object) Integer.parseInt(p[1]) : p[1]);
      }
      m.put("steps", 100);
      m.put("log_interval", 100);
      RunConfig config = RunConfig.fromMap(m);
      List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
      for (int r = 0; r < rounds; r++) {
        for (int v = 0; v < 2; v++) {
          System.setProperty(property, values[v]);
          ms.get(v).add(StepBenchmark.measure(config, 3, 8).medianMs());
        }
      }
      double[] median = new double[2];
      for (int v = 0; v < 2; v++) {
        Collections.sort(ms.get(v));
        median[v] = ms.get(v).get(rounds / 2);
      }
      System.out.printf(
          Locale.ROOT,
          "%s: %s=%s %.1f ms, =%s %.1f ms, ratio %.2f (medians of %d rounds; %s=%s, %s=%s)%n",
          args[a],
          property,
          values[0],
          median[0],
          values[1],
          median[1],
          median[1] / median[0],
          rounds,
          values[0],
          ms.get(0),
          values[1],
          ms.get(1));
    }
  }
}
