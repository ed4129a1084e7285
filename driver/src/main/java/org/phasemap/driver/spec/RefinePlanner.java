package org.phasemap.driver.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phasemap.driver.refine.RefineSettings;
import org.phasemap.worker.RunConfig;

/**
 * Turns refinement proposals into runs, and runs into refinement coordinates: the pure half of the
 * refinement rounds of a sweep with a {@code refine} block (docs/SAMPLING.md).
 *
 * <p><b>Coordinates.</b> Each refined axis maps to [0, 1]: a random axis through its distribution
 * ({@link Distribution#unit}: linear, or logarithmic for {@code log_uniform}); a grid axis linearly
 * between its smallest and largest value. Back from [0, 1], an integer grid axis rounds to the
 * nearest multiple of the greatest common divisor of its values (so {@code d_model: [32, 64, 128]}
 * refines on multiples of 32 and {@code [32, 48, 64]} on multiples of 16), an integer random axis
 * to its {@code step}.
 *
 * <p><b>Replicates.</b> A proposed point becomes one run per combination of the grid axes that are
 * not refined (typically {@code init_seed}), in spec order, so a refined point is measured with the
 * same seeds as the design; random axes that are not refined take the values of the random
 * sequence's points after the spec's own ({@code samples}, {@code samples + 1}, ...), one per
 * proposed point.
 */
public final class RefinePlanner {
  private final SweepSpec spec;
  private final RefineSettings settings;
  private final List<Scale> scales = new ArrayList<>();
  private final List<Axis> replicateAxes = new ArrayList<>();
  private final RandomAxes.Sampler sampler;
  private final List<String> otherRandom = new ArrayList<>();

  /**
   * @throws IllegalArgumentException if the spec has no {@code refine} block
   */
  public RefinePlanner(SweepSpec spec) {
    if (spec.refine() == null) {
      throw new IllegalArgumentException(
          "Cannot plan refinement of sweep " + spec.name() + ": the spec has no refine block");
    }
    this.spec = spec;
    this.settings = spec.refine();
    for (String name : settings.axes()) {
      scales.add(scale(spec, name));
    }
    for (Axis a : spec.axes()) {
      if (!settings.axes().contains(a.name())) {
        replicateAxes.add(a);
      }
    }
    this.sampler = spec.random() == null ? null : spec.random().sampler(spec.seed());
    if (spec.random() != null) {
      for (RandomAxes.Axis a : spec.random().axes()) {
        if (!settings.axes().contains(a.name())) {
          otherRandom.add(a.name());
        }
      }
    }
  }

  public RefineSettings settings() {
    return settings;
  }

  /** Runs per proposed point: the number of combinations of the grid axes not refined. */
  public int replicates() {
    int n = 1;
    for (Axis a : replicateAxes) {
      n *= a.size();
    }
    return n;
  }

  /**
   * The coordinates in [0, 1] of a run on the refined axes, from its field values (for example a
   * row of the runs table); values outside an axis's range are clamped to it.
   *
   * @throws IllegalArgumentException if a refined field is missing or not a number
   */
  public double[] coordinates(Map<String, Object> values) {
    double[] u = new double[scales.size()];
    for (int a = 0; a < scales.size(); a++) {
      String name = settings.axes().get(a);
      Object v = values.get(name);
      if (!(v instanceof Number)) {
        throw new IllegalArgumentException(
            "Cannot place run on refine axis " + name + ": expected a number (got " + v + ")");
      }
      u[a] = scales.get(a).unit(((Number) v).doubleValue());
    }
    return u;
  }

  /**
   * Where a proposed point really lands: its coordinates after rounding each axis to a value the
   * axis can take (an integer axis's step). Two proposals that snap to the same point train the
   * same runs.
   */
  public double[] snap(double[] u) {
    double[] s = new double[u.length];
    for (int a = 0; a < u.length; a++) {
      Object v = scales.get(a).value(u[a]);
      s[a] = scales.get(a).unit(((Number) v).doubleValue());
    }
    return s;
  }

