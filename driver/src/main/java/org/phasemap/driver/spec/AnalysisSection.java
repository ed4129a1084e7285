package org.phasemap.driver.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.classify.ClassifierThresholds;
import org.phasemap.worker.classify.DiVariant;
import org.phasemap.worker.classify.GsSampling;
import org.phasemap.worker.llc.LlcSettings;
import org.phasemap.worker.llc.NBetaRule;

/**
 * The optional {@code analysis:} block of a sweep spec: how every run of the sweep is measured and
 * labelled (docs/SPEC.md). Absent keys keep the defaults of {@link AnalysisOptions#defaults()}.
 *
 * <pre>
 * analysis:
 *   gs_triples: 1000          # or "all"
 *   gs_seed: 42
 *   key_frequency_threshold: 0.85
 *   key_frequency_floor: 0.01
 *   classifier:
 *     min_test_accuracy: 0.99
 *     min_circularity: 0.995
 *     pizza_min_gs: 0.98
 *     pizza_max_di: 0.40
 *     clock_max_gs: 0.90
 *     clock_min_di: 0.60
 *     di_variant: di_maxwrong # or di_correct
 * </pre>
 */
final class AnalysisSection {
  static final List<String> KEYS =
      List.of(
          "gs_triples",
          "gs_seed",
          "key_frequency_threshold",
          "key_frequency_floor",
          "classifier",
          "llc",
          "keep_checkpoint_weights",
          "interaction_basis",
          "interaction_graph");
  static final List<String> LLC_KEYS =
      List.of(
          "epsilon",
          "gamma",
          "nbeta",
          "chains",
          "draws",
          "burnin",
          "steps_between_draws",
          "batch_size",
          "noise_level",
          "weight_decay",
          "bounding_box",
          "seed");
  static final List<String> CLASSIFIER_KEYS =
      List.of(
          "min_test_accuracy",
          "min_circularity",
          "pizza_min_gs",
          "pizza_max_di",
          "clock_max_gs",
          "clock_min_di",
          "di_variant");

  private AnalysisSection() {}

  static AnalysisOptions parse(Object node, String source) {
    AnalysisOptions d = AnalysisOptions.defaults();
    if (node == null) {
      return d;
    }
    Map<String, Object> m = mapping("analysis", node, KEYS, source);
    GsSampling gs = d.gsSampling();
    Object triples = m.get("gs_triples");
    long gsSeed =
        m.containsKey("gs_seed")
            ? integer("analysis.gs_seed", m.get("gs_seed"), source)
            : gs.seed();
    try {
      if ("all".equals(triples)) {
        gs = GsSampling.allTriples();
      } else if (triples != null || m.containsKey("gs_seed")) {
        long n = triples == null ? gs.n() : integer("analysis.gs_triples", triples, source);
        gs = GsSampling.seeded((int) Math.min(n, Integer.MAX_VALUE), gsSeed);
      }
    } catch (IllegalArgumentException e) {
      throw SweepSpecException.invalid(source, "analysis.gs_triples: " + e.getMessage());
    }
    double threshold =
        number(m, "key_frequency_threshold", d.keyFrequencyThreshold(), 0, 1, source);
    double floor = number(m, "key_frequency_floor", d.keyFrequencyFloor(), 0, 1, source);
    ClassifierThresholds t = d.thresholds();
    if (m.get("classifier") != null) {
      Map<String, Object> c =
          mapping("analysis.classifier", m.get("classifier"), CLASSIFIER_KEYS, source);
      DiVariant variant = t.diVariant();
      if (c.containsKey("di_variant")) {
        Object v = c.get("di_variant");
        try {
          variant = DiVariant.fromColumn(String.valueOf(v));
        } catch (IllegalArgumentException e) {
          throw SweepSpecException.invalid(
              source,
              "analysis.classifier.di_variant: "
                  + v
                  + " is not allowed (allowed: di_maxwrong, di_correct)");
        }
      }
      try {
        t =
            new ClassifierThresholds(
                cut(c, "min_test_accuracy", t.minTestAccuracy(), source),
                cut(c, "min_circularity", t.minCircularity(), source),
                cut(c, "pizza_min_gs", t.pizzaMinGs(), source),
                cut(c, "pizza_max_di", t.pizzaMaxDi(), source),
                cut(c, "clock_max_gs", t.clockMaxGs(), source),
                cut(c, "clock_min_di", t.clockMinDi(), source),
                variant);
      } catch (IllegalArgumentException e) {
        throw SweepSpecException.invalid(source, "analysis.classifier: " + e.getMessage());
      }
    }
    Object keep = m.getOrDefault("keep_checkpoint_weights", false);
    if (!(keep instanceof Boolean)) {
      throw SweepSpecException.invalid(
          source,
          "analysis.keep_checkpoint_weights: " + keep + " is not allowed (allowed: true, false)");
    }
    Object basis = m.getOrDefault("interaction_basis", false);
    if (!(basis instanceof Boolean)) {
      throw SweepSpecException.invalid(
          source,
          "analysis.interaction_basis: " + basis + " is not allowed (allowed: true, false)");
    }
    Object graph = m.getOrDefault("interaction_graph", false);
    if (!(graph instanceof Boolean)) {
      throw SweepSpecException.invalid(
          source,
          "analysis.interaction_graph: " + graph + " is not allowed (allowed: true, false)");
    }
    if ((Boolean) graph && !(Boolean) basis) {
      throw SweepSpecException.invalid(
          source,
          "analysis.interaction_graph: true needs analysis.interaction_basis: true (the graph is"
              + " built on the interaction basis)");
    }
    return new AnalysisOptions(
        gs,
        t,
        threshold,
        floor,
        llc(m.get("llc"), source),
        (Boolean) keep,
        (Boolean) basis,
        (Boolean) graph);
  }

