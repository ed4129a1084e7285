package org.phasemap.driver.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.phasemap.worker.RunConfig;

/**
 * One axis of a sweep grid: a run field and the values it takes, in the order written in the spec.
 *
 * <p>Values are converted to the field's type ({@link RunConfig#coerce}), so {@code 1} on a {@code
 * double} axis is stored as {@code 1.0}. They must be distinct after conversion, since two equal
 * values would plan the same run twice. Whether a value is in range is not checked here: that
 * depends on the other fields of a run and is checked when the runs are built.
 *
 * @param name the run field, one of {@link RunConfig#FIELDS} other than {@code preset}
 * @param values the values, converted to the field's type; unmodifiable and never empty
 */
public record Axis(String name, List<Object> values) implements java.io.Serializable {

  /** Validates the field name and converts the values; throws naming the axis on failure. */
  public Axis {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(values, "values");
    if (name.equals("preset")) {
      throw new IllegalArgumentException(
          "Cannot create axis preset: the preset is set once per sweep, not per run");
    }
    RunConfig.Field field = RunConfig.field(name);
    if (values.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create axis " + name + ": an axis needs at least one value (got [])");
    }
    List<Object> coerced = new ArrayList<>(values.size());
    Set<Object> seen = new HashSet<>();
    for (Object v : values) {
      Object c = RunConfig.coerce(field, v);
      if (!seen.add(c)) {
        throw new IllegalArgumentException(
            "Cannot create axis " + name + ": values must be distinct (got " + c + " twice)");
      }
      coerced.add(c);
    }
    values = List.copyOf(coerced);
  }

  /** Number of values on this axis. */
  public int size() {
    return values.size();
  }
}
