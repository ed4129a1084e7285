package org.phasemap.jobs.maps;

import java.util.Objects;
import org.phasemap.jobs.plot.Charts;

/**
 * What {@code phasemap map} draws. Null strings mean "the default":
 *
 * <ul>
 *   <li>{@code x}, {@code y}: heatmap: {@link DefaultAxes}; scatter: {@code attention_rate} and
 *       {@code final_di_maxwrong}, as in the paper's figure;
 *   <li>{@code color}: heatmap: {@value PhaseMaps#BY_CLASS}; scatter: {@code final_gs};
 *   <li>{@code where}, {@code sweep}: all runs;
 *   <li>{@code name}: {@code map_X_Y[_C]} or {@code scatter_X_Y_C}, prefixed by the sweep when one
 *       is given.
 * </ul>
 *
 * @param where a Spark SQL condition on the runs table's columns
 * @param boundary scatter only: draw where the share of this class (from the runs' labels, whatever
 *     the colour) crosses one half ({@link BoundaryLine}), or null for no line
 */
public record MapSpec(
    Style style,
    String x,
    String y,
    String color,
    String where,
    String sweep,
    Scale xScale,
    Scale yScale,
    int width,
    int height,
    String name,
    String boundary) {

  /** Heatmap (one cell per distinct (x, y)) or the papers' scatter (one dot per run). */
  public enum Style {
    HEATMAP,
    SCATTER
  }

  public static final int DEFAULT_WIDTH = 900;
  public static final int DEFAULT_HEIGHT = 700;

  /** The scatter is two panels side by side, so it is wider. */
  public static final int SCATTER_WIDTH = 1400;

  public static final int SCATTER_HEIGHT = 620;

  public MapSpec {
    Objects.requireNonNull(style, "style");
    Objects.requireNonNull(xScale, "xScale");
    Objects.requireNonNull(yScale, "yScale");
    Charts.checkSize(width, height);
    if (boundary != null && style != Style.SCATTER) {
      throw new IllegalArgumentException(
          "Cannot draw a boundary line on this map: --boundary needs --style scatter (got --style "
              + style.name().toLowerCase(java.util.Locale.ROOT)
              + ")");
    }
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      throw new IllegalArgumentException(
          "Cannot name map files: use 1-128 letters, digits, '_', '-' or '.', starting with a letter or digit (got "
              + name
              + ")");
    }
  }

  /** A heatmap of the default axes, by class, at the default size. */
  public static MapSpec heatmap() {
    return new MapSpec(
        Style.HEATMAP,
        null,
        null,
        null,
        null,
        null,
        Scale.AUTO,
        Scale.AUTO,
        DEFAULT_WIDTH,
        DEFAULT_HEIGHT,
        null,
        null);
  }

  /** The papers' scatter at the default size. */
  public static MapSpec scatter() {
    return new MapSpec(
        Style.SCATTER,
        null,
        null,
        null,
        null,
        null,
        Scale.AUTO,
        Scale.AUTO,
        SCATTER_WIDTH,
        SCATTER_HEIGHT,
        null,
        null);
  }

  /** This spec over the columns x and y. */
  public MapSpec withAxes(String x, String y) {
    return new MapSpec(
        style, x, y, color, where, sweep, xScale, yScale, width, height, name, boundary);
  }

  /** This spec restricted to one sweep. */
  public MapSpec withSweep(String sweep) {
    return new MapSpec(
        style, x, y, color, where, sweep, xScale, yScale, width, height, name, boundary);
  }

  /** This spec restricted to the runs matching a SQL condition. */
  public MapSpec withWhere(String where) {
    return new MapSpec(
        style, x, y, color, where, sweep, xScale, yScale, width, height, name, boundary);
  }

  /** This spec coloured by {@code color}. */
  public MapSpec withColor(String color) {
    return new MapSpec(
        style, x, y, color, where, sweep, xScale, yScale, width, height, name, boundary);
  }

  /** This spec at another size. */
  public MapSpec withSize(int width, int height) {
    return new MapSpec(
        style, x, y, color, where, sweep, xScale, yScale, width, height, name, boundary);
  }

  /** This spec with the boundary line of class {@code label} (a scatter, any colour). */
  public MapSpec withBoundary(String label) {
    return new MapSpec(
        style, x, y, color, where, sweep, xScale, yScale, width, height, name, label);
  }
}
