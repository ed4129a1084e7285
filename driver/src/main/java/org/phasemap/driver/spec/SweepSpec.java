package org.phasemap.driver.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.phasemap.driver.refine.RefineSettings;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AnalysisOptions;

/**
 * A parsed sweep: a preset, run fields fixed to one value, and axes whose cartesian product gives
 * the runs. Built by {@link SweepSpecParser}, which also checks that every run of the sweep is a
 * valid {@link RunConfig}; expanded into runs by {@link SweepPlanner}.
 *
 * <p>Seeds: a run's {@code init_seed} and {@code data_seed} default to the sweep {@code seed}
 * unless the spec sets them, in {@code fixed} or on an axis. So the same spec with another {@code
 * seed} trains the same grid again on fresh initialisations and splits.
 *
 * @param name the sweep's name: 1 to 64 characters of {@code [a-z0-9_-]}, starting with a letter or
 *     digit, so that it can name directories and Spark jobs
 * @param description free text; empty when the spec has none
 * @param seed the sweep seed, default of {@code init_seed} and {@code data_seed}
 * @param preset the {@link RunConfig} preset every run starts from
 * @param fixed run fields with one value for all runs, converted to their types, in spec order;
 *     unmodifiable
 * @param axes the grid axes in spec order; the first varies slowest in run order; unmodifiable
 * @param sourceText the YAML text the spec was parsed from, kept for provenance; empty when built
 *     in code
 * @param analysis how every run is measured and labelled
 * @param random the random axes, each of whose points is combined with every grid point; {@code
 *     null} when the spec has no {@code random} block
 * @param refine how the driver adds runs where labels change, after the planned runs; {@code null}
 *     when the spec has no {@code refine} block
 */
