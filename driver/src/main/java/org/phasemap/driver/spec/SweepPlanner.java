package org.phasemap.driver.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.phasemap.worker.RunConfig;

/**
 * Expands a {@link SweepSpec} into its runs: a pure function, the same spec always gives the same
 * runs in the same order with the same ids.
 *
 * <p>Order: like nested loops over the axes in spec order, the first axis outermost (varying
 * slowest) and the last innermost (varying fastest), and inside the last axis a loop over the
 * random points 0 .. samples − 1 when the spec has a {@code random} block. So the first {@code
 * samples} runs cover the whole random space at the first grid point. Each run is {@code
 * RunConfig.fromMap} of the preset, the fixed values, the run's grid point and random point, and
 * the sweep seed as {@code init_seed} and {@code data_seed} where the spec sets neither.
 */
public final class SweepPlanner {
  private SweepPlanner() {}

  /**
   * All runs of the sweep, in run order. Holds every run in memory; see {@link #iterate} for large
   * sweeps.
   *
   * @throws SweepSpecException if a run is invalid (only possible for a spec not built by the
   *     parser) or two runs have the same id
   */
  public static List<PlannedRun> expand(SweepSpec spec) {
    List<PlannedRun> runs = new ArrayList<>((int) spec.runCount());
    Map<String, PlannedRun> byId = new HashMap<>();
    for (Iterator<PlannedRun> it = iterate(spec); it.hasNext(); ) {
      PlannedRun run = it.next();
      PlannedRun other = byId.putIfAbsent(run.runId(), run);
      if (other != null) {
        // Distinct axis values give distinct configs, so this means a hash collision or a bug.
        throw SweepSpecException.invalid(
            spec.name(),
            "grid points "
                + describe(other.point())
                + " (run #"
                + other.index()
                + ") and "
                + describe(run.point())
                + " (run #"
                + run.index()
                + ") have the same run id "
                + run.runId());
      }
      runs.add(run);
    }
    return Collections.unmodifiableList(runs);
  }

  /**
   * The runs of the sweep in run order, built one at a time as they are read, so that memory does
   * not grow with the number of runs.
   *
   * @throws SweepSpecException from {@code next()} if a run is invalid (only possible for a spec
   *     not built by the parser)
   */
  public static Iterator<PlannedRun> iterate(SweepSpec spec) {
    long count = spec.runCount();
    RandomAxes.Sampler sampler = sampler(spec);
    return new Iterator<>() {
      private long next = 0;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public PlannedRun next() {
        if (next >= count) {
          throw new NoSuchElementException("Cannot plan run #" + next + ": the sweep has " + count);
        }
        int index = (int) next++;
        Map<String, Object> point = point(spec, sampler, index);
        RunConfig config;
        try {
          config = RunConfig.fromMap(runValues(spec, point));
        } catch (IllegalArgumentException e) {
          throw SweepSpecException.invalid(spec.name(), where(spec, index, point) + e.getMessage());
        }
        return new PlannedRun(index, config, point);
      }
    };
  }

