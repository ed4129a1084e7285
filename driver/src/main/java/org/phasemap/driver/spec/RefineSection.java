package org.phasemap.driver.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phasemap.driver.refine.RefineSettings;
import org.phasemap.tables.Column;
import org.phasemap.tables.ColumnType;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.RunConfig;

/**
 * The optional {@code refine:} block of a sweep spec (docs/SAMPLING.md), parsed into {@link
 * RefineSettings}; the rounds themselves are run by the driver.
 *
 * <pre>
 * refine:
 *   budget: 300                  # required: extra runs in total
 *   rounds: 6                    # default 4 (at most budget); budget / rounds per round, rounded up
 *   label: final_label           # a text column of the runs table; default final_label
 *   axes: [d_model, attention_rate]   # required: numeric grid axes (2+ values) or random axes
 *   min_spacing: 0.005           # normalised units, one number or {axis: number}; default 0.01
 *   seed: 7                      # default: the sweep seed
 * </pre>
 */
final class RefineSection {
  static final List<String> KEYS =
      List.of("budget", "rounds", "label", "axes", "min_spacing", "seed");

  /** Rounds when the spec gives none. */
  static final int DEFAULT_ROUNDS = 4;

  /** Min spacing when the spec gives none: a hundredth of each axis. */
  static final double DEFAULT_MIN_SPACING = 0.01;

  private RefineSection() {}

  /** The settings, or {@code null} when the block is absent. */
  static RefineSettings parse(
      Object node, List<Axis> grid, RandomAxes random, long sweepSeed, String source) {
    if (node == null) {
      return null;
    }
    Map<String, Object> m = RandomSection.mapping("refine", node, KEYS, "key", source);
    if (!m.containsKey("budget")) {
      throw SweepSpecException.invalid(
          source, "refine.budget: missing; give the number of extra runs, an integer >= 1");
    }
    int budget = positive("refine.budget", m.get("budget"), source);
    int rounds =
        m.containsKey("rounds")
            ? positive("refine.rounds", m.get("rounds"), source)
            : Math.min(DEFAULT_ROUNDS, budget);
    if (rounds > budget) {
      throw SweepSpecException.invalid(
          source,
          "refine.rounds: at most budget = "
              + budget
              + " rounds, one run each (got "
              + rounds
              + ")");
    }
    String label = label(m.get("label"), source);
    List<String> axes = axes(m.get("axes"), grid, random, source);
    double[] spacing = spacing(m.get("min_spacing"), axes, source);
    long seed = sweepSeed;
    if (m.containsKey("seed")) {
      try {
        seed = (Long) RunConfig.coerce(RunConfig.field("init_seed"), m.get("seed"));
      } catch (IllegalArgumentException e) {
        throw SweepSpecException.invalid(
            source, "refine.seed: must be a 64-bit integer (got " + m.get("seed") + ")");
      }
    }
    return new RefineSettings(budget, rounds, label, axes, spacing, seed);
  }

  /** The text columns of the runs table a label may come from. */
  static List<String> labelColumns() {
    List<String> names = new ArrayList<>();
    for (Column<?> c : RunsTable.TABLE.columns()) {
      if (c.type() == ColumnType.STRING && c.name().endsWith("label")) {
        names.add(c.name());
      }
    }
    return names;
  }

  private static String label(Object v, String source) {
    if (v == null) {
      return RefineSettings.DEFAULT_LABEL;
    }
    List<String> allowed = labelColumns();
    String name = String.valueOf(v);
    if (!allowed.contains(name)) {
      throw SweepSpecException.invalid(
          source,
          "refine.label: '"
              + name
              + "' is not a label column of the runs table"
              + Suggest.didYouMean(name, allowed)
              + " (allowed: "
              + String.join(", ", allowed)
              + ")");
    }
    return name;
  }

  private static List<String> axes(Object v, List<Axis> grid, RandomAxes random, String source) {
    List<String> refinable = new ArrayList<>();
    for (Axis a : grid) {
      RunConfig.Type type = RunConfig.field(a.name()).type();
      if (a.size() >= 2 && type != RunConfig.Type.STRING && type != RunConfig.Type.BOOLEAN) {
        refinable.add(a.name());
      }
    }
    if (random != null) {
      for (RandomAxes.Axis a : random.axes()) {
        if (a.distribution().kind() != Distribution.Kind.CHOICE) {
          refinable.add(a.name());
        }
      }
    }
    String allowed =
        " (allowed: "
            + (refinable.isEmpty()
                ? "none; add a numeric grid or random axis"
                : String.join(", ", refinable))
            + ")";
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw SweepSpecException.invalid(
          source, "refine.axes: expected a non-empty list of axes (got " + v + ")" + allowed);
    }
    List<String> axes = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String name = String.valueOf(list.get(i));
      String path = "refine.axes[" + i + "]";
      if (axes.contains(name)) {
        throw SweepSpecException.invalid(source, path + ": " + name + " is listed twice");
      }
      if (!refinable.contains(name)) {
        throw SweepSpecException.invalid(
            source,
            path
                + ": "
                + name
                + " is not a numeric grid axis with two or more values nor a numeric random axis"
                + Suggest.didYouMean(name, refinable)
                + allowed);
      }
      axes.add(name);
    }
    return axes;
  }

  private static double[] spacing(Object v, List<String> axes, String source) {
    double[] spacing = new double[axes.size()];
    if (v == null || v instanceof Number) {
      double s = v == null ? DEFAULT_MIN_SPACING : check("refine.min_spacing", v, source);
      java.util.Arrays.fill(spacing, s);
      return spacing;
    }
    if (!(v instanceof Map<?, ?>)) {
      throw SweepSpecException.invalid(
          source,
          "refine.min_spacing: expected a number in (0, 0.5] or a mapping from axis to number (got "
              + v
              + ")");
    }
    Map<String, Object> m = RandomSection.mapping("refine.min_spacing", v, axes, "axis", source);
    for (int a = 0; a < axes.size(); a++) {
      Object s = m.get(axes.get(a));
      spacing[a] =
          s == null ? DEFAULT_MIN_SPACING : check("refine.min_spacing." + axes.get(a), s, source);
    }
    return spacing;
  }

  private static double check(String path, Object v, String source) {
    if (!(v instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() <= 0.5)) {
      throw SweepSpecException.invalid(
          source,
          path + ": must be a number in (0, 0.5], a share of the normalised axis (got " + v + ")");
    }
    return n.doubleValue();
  }

  private static int positive(String path, Object v, String source) {
    if (!(v instanceof Integer n) || n < 1) {
      throw SweepSpecException.invalid(source, path + ": must be an integer >= 1 (got " + v + ")");
    }
    return n;
  }
}
