package org.phasemap.driver.refine;

import java.util.Arrays;
import java.util.Objects;

/**
 * A finished run as refinement sees it: its position on the refined axes, each normalised to [0,
 * 1], and its class (the value of the spec's {@code refine.label} column, e.g. {@code
 * final_label}).
 *
 * @param coordinates one value in [0, 1] per refined axis, in axis order; copied in and out
 * @param label the class of the run
 */
public record RefinePoint(double[] coordinates, String label) {

  /** Checks and copies the coordinates. */
  public RefinePoint {
    Objects.requireNonNull(label, "label");
    coordinates = Objects.requireNonNull(coordinates, "coordinates").clone();
    if (coordinates.length == 0) {
      throw new IllegalArgumentException("Cannot create labelled point: no coordinates");
    }
    for (double c : coordinates) {
      if (!(c >= 0 && c <= 1)) {
        throw new IllegalArgumentException(
            "Cannot create labelled point: coordinates must be in [0, 1] (got "
                + Arrays.toString(coordinates)
                + ")");
      }
    }
  }

  @Override
  public double[] coordinates() {
    return coordinates.clone();
  }

  /** Coordinate {@code axis}. */
  public double coordinate(int axis) {
    return coordinates[axis];
  }

  /** Number of coordinates. */
  public int dimensions() {
    return coordinates.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RefinePoint p
        && Arrays.equals(coordinates, p.coordinates)
        && label.equals(p.label);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(coordinates) + label.hashCode();
  }

  @Override
  public String toString() {
    return Arrays.toString(coordinates) + " " + label;
  }
}
