package org.phasemap.jobs.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * The collected result of {@link PhaseMaps#aggregate}: one cell per distinct (x, y), small enough
 * for the driver (a sweep has at most a few thousand cells).
 *
 * @param x the x column
 * @param y the y column
 * @param color the colour column, or null when the map is coloured by class
 * @param cells the cells, ordered by x then y
 */
public record MapTable(String x, String y, String color, List<MapTable.Cell> cells) {
  public MapTable {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    cells = List.copyOf(cells);
  }

  /**
   * One cell.
   *
   * @param shares share of each label, in the order of {@link Labels#ALL}
   * @param dominant the label with the largest share, null when no run of the cell has a label
   * @param mean mean of the colour column, NaN without a colour column or when all its values are
   *     null
   */
  public record Cell(
      double x, double y, long n, List<Double> shares, String dominant, double mean) {
    public Cell {
      shares = List.copyOf(shares);
    }

    /** The share of runs labelled {@code label}. */
    public double share(String label) {
      int i = AlgorithmLabel.labels().indexOf(label);
      if (i < 0) {
        throw new IllegalArgumentException(
            "Cannot read a share: unknown label (got " + label + ")");
      }
      return shares.get(i);
    }

    /** The share of the dominant label, 0 when there is none. */
    public double dominantShare() {
      return dominant == null ? 0 : share(dominant);
    }
  }

  /** Collects an aggregated dataset (columns as {@link PhaseMaps#aggregate} makes them). */
  public static MapTable collect(Dataset<Row> aggregated) {
    String[] names = aggregated.columns();
    int first = 3;
    int dominantAt = first + AlgorithmLabel.labels().size();
    String color = names.length > dominantAt + 1 ? PhaseMaps.meanOf(names[dominantAt + 1]) : null;
    List<Cell> cells = new ArrayList<>();
    for (Row r : aggregated.collectAsList()) {
      List<Double> shares = new ArrayList<>();
      for (int i = 0; i < AlgorithmLabel.labels().size(); i++) {
        shares.add(r.getDouble(first + i));
      }
      double mean =
          color == null || r.isNullAt(dominantAt + 1) ? Double.NaN : r.getDouble(dominantAt + 1);
      cells.add(
          new Cell(
              r.getDouble(0), r.getDouble(1), r.getLong(2), shares, r.getString(dominantAt), mean));
    }
    return new MapTable(names[0], names[1], color, cells);
  }

  /** The number of runs on the map. */
  public long runs() {
    return cells.stream().mapToLong(Cell::n).sum();
  }

  /** The distinct x values, ascending. */
  public double[] xValues() {
    return distinct(true);
  }

  /** The distinct y values, ascending. */
  public double[] yValues() {
    return distinct(false);
  }

  private double[] distinct(boolean ofX) {
    TreeSet<Double> s = new TreeSet<>();
    for (Cell c : cells) {
      s.add(ofX ? c.x() : c.y());
    }
    return s.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The table as CSV (RFC 4180, header first, '\n' line ends): {@code x, y, n, share_clock,
   * share_pizza, share_mixed, share_non_circular, share_no_generalisation, dominant[, mean_C]}, the
   * x and y headers being the column names. Integral numbers print without a decimal point, others
   * as Java's shortest round-tripping form; null prints as an empty field.
   */
  public String csv() {
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of(x, y, PhaseMaps.COUNT));
    for (String l : AlgorithmLabel.labels()) {
      header.add(PhaseMaps.shareColumn(l));
    }
    header.add(PhaseMaps.DOMINANT);
    if (color != null) {
      header.add(PhaseMaps.meanColumn(color));
    }
    sb.append(String.join(",", header)).append('\n');
    for (Cell c : cells) {
      List<String> f = new ArrayList<>(List.of(number(c.x()), number(c.y()), Long.toString(c.n())));
      for (double s : c.shares()) {
        f.add(number(s));
      }
      f.add(c.dominant() == null ? "" : c.dominant());
      if (color != null) {
        f.add(Double.isNaN(c.mean()) ? "" : number(c.mean()));
      }
      sb.append(String.join(",", f)).append('\n');
    }
    return sb.toString();
  }

  /** A number for a CSV field: {@code 32}, {@code 0.5}, {@code 1.0E-4}; empty for NaN. */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
