package org.phasemap.driver.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phasemap.driver.sampling.PointSequence;
import org.phasemap.worker.RunConfig;

/**
 * The optional {@code random:} block of a sweep spec (docs/SAMPLING.md), parsed into {@link
 * RandomAxes}:
 *
 * <pre>
 * random:
 *   samples: 64              # required: random points, each combined with every grid point
 *   sequence: sobol          # sobol | halton | uniform; default sobol
 *   axes:                    # required: run field to distribution
 *     attention_rate: uniform(0, 1)
 *     d_model: log_uniform(32, 512, step=4)
 *     n_layers: int_uniform(1, 4)
 *     activation: choice([relu, gelu])
 * </pre>
 *
 * Each distribution's smallest and largest value (every value of a choice) is checked against the
 * field's declaration ({@link RunConfig.Field#check}) here, so that a bound out of range is
 * reported at its axis; the rules that tie fields together are checked for every run by the
 * planner.
 */
final class RandomSection {
  static final List<String> KEYS = List.of("samples", "sequence", "axes");

  private RandomSection() {}

  /** The random axes, or {@code null} when the block is absent. */
  static RandomAxes parse(Object node, String source) {
    if (node == null) {
      return null;
    }
    Map<String, Object> m = mapping("random", node, KEYS, "key", source);
    int samples = samples(m.get("samples"), source);
    PointSequence sequence = sequence(m.get("sequence"), source);
    Object axesNode = m.get("axes");
    if (axesNode == null) {
      throw SweepSpecException.invalid(
          source,
          "random.axes: missing; give at least one run field and its distribution (allowed forms: "
              + Distribution.FORMS
              + ")");
    }
    List<String> fields = new ArrayList<>(RunConfig.fieldNames());
    fields.remove("preset");
    Map<String, Object> axesMap = mapping("random.axes", axesNode, fields, "run field", source);
    if (axesMap.isEmpty() || axesMap.size() > sequence.maxDimensions()) {
      throw SweepSpecException.invalid(
          source,
          "random.axes: "
              + sequence.specName()
              + " takes 1 to "
              + sequence.maxDimensions()
              + " random axes (got "
              + axesMap.size()
              + ")");
    }
    List<RandomAxes.Axis> axes = new ArrayList<>();
    for (Map.Entry<String, Object> e : axesMap.entrySet()) {
      String path = "random.axes." + e.getKey();
      RunConfig.Field field = RunConfig.field(e.getKey());
      if (!(e.getValue() instanceof String text)) {
        throw SweepSpecException.invalid(
            source,
            path
                + ": expected a distribution such as uniform(0, 1) (got "
                + e.getValue()
                + "; allowed forms: "
                + Distribution.FORMS
                + ")");
      }
      Distribution d;
      try {
        d = Distribution.parse(text, field);
      } catch (IllegalArgumentException ex) {
        throw SweepSpecException.invalid(source, path + ": " + ex.getMessage());
      }
      for (Object value : d.extremes(field)) {
        try {
          field.check(value);
        } catch (IllegalArgumentException ex) {
          throw SweepSpecException.invalid(
              source, path + ": " + d.text() + " gives " + value + ": " + ex.getMessage());
        }
      }
      axes.add(new RandomAxes.Axis(e.getKey(), d));
    }
    return new RandomAxes(samples, sequence, axes);
  }

  private static int samples(Object v, String source) {
    if (v == null) {
      throw SweepSpecException.invalid(
          source, "random.samples: missing; give the number of random points, an integer >= 1");
    }
    if (!(v instanceof Integer n) || n < 1) {
      throw SweepSpecException.invalid(
          source,
          "random.samples: must be an integer in [1, " + SweepSpec.MAX_RUNS + "] (got " + v + ")");
    }
    return n;
  }

  private static PointSequence sequence(Object v, String source) {
    if (v == null) {
      return PointSequence.SOBOL;
    }
    String name = String.valueOf(v);
    try {
      return PointSequence.fromSpecName(name);
    } catch (IllegalArgumentException e) {
      throw SweepSpecException.invalid(
          source,
          "random.sequence: unknown sequence '"
              + name
              + "'"
              + Suggest.didYouMean(name, PointSequence.NAMES)
              + " (allowed: "
              + String.join(" | ", PointSequence.NAMES)
              + ")");
    }
  }

  static Map<String, Object> mapping(
      String path, Object node, List<String> allowed, String what, String source) {
    if (!(node instanceof Map<?, ?> raw)) {
      throw SweepSpecException.invalid(
          source, path + ": expected a mapping, each " + what + " to its value (got " + node + ")");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : raw.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!allowed.contains(key)) {
        throw SweepSpecException.invalid(
            source,
            path
                + "."
                + key
                + ": unknown "
                + what
                + Suggest.didYouMean(key, allowed)
                + " (allowed: "
                + String.join(", ", allowed)
                + ")");
      }
      m.put(key, e.getValue());
    }
    return m;
  }
}