  /**
   * The runs of proposed points, {@link #replicates()} per point, point by point.
   *
   * @param points proposals in [0, 1]^d, d the number of refined axes
   * @param firstIndex run index of the first run (indices continue after earlier rounds)
   * @param firstPoint how many points earlier rounds proposed (picks the random sequence's points
   *     for random axes that are not refined)
   * @throws SweepSpecException if a proposed run is not a valid configuration
   */
  public List<PlannedRun> runs(List<double[]> points, int firstIndex, int firstPoint) {
    List<PlannedRun> runs = new ArrayList<>();
    int index = firstIndex;
    int reps = replicates();
    for (int k = 0; k < points.size(); k++) {
      double[] u = points.get(k);
      if (u.length != scales.size()) {
        throw new IllegalArgumentException(
            "Cannot plan refined point: it has "
                + u.length
                + " coordinates, the spec refines "
                + settings.axes());
      }
      Map<String, Object> refined = new LinkedHashMap<>();
      for (int a = 0; a < u.length; a++) {
        refined.put(settings.axes().get(a), scales.get(a).value(u[a]));
      }
      Map<String, Object> randomValues = new LinkedHashMap<>();
      if (sampler != null && !otherRandom.isEmpty()) {
        Map<String, Object> drawn = sampler.values(spec.random().samples() + firstPoint + k);
        for (String name : otherRandom) {
          randomValues.put(name, drawn.get(name));
        }
      }
      for (int r = 0; r < reps; r++) {
        Map<String, Object> point = SweepPlanner.gridPoint(replicateAxes, r);
        point.putAll(refined);
        point.putAll(randomValues);
        RunConfig config;
        try {
          config = RunConfig.fromMap(SweepPlanner.runValues(spec, point));
        } catch (IllegalArgumentException e) {
          throw SweepSpecException.invalid(
              spec.name(), "refined point " + point + ": " + e.getMessage());
        }
        runs.add(new PlannedRun(index++, config, point));
      }
    }
    return runs;
  }

  /** One refined axis: value to [0, 1] and back. */
  private interface Scale {
    double unit(double value);

    Object value(double u);
  }

  private static Scale scale(SweepSpec spec, String name) {
    RunConfig.Field field = RunConfig.field(name);
    if (spec.random() != null) {
      for (RandomAxes.Axis a : spec.random().axes()) {
        if (a.name().equals(name)) {
          Distribution d = a.distribution();
          return new Scale() {
            @Override
            public double unit(double value) {
              return d.unit(value);
            }

            @Override
            public Object value(double u) {
              return d.value(Math.min(u, Math.nextDown(1.0)), field);
            }
          };
        }
      }
    }
    for (Axis a : spec.axes()) {
      if (a.name().equals(name)) {
        return gridScale(a, field);
      }
    }
    throw new IllegalArgumentException("Cannot refine " + name + ": it is not an axis of the spec");
  }

  private static Scale gridScale(Axis axis, RunConfig.Field field) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    BigInteger gcd = BigInteger.ZERO;
    boolean integer = field.type() == RunConfig.Type.INT || field.type() == RunConfig.Type.LONG;
    for (Object v : axis.values()) {
      double x = ((Number) v).doubleValue();
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      if (integer) {
        gcd = gcd.gcd(BigInteger.valueOf(((Number) v).longValue()));
      }
    }
    final double low = lo;
    final double high = hi;
    final long step = integer ? Math.max(1, gcd.longValue()) : 0;
    return new Scale() {
      @Override
      public double unit(double value) {
        return high == low ? 0.5 : Math.min(Math.max((value - low) / (high - low), 0), 1);
      }

      @Override
      public Object value(double u) {
        double x = low + u * (high - low);
        if (!integer) {
          return Math.min(Math.max(x, low), high);
        }
        long k = Math.round(x / step) * step;
        k =
            Math.min(
                Math.max(k, (long) Math.ceil(low / step) * step),
                (long) Math.floor(high / step) * step);
        return field.type() == RunConfig.Type.INT ? (Object) (int) k : (Object) k;
      }
    };
  }
}