  /**
   * A human-readable plan, as printed by {@code phasemap plan}: the sweep's name, preset, seed,
   * fingerprint and run count, the fixed values and seed defaults, the axes with their values, and
   * a table of the first {@code limit} runs (index, run id, axis values).
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public static String preview(SweepSpec spec, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException(
          "Cannot preview sweep: limit must be >= 0 (got " + limit + ")");
    }
    long count = spec.runCount();
    StringBuilder sb = new StringBuilder();
    line(
        sb,
        "sweep",
        spec.name() + (spec.description().isBlank() ? "" : " - " + spec.description().strip()));
    line(sb, "preset", spec.preset().specName());
    line(sb, "seed", String.valueOf(spec.seed()));
    line(sb, "fingerprint", spec.fingerprint());
    List<String> sizes = new ArrayList<>();
    for (Axis axis : spec.axes()) {
      sizes.add(axis.name() + " " + axis.size());
    }
    if (spec.random() != null) {
      sizes.add(spec.random().samples() + " random");
    }
    line(sb, "runs", count + (sizes.isEmpty() ? "" : " = " + String.join(" x ", sizes)));
    Map<String, Object> settings = new LinkedHashMap<>(spec.fixed());
    List<String> defaulted = new ArrayList<>();
    for (String seedField : List.of("init_seed", "data_seed")) {
      if (!spec.sets(seedField)) {
        settings.put(seedField, spec.seed());
        defaulted.add(seedField);
      }
    }
    sb.append("fixed\n");
    int width = settings.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, Object> e : settings.entrySet()) {
      sb.append("  ").append(pad(e.getKey(), width)).append("  ").append(shown(e.getValue()));
      sb.append(defaulted.contains(e.getKey()) ? "  (sweep seed)\n" : "\n");
    }
    sb.append(presetDefaults(spec));
    if (spec.axes().isEmpty()) {
      sb.append(
          spec.random() == null
              ? "axes         none: a single run\n"
              : "axes         none: one run per random point\n");
    } else {
      sb.append("axes\n");
      int axisWidth = spec.axes().stream().mapToInt(a -> a.name().length()).max().orElse(0);
      for (Axis axis : spec.axes()) {
        sb.append("  ")
            .append(pad(axis.name(), axisWidth))
            .append("  ")
            .append(axis.size())
            .append(axis.size() == 1 ? " value: " : " values: ")
            .append(shortList(axis.values(), 10))
            .append('\n');
      }
    }
    if (spec.random() != null) {
      RandomAxes random = spec.random();
      sb.append("random       ")
          .append(random.samples())
          .append(' ')
          .append(random.sequence().specName())
          .append(random.samples() == 1 ? " point\n" : " points\n");
      int w = random.axes().stream().mapToInt(a -> a.name().length()).max().orElse(0);
      for (RandomAxes.Axis axis : random.axes()) {
        sb.append("  ").append(pad(axis.name(), w)).append("  ").append(axis.distribution());
        sb.append('\n');
      }
    }
    if (spec.refine() != null) {
      var r = spec.refine();
      int reps = new RefinePlanner(spec).replicates();
      sb.append("refine      up to ")
          .append(r.budget())
          .append(" more runs in up to ")
          .append(r.rounds())
          .append(r.rounds() == 1 ? " round" : " rounds")
          .append(" of ")
          .append(r.perRound())
          .append(", between neighbours with different ")
          .append(r.label())
          .append(" on ")
          .append(String.join(" x ", r.axes()))
          .append(
              reps == 1
                  ? ""
                  : " (" + reps + " runs per point, one per value of the other grid axes)")
          .append('\n');
    }
    int shown = (int) Math.min(limit, count);
    if (shown > 0) {
      sb.append('\n')
          .append(shown == count ? "all " + count : "first " + shown + " of " + count)
          .append(count == 1 ? " run\n" : " runs\n");
      table(sb, spec, shown);
      if (shown < count) {
        sb.append("... ").append(count - shown).append(" more\n");
      }
    }
    return sb.toString();
  }

  /**
   * Builds every run of the spec and throws if any is invalid, naming the first failing grid point
   * and how many fail. Run ids are not computed: this is the up-front check of a whole sweep and
   * must stay fast for large grids.
   */
  static void validate(SweepSpec spec, String source) {
    long count = spec.runCount();
    String first = null;
    long failures = 0;
    RandomAxes.Sampler sampler = sampler(spec);
    long t0 = System.nanoTime();
    long lastReport = t0;
    for (int index = 0; index < count; index++) {
      if ((index & 0xFFFF) == 0 && index > 0 && System.nanoTime() - lastReport > 5_000_000_000L) {
        // a sweep of millions of runs takes a minute to check: say so on stderr rather than go
        // quiet
        lastReport = System.nanoTime();
        System.err.printf(
            java.util.Locale.ROOT,
            "%s: checked %d of %d runs (%.0f %%), %.0f s%n",
            source,
            index,
            count,
            100.0 * index / count,
            (lastReport - t0) / 1e9);
      }
      Map<String, Object> point = point(spec, sampler, index);
      try {
        RunConfig.fromMap(runValues(spec, point));
      } catch (IllegalArgumentException e) {
        failures++;
        if (first == null) {
          first = where(spec, index, point, e.getMessage()) + e.getMessage();
        }
      }
    }
    if (first != null) {
      // Saying how many fail tells apart a bad corner of the grid from a bad fixed value.
      String unit = spec.random() == null ? " grid points fail)" : " points fail)";
      String extent =
          failures == 1
              ? ""
              : failures == count
                  ? " (all " + count + unit
                  : " (" + failures + " of " + count + unit;
      throw SweepSpecException.invalid(source, first + extent);
    }
  }