public record SweepSpec(
    String name,
    String description,
    long seed,
    RunConfig.Preset preset,
    Map<String, Object> fixed,
    List<Axis> axes,
    String sourceText,
    AnalysisOptions analysis,
    RandomAxes random,
    RefineSettings refine)
    implements java.io.Serializable {

  /** A grid-only spec built in code: default analysis, no random axes, no refinement. */
  public SweepSpec(
      String name,
      String description,
      long seed,
      RunConfig.Preset preset,
      Map<String, Object> fixed,
      List<Axis> axes,
      String sourceText) {
    this(
        name,
        description,
        seed,
        preset,
        fixed,
        axes,
        sourceText,
        AnalysisOptions.defaults(),
        null,
        null);
  }

  /** What a sweep name may look like. */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /**
   * The most runs one sweep may plan. Every run is validated before the sweep starts, and a grid
   * this large is far more likely a typo in an axis than an intended experiment.
   */
  public static final long MAX_RUNS = 10_000_000L;

  /** Version of the fingerprint scheme; bump it only if the canonical form changes. */
  public static final String FINGERPRINT_SCHEME = "phasemap-sweep-v1";

  /**
   * Copies and checks the structure: a valid name, known fields, no field both fixed and on an
   * axis, at most {@link #MAX_RUNS} runs. Whether each run is valid is checked by the parser.
   */
  public SweepSpec {
    analysis = analysis == null ? AnalysisOptions.defaults() : analysis;
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(fixed, "fixed");
    Objects.requireNonNull(axes, "axes");
    description = description == null ? "" : description;
    sourceText = sourceText == null ? "" : sourceText;
    if (!NAME_PATTERN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Cannot create sweep spec: the name must be 1-64 characters of [a-z0-9_-], starting with"
              + " a letter or digit (got '"
              + name
              + "')");
    }
    Map<String, Object> fixedCopy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : fixed.entrySet()) {
      if (e.getKey().equals("preset")) {
        throw new IllegalArgumentException(
            "Cannot create sweep spec " + name + ": preset is a sweep setting, not a fixed field");
      }
      fixedCopy.put(e.getKey(), RunConfig.coerce(RunConfig.field(e.getKey()), e.getValue()));
    }
    fixed = Collections.unmodifiableMap(fixedCopy);
    axes = List.copyOf(axes);
    Set<String> axisNames = new HashSet<>();
    long count = 1;
    for (Axis axis : axes) {
      if (!axisNames.add(axis.name())) {
        throw new IllegalArgumentException(
            "Cannot create sweep spec " + name + ": two axes for " + axis.name());
      }
      if (fixed.containsKey(axis.name())) {
        throw new IllegalArgumentException(
            "Cannot create sweep spec " + name + ": " + axis.name() + " is both fixed and an axis");
      }
      count *= axis.size();
      if (count > MAX_RUNS) {
        throw new IllegalArgumentException(
            "Cannot create sweep spec " + name + ": the axes give more than " + MAX_RUNS + " runs");
      }
    }
    if (random != null) {
      for (RandomAxes.Axis axis : random.axes()) {
        if (fixed.containsKey(axis.name()) || axisNames.contains(axis.name())) {
          throw new IllegalArgumentException(
              "Cannot create sweep spec "
                  + name
                  + ": "
                  + axis.name()
                  + " is both random and "
                  + (fixed.containsKey(axis.name()) ? "fixed" : "a grid axis"));
        }
      }
      if (count * random.samples() > MAX_RUNS) {
        throw new IllegalArgumentException(
            "Cannot create sweep spec "
                + name
                + ": the grid times the random samples give more than "
                + MAX_RUNS
                + " runs");
      }
    }
    if (refine != null) {
      checkRefine(name, refine, axisNames, random);
    }
  }

  private static void checkRefine(
      String name, RefineSettings refine, Set<String> axisNames, RandomAxes random) {
    for (String axis : refine.axes()) {
      if (!axisNames.contains(axis) && (random == null || !random.sets(axis))) {
        throw new IllegalArgumentException(
            "Cannot create sweep spec "
                + name
                + ": refine axis "
                + axis
                + " is neither a grid nor a random axis");
      }
    }
  }

  /** Number of grid points: the product of the axis sizes, 1 when there are no axes. */
  public long gridCount() {
    long count = 1;
    for (Axis axis : axes) {
      count = Math.multiplyExact(count, axis.size()); // cannot overflow: bounded by MAX_RUNS
    }
    return count;
  }

  /** Number of random points per grid point: {@code random.samples()}, 1 without random axes. */
  public int sampleCount() {
    return random == null ? 1 : random.samples();
  }

  /** Number of runs: grid points times random points, bounded by {@link #MAX_RUNS}. */
  public long runCount() {
    return gridCount() * sampleCount();
  }

  /** Whether the spec sets a run field itself, in {@code fixed}, on an axis or a random axis. */
  public boolean sets(String field) {
    return fixed.containsKey(field)
        || axes.stream().anyMatch(a -> a.name().equals(field))
        || (random != null && random.sets(field));
  }

  /**
   * Identity of what this sweep trains: the first 16 hex digits of SHA-256 of a canonical form of
   * the preset, the seed, the fixed values, the axes and the random block.
   *
   * <p>It depends only on data that defines the set of runs. So it ignores the name, the
   * description, comments, layout, the order of keys in {@code fixed}, the order of the axes and of
   * the values on each axis (those change the run order, not the runs), and the sweep seed when the
   * spec sets both {@code init_seed} and {@code data_seed} itself and has no random block (random
   * points are drawn from the seed). The random axes enter in spec order, since axis j takes
   * coordinate j of the sequence; their distributions by kind, bounds, step and choices, not by how
   * the text was spaced. Two specs with the same fingerprint plan the same runs, possibly in
   * another order, so results should be matched by run id, not by index. The converse does not
   * quite hold: writing a preset's default value into {@code fixed} changes the fingerprint but not
   * the runs.
   */
  public String fingerprint() {
    StringBuilder sb = new StringBuilder(FINGERPRINT_SCHEME).append('\n');
    sb.append("preset=").append(canonical(preset.specName())).append('\n');
    if (random != null || !sets("init_seed") || !sets("data_seed")) {
      // random points are drawn from the sweep seed, so it defines the runs even when both seeds
      // are set
      sb.append("seed=").append(seed).append('\n');
    }
    for (Map.Entry<String, Object> e : new TreeMap<>(fixed).entrySet()) {
      sb.append("fixed.")
          .append(e.getKey())
          .append('=')
          .append(canonical(e.getValue()))
          .append('\n');
    }
    List<Axis> sorted = new ArrayList<>(axes);
    sorted.sort(Comparator.comparing(Axis::name));
    for (Axis axis : sorted) {
      List<String> values = new ArrayList<>();
      for (Object v : axis.values()) {
        values.add(canonical(v));
      }
      Collections.sort(values);
      sb.append("axis.")
          .append(axis.name())
          .append('=')
          .append(String.join(",", values))
          .append('\n');
    }
    if (random != null) {
      // spec order, not sorted: axis j takes coordinate j of the sequence
      sb.append("random.samples=").append(random.samples()).append('\n');
      sb.append("random.sequence=").append(random.sequence().specName()).append('\n');
      for (RandomAxes.Axis axis : random.axes()) {
        Distribution d = axis.distribution();
        List<String> choices = new ArrayList<>();
        d.choices().forEach(c -> choices.add(canonical(c)));
        sb.append("random.axis.")
            .append(axis.name())
            .append('=')
            .append(d.kind().specName())
            .append('(')
            .append(canonical(d.low()))
            .append(',')
            .append(canonical(d.high()))
            .append(",step=")
            .append(d.step())
            .append(",[")
            .append(String.join(",", choices))
            .append("])\n");
      }
    }
    if (refine != null) {
      // refinement decides which further runs the sweep trains
      sb.append("refine=").append(refine).append('\n');
    }
    if (!analysis.equals(AnalysisOptions.defaults())) {
      // how runs are labelled is part of the sweep: changing it must not mix labels in one root
      sb.append("analysis=").append(analysis).append('\n');
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * A value as written into the fingerprint: doubles as their IEEE-754 bits (as in {@link
   * RunConfig#canonicalText()}), strings length-prefixed so that no string can fake a separator.
   */
  private static String canonical(Object v) {
    if (v instanceof Double d) {
      return "d:" + Long.toHexString(Double.doubleToLongBits(d));
    }
    if (v instanceof String s) {
      return "s" + s.length() + ":" + s;
    }
    return String.valueOf(v);
  }
}
