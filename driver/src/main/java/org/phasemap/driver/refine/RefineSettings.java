package org.phasemap.driver.refine;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How a sweep refines its phase boundaries: the {@code refine:} block of a spec (docs/SAMPLING.md).
 *
 * @param budget extra runs in total, over all rounds, at least 1
 * @param rounds rounds of refinement, in [1, budget]; each proposes {@link #perRound()} points
 * @param label the runs-table column whose classes are resolved, {@code final_label} by default
 * @param axes the refined run fields, each a grid or random axis of the sweep; unmodifiable
 * @param minSpacing per axis, in normalised units (a share of the axis range, on a log scale for
 *     log-uniform axes): no proposed point comes closer than this on every axis at once to a point
 *     run before; each in (0, 0.5]; copied
 * @param seed breaks ties between equally good proposals and draws exploration points
 */
public record RefineSettings(
    int budget, int rounds, String label, List<String> axes, double[] minSpacing, long seed)
    implements java.io.Serializable {

  /** The default label column. */
  public static final String DEFAULT_LABEL = "final_label";

  /** Checks the numbers and copies the arrays. */
  public RefineSettings {
    Objects.requireNonNull(label, "label");
    axes = List.copyOf(axes);
    minSpacing = Objects.requireNonNull(minSpacing, "minSpacing").clone();
    if (budget < 1) {
      throw new IllegalArgumentException(
          "Cannot create refine settings: budget must be >= 1 (got " + budget + ")");
    }
    if (rounds < 1 || rounds > budget) {
      throw new IllegalArgumentException(
          "Cannot create refine settings: rounds must be in [1, budget = "
              + budget
              + "] (got "
              + rounds
              + ")");
    }
    if (axes.isEmpty() || new HashSet<>(axes).size() != axes.size()) {
      throw new IllegalArgumentException(
          "Cannot create refine settings: axes must be distinct and at least one (got "
              + axes
              + ")");
    }
    if (minSpacing.length != axes.size()) {
      throw new IllegalArgumentException(
          "Cannot create refine settings: one min spacing per axis (got "
              + minSpacing.length
              + " for "
              + axes.size()
              + " axes)");
    }
    for (double s : minSpacing) {
      if (!(s > 0 && s <= 0.5)) {
        throw new IllegalArgumentException(
            "Cannot create refine settings: min spacing must be in (0, 0.5] (got "
                + Arrays.toString(minSpacing)
                + ")");
      }
    }
  }

  /** Points proposed per round: the budget spread evenly, rounded up. */
  public int perRound() {
    return (budget + rounds - 1) / rounds;
  }

  /** Number of refined axes. */
  public int dimensions() {
    return axes.size();
  }

  @Override
  public double[] minSpacing() {
    return minSpacing.clone();
  }

  /** Min spacing of axis {@code axis}. */
  public double minSpacing(int axis) {
    return minSpacing[axis];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RefineSettings r
        && budget == r.budget
        && rounds == r.rounds
        && seed == r.seed
        && label.equals(r.label)
        && axes.equals(r.axes)
        && Arrays.equals(minSpacing, r.minSpacing);
  }

  @Override
  public int hashCode() {
    return Objects.hash(budget, rounds, label, axes, Arrays.hashCode(minSpacing), seed);
  }

  @Override
  public String toString() {
    return "RefineSettings[budget="
        + budget
        + ", rounds="
        + rounds
        + ", label="
        + label
        + ", axes="
        + axes
        + ", minSpacing="
        + Arrays.toString(minSpacing)
        + ", seed="
        + seed
        + "]";
  }
}