  /**
   * The {@code llc:} mapping: SGLD settings of the local learning coefficient estimated at every
   * checkpoint (docs/LLC.md). Absent keys keep {@link LlcSettings#defaults()}; {@code nbeta} is a
   * number, {@code n/ln n} (training-set size, Lau et al.) or {@code m/ln m} (batch size,
   * devinterp).
   */
  private static LlcSettings llc(Object node, String source) {
    if (node == null) {
      return null;
    }
    Map<String, Object> m = mapping("analysis.llc", node, LLC_KEYS, source);
    LlcSettings s = LlcSettings.defaults();
    try {
      for (Map.Entry<String, Object> e : m.entrySet()) {
        String path = "analysis.llc." + e.getKey();
        Object v = e.getValue();
        s =
            switch (e.getKey()) {
              case "epsilon" -> s.withEpsilon(real(path, v, source));
              case "gamma" -> s.withGamma(real(path, v, source));
              case "nbeta" ->
                  "n/ln n".equals(v)
                      ? s.withNBetaRule(NBetaRule.DATASET_SIZE)
                      : "m/ln m".equals(v)
                          ? s.withNBetaRule(NBetaRule.BATCH_SIZE)
                          : s.withNBeta(
                              real(path + " (a number, \"n/ln n\" or \"m/ln m\")", v, source));
              case "chains" -> s.withNumChains((int) integer(path, v, source));
              case "draws" -> s.withNumDraws((int) integer(path, v, source));
              case "burnin" -> s.withNumBurnin((int) integer(path, v, source));
              case "steps_between_draws" ->
                  s.withNumStepsBetweenDraws((int) integer(path, v, source));
              case "batch_size" -> s.withBatchSize((int) integer(path, v, source));
              case "noise_level" -> s.withNoiseLevel(real(path, v, source));
              case "weight_decay" -> s.withWeightDecay(real(path, v, source));
              case "bounding_box" -> s.withBoundingBox(real(path, v, source));
              case "seed" -> s.withSeed(integer(path, v, source));
              default -> throw new AssertionError(e.getKey());
            };
      }
    } catch (SweepSpecException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw SweepSpecException.invalid(source, "analysis.llc: " + e.getMessage());
    }
    return s;
  }

  private static double real(String path, Object v, String source) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw SweepSpecException.invalid(source, path + ": " + v + " is not a number");
  }

  private static Map<String, Object> mapping(
      String path, Object node, List<String> allowed, String source) {
    if (!(node instanceof Map<?, ?> raw)) {
      throw SweepSpecException.invalid(source, path + ": expected a mapping (got " + node + ")");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : raw.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!allowed.contains(key)) {
        throw SweepSpecException.invalid(
            source,
            path
                + ": unknown key '"
                + key
                + "'"
                + Suggest.didYouMean(key, allowed)
                + " (allowed: "
                + String.join(", ", allowed)
                + ")");
      }
      m.put(key, e.getValue());
    }
    return m;
  }

  private static long integer(String path, Object v, String source) {
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw SweepSpecException.invalid(source, path + ": " + v + " is not an integer");
  }

  private static double number(
      Map<String, Object> m, String key, double dflt, double lo, double hi, String source) {
    if (!m.containsKey(key)) {
      return dflt;
    }
    Object v = m.get(key);
    if (!(v instanceof Number n) || !(n.doubleValue() >= lo && n.doubleValue() <= hi)) {
      throw SweepSpecException.invalid(
          source,
          "analysis."
              + key
              + ": "
              + v
              + " is not allowed (allowed: number in ["
              + lo
              + ", "
              + hi
              + "])");
    }
    return n.doubleValue();
  }

  private static double cut(Map<String, Object> c, String key, double dflt, String source) {
    if (!c.containsKey(key)) {
      return dflt;
    }
    Object v = c.get(key);
    if (!(v instanceof Number n)) {
      throw SweepSpecException.invalid(
          source, "analysis.classifier." + key + ": " + v + " is not a number");
    }
    return n.doubleValue();
  }
}