  /** The point of run {@code index}: its grid values, then its random values. */
  static Map<String, Object> point(SweepSpec spec, int index) {
    return point(spec, sampler(spec), index);
  }

  private static RandomAxes.Sampler sampler(SweepSpec spec) {
    return spec.random() == null ? null : spec.random().sampler(spec.seed());
  }

  /**
   * The point of run {@code index}: the grid point is the mixed-radix digits of index / samples,
   * the last axis least significant; the random point is number index mod samples.
   */
  private static Map<String, Object> point(SweepSpec spec, RandomAxes.Sampler sampler, int index) {
    Map<String, Object> point = gridPoint(spec.axes(), index / spec.sampleCount());
    if (sampler != null) {
      point.putAll(sampler.values(index % spec.sampleCount()));
    }
    return point;
  }

  /**
   * Grid point number {@code k} of {@code axes}: the mixed-radix digits of k, the last axis least
   * significant, as axis name to value in axis order.
   */
  static Map<String, Object> gridPoint(List<Axis> axes, long k) {
    Object[] values = new Object[axes.size()];
    long rest = k;
    for (int a = axes.size() - 1; a >= 0; a--) {
      Axis axis = axes.get(a);
      values[a] = axis.values().get((int) (rest % axis.size()));
      rest /= axis.size();
    }
    Map<String, Object> point = new LinkedHashMap<>();
    for (int a = 0; a < axes.size(); a++) {
      point.put(axes.get(a).name(), values[a]);
    }
    return point;
  }

