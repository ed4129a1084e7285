package org.phasemap.driver.spec;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.phasemap.driver.sampling.PointSequence;
import org.phasemap.worker.RunConfig;

/**
 * The {@code random:} block of a sweep spec: run fields drawn from distributions at {@code samples}
 * points of a sequence in the unit cube, each point combined with every grid point.
 *
 * <p>Random axis j takes coordinate j of the sequence, in spec order, so reordering the axes
 * changes the points. Point k of the block is a pure function of (sweep seed, sequence, k): a
 * larger {@code samples} keeps the first points and adds more.
 *
 * @param samples the number of random points, at least 1
 * @param sequence how the points are drawn
 * @param axes the random axes in spec order; unmodifiable, never empty
 */
public record RandomAxes(int samples, PointSequence sequence, List<Axis> axes)
    implements java.io.Serializable {

  /** One random axis: a run field and its distribution. */
  public record Axis(String name, Distribution distribution) implements java.io.Serializable {
    /** Checks the field name. */
    public Axis {
      Objects.requireNonNull(distribution, "distribution");
      if (Objects.requireNonNull(name, "name").equals("preset")) {
        throw new IllegalArgumentException(
            "Cannot create random axis preset: the preset is set once per sweep, not per run");
      }
      RunConfig.field(name);
    }

    /** The run field this axis sets. */
    public RunConfig.Field field() {
      return RunConfig.field(name);
    }
  }

  /** Checks the counts and that no field has two axes. */
  public RandomAxes {
    Objects.requireNonNull(sequence, "sequence");
    axes = List.copyOf(axes);
    if (samples < 1) {
      throw new IllegalArgumentException(
          "Cannot create random axes: samples must be >= 1 (got " + samples + ")");
    }
    if (axes.isEmpty() || axes.size() > sequence.maxDimensions()) {
      throw new IllegalArgumentException(
          "Cannot create random axes: "
              + sequence.specName()
              + " takes 1 to "
              + sequence.maxDimensions()
              + " axes (got "
              + axes.size()
              + ")");
    }
    Set<String> names = new HashSet<>();
    for (Axis axis : axes) {
      if (!names.add(axis.name())) {
        throw new IllegalArgumentException(
            "Cannot create random axes: two axes for " + axis.name());
      }
    }
  }

  /** Whether a random axis sets {@code field}. */
  public boolean sets(String field) {
    return axes.stream().anyMatch(a -> a.name().equals(field));
  }

  /** A view that draws the points for {@code seed}, reusable for many samples. */
  public Sampler sampler(long seed) {
    return new Sampler(sequence.points(axes.size(), seed));
  }

  /** Draws the field values of random points. */
  public final class Sampler {
    private final PointSequence.UnitPoints points;

    private Sampler(PointSequence.UnitPoints points) {
      this.points = points;
    }

    /** The values of random point {@code sample} (0-based), in axis order. */
    public Map<String, Object> values(int sample) {
      double[] u = points.point(sample);
      Map<String, Object> values = new LinkedHashMap<>();
      for (int j = 0; j < axes.size(); j++) {
        Axis axis = axes.get(j);
        values.put(axis.name(), axis.distribution().value(u[j], axis.field()));
      }
      return values;
    }
  }
}
