package org.phasemap.jobs.maps;

import java.util.Arrays;
import java.util.Objects;

/**
 * One finished run as refinement sees it: its position on the refined axes, normalised to [0, 1],
 * and its label (for example the run's {@code final_label}: clock, pizza, mixed, ...).
 *
 * @param coordinates one value in [0, 1] per refined axis, in axis order; copied
 * @param label the class of the run
 */
public record LabelledPoint(double[] coordinates, String label) {

  /** Checks and copies the coordinates. */
  public LabelledPoint {
    Objects.requireNonNull(label, "a labelled point needs a label");
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

  /** Coordinate {@code axis}. */
  public double coordinate(int axis) {
    return coordinates[axis];
  }

  /** Number of coordinates. */
  public int dimensions() {
    return coordinates.length;
  }

  @Override
  public double[] coordinates() {
    return coordinates.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelledPoint p
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