  /** The field values of the run at {@code point}, as given to {@code RunConfig.fromMap}. */
  static Map<String, Object> runValues(SweepSpec spec, Map<String, Object> point) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("preset", spec.preset());
    values.putAll(spec.fixed());
    values.putAll(point);
    values.putIfAbsent("init_seed", spec.seed());
    values.putIfAbsent("data_seed", spec.seed());
    return values;
  }

  /**
   * Where a run failed, for a message that names a field ("Invalid d_model: ..."): the fixed field
   * itself ({@code fixed.d_model: }) when the sweep has no axes and the field is fixed, else as
   * {@link #where(SweepSpec, int, Map)}.
   */
  private static String where(
      SweepSpec spec, int index, Map<String, Object> point, String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Invalid (\\w+):").matcher(message);
    if (spec.axes().isEmpty()
        && spec.random() == null
        && m.lookingAt()
        && spec.fixed().containsKey(m.group(1))) {
      return "fixed." + m.group(1) + ": ";
    }
    return where(spec, index, point);
  }

  /** Where a run failed: its grid point, or the fixed values for a sweep without axes. */
  private static String where(SweepSpec spec, int index, Map<String, Object> point) {
    if (spec.random() != null) {
      return "point "
          + describe(point)
          + " (run #"
          + index
          + ", random sample #"
          + index % spec.sampleCount()
          + "): ";
    }
    return spec.axes().isEmpty()
        ? "fixed: "
        : "grid point " + describe(point) + " (run #" + index + "): ";
  }

  private static String describe(Map<String, Object> point) {
    List<String> pairs = new ArrayList<>();
    point.forEach((k, v) -> pairs.add(k + "=" + v));
    return "{" + String.join(", ", pairs) + "}";
  }

  private static void table(StringBuilder sb, SweepSpec spec, int rows) {
    List<String> header = new ArrayList<>(List.of("index", "run_id"));
    spec.axes().forEach(a -> header.add(a.name()));
    if (spec.random() != null) {
      spec.random().axes().forEach(a -> header.add(a.name()));
    }
    List<PlannedRun> runs = new ArrayList<>();
    Iterator<PlannedRun> it = iterate(spec);
    for (int r = 0; r < rows; r++) {
      runs.add(it.next());
    }
    // one notation per column: scientific when any value of the column needs it
    List<Boolean> sci = new ArrayList<>();
    for (int c = 0; c < header.size() - 2; c++) {
      List<Object> column = new ArrayList<>();
      for (PlannedRun run : runs) {
        column.add(new ArrayList<>(run.point().values()).get(c));
      }
      sci.add(scientific(column));
    }
    List<List<String>> cells = new ArrayList<>();
    for (PlannedRun run : runs) {
      List<String> row = new ArrayList<>(List.of(String.valueOf(run.index()), run.runId()));
      List<Object> values = new ArrayList<>(run.point().values());
      for (int c = 0; c < values.size(); c++) {
        row.add(shown(values.get(c), sci.get(c)));
      }
      cells.add(row);
    }
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : cells) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    row(sb, header, widths);
    cells.forEach(row -> row(sb, row, widths));
  }

  private static void row(StringBuilder sb, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      line.append(c == 0 ? "" : "  ").append(pad(cells.get(c), widths[c]));
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(pad(key, 12)).append(' ').append(value).append('\n');
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String shortList(List<Object> values, int max) {
    boolean sci = scientific(values);
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(max, values.size()); i++) {
      shown.add(shown(values.get(i), sci));
    }
    return String.join(", ", shown) + (values.size() > max ? ", ..." : "");
  }

  /**
   * The values the preset gives the fields this spec leaves alone (d_mlp: 4 · d_model unless set),
   * so that a plan shows every setting its runs train with.
   */
  private static String presetDefaults(SweepSpec spec) {
    Map<String, Object> defaults = RunConfig.presetDefaults(spec.preset());
    List<String> items = new ArrayList<>();
    for (String field : RunConfig.fieldNames()) {
      if (field.equals("preset")
          || field.equals("init_seed")
          || field.equals("data_seed")
          || spec.sets(field)) {
        continue;
      }
      if (field.equals("d_mlp")) {
        items.add("d_mlp 4 x d_model");
        continue;
      }
      Object v = defaults.get(field);
      if (v instanceof String text && text.isEmpty()) {
        continue; // init_weights, split: drawn from the seeds
      }
      items.add(field + " " + shown(v));
    }
    StringBuilder sb = new StringBuilder("preset " + spec.preset() + " gives\n");
    StringBuilder line = new StringBuilder(" ");
    for (String item : items) {
      if (line.length() + item.length() > 98) {
        sb.append(line).append('\n');
        line = new StringBuilder(" ");
      }
      line.append(' ').append(item).append(',');
    }
    sb.append(line.substring(0, line.length() - 1)).append('\n');
    return sb.toString();
  }

  /** A value as plans print it: numbers in one notation, see {@link #shown(Object, boolean)}. */
  static String shown(Object v) {
    return shown(v, scientific(List.of(v)));
  }

  /** Whether a list of values reads better in scientific notation (a number below 1e-3 or huge). */
  private static boolean scientific(List<Object> values) {
    for (Object v : values) {
      if (v instanceof Double d && d != 0 && (Math.abs(d) < 1e-3 || Math.abs(d) >= 1e7)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Doubles in plain notation (0.001, 2.0, 0.25) or, for a whole list that needs it, all in
   * scientific notation without trailing zeros (1e-3, 3e-5); everything else as its text.
   */
  static String shown(Object v, boolean scientific) {
    if (!(v instanceof Double d) || !Double.isFinite(d)) {
      return String.valueOf(v);
    }
    if (!scientific || d == 0) {
      return String.valueOf(d); // Java's own plain form in this range: 0.001, 0.5, 1.0
    }
    java.math.BigDecimal b = java.math.BigDecimal.valueOf(d).stripTrailingZeros();
    int exponent = b.precision() - b.scale() - 1;
    return b.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
  }
}
