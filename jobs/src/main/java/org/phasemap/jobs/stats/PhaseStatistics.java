package org.phasemap.jobs.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.classify.AlgorithmLabel;
import org.phasemap.worker.train.RunStatus;

/**
 * A sweep's phase diagram as tables with error bars (docs/REPRODUCTION.md, issue #21): per bin of
 * the attention rate (and per group of another column, such as the width or the depth), the share
 * of runs that generalise, that are circular, and the pizza, mixed and clock shares among the
 * circular ones, each with its 95 % Wilson interval ({@link Share}), beside the median GS, DI and
 * circularity; then where the clock takes over, α* for GS &lt; 0.95 and for DI ≥ 0.6, by logistic
 * fits with bootstrap intervals ({@link SwitchFit}), and over widths the line α*(d) = c0 + c1
 * log₂(d/32), as SCIENCE.md 2.6 quotes the paper.
 *
 * <p>A run is <em>circular</em> when its final label is pizza, mixed or clock (so it generalised
 * and passed its sweep's circularity cut) and its final circularity is at least {@link
 * Options#minCircularity} (the paper's figures: 0.995). A cut below the sweep's own leaves it as it
 * is: a run the classifier called non-circular has no pizza/mixed/clock label to count. Runs with
 * status {@code failed} (a crash, not a result) are left out and counted; diverged runs count as
 * not generalising, as a run whose test accuracy stays below {@link Options#minTestAccuracy}.
 */
public final class PhaseStatistics {
  /** The property the first switch fit asks about: GS below this. */
  public static final double GS_SWITCH = 0.95;

  /** The property the second switch fit asks about: DI (max-wrong) at least this. */
  public static final double DI_SWITCH = 0.6;

  /** A yes/no property of a circular run, whose switch along α is fitted. */
  private record Property(String name, Predicate<Point> test) {}

  /** The two properties SCIENCE.md 2.6 quotes α* for. */
  private static final List<Property> PROPERTIES =
      List.of(
          new Property("GS < 0.95", p -> p.gs() < GS_SWITCH),
          new Property("DI ≥ 0.6", p -> p.di() >= DI_SWITCH));

  /** Widths at which the line α*(d) is evaluated. */
  private static final int[] WIDTHS = {32, 64, 128, 256, 512};

  /** A column with more distinct values than this is grouped by octave. */
  static final int MAX_DISTINCT_GROUPS = 12;

  private PhaseStatistics() {}

  /**
   * What to tabulate.
   *
   * @param x the numeric runs column that is binned and fitted along (the attention rate)
   * @param binWidth the width of its bins, from 0; the last value of a closed range (α = 1) goes
   *     into the bin below it
   * @param by a runs column to group by first (null: none); more than {@value #MAX_DISTINCT_GROUPS}
   *     distinct positive values are grouped by octave, [2^k, 2^(k+1))
   * @param minCircularity circular runs need at least this final circularity
   * @param minTestAccuracy a run generalised when its final test accuracy is at least this
   * @param resamples bootstrap resamples per switch fit
   * @param seed the bootstrap's seed
   */
  public record Options(
      String x,
      double binWidth,
      String by,
      double minCircularity,
      double minTestAccuracy,
      int resamples,
      long seed) {
    public Options {
      if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
        throw new IllegalArgumentException(
            "--bin-width must be a positive number (got " + binWidth + ")");
      }
      if (!(minCircularity >= 0 && minCircularity <= 1)) {
        throw new IllegalArgumentException(
            "--min-circularity must be in [0, 1] (got " + minCircularity + ")");
      }
      if (!(minTestAccuracy >= 0 && minTestAccuracy <= 1)) {
        throw new IllegalArgumentException(
            "--min-test-accuracy must be in [0, 1] (got " + minTestAccuracy + ")");
      }
      if (resamples < 100 || resamples > 100_000) {
        throw new IllegalArgumentException(
            "--resamples must be in [100, 100000] (got " + resamples + ")");
      }
    }

    /** The attention rate in bins of 0.1, no groups, the paper's cuts, 2 000 resamples. */
    public static Options defaults() {
      return new Options(RunConfig.ATTENTION_RATE.name(), 0.1, null, 0.995, 0.99, 2000, 1);
    }
  }

  /**
   * One run, as the tables need it.
   *
   * @param group the value of the group column (null without one), as text
   * @param groupOrder the group's position in numeric order
   */
  public record Point(
      double x,
      String group,
      double groupOrder,
      String status,
      String label,
      double gs,
      double di,
      double circularity,
      double testAccuracy) {}

  /** Reads the runs' columns that the tables need (runs without an x value are left out). */
  public static List<Point> collect(Dataset<Row> runs, Options o) {
    List<String> columns = Arrays.asList(runs.columns());
    for (String c : o.by() == null ? List.of(o.x()) : List.of(o.x(), o.by())) {
      if (!columns.contains(c)) {
        throw new IllegalArgumentException(
            "Cannot tabulate by "
                + c
                + ": the runs table has no such column (columns: "
                + String.join(", ", columns)
                + ")");
      }
    }
    Dataset<Row> selected =
        runs.where(col(o.x()).isNotNull())
            .select(
                col(o.x()).cast(DataTypes.DoubleType),
                o.by() == null ? lit(null).cast(DataTypes.StringType) : col(o.by()).cast("string"),
                o.by() == null
                    ? lit(0.0)
                    : col(o.by()).cast(DataTypes.DoubleType), // null for text columns
                optional(columns, RunsTable.STATUS.name(), "string"),
                optional(columns, RunsTable.FINAL_LABEL.name(), "string"),
                optional(columns, RunsTable.FINAL_GS.name(), "double"),
                optional(columns, RunsTable.FINAL_DI_MAXWRONG.name(), "double"),
                optional(columns, RunsTable.FINAL_CIRCULARITY.name(), "double"),
                optional(columns, RunsTable.FINAL_TEST_ACC.name(), "double"));
    List<Point> points = new ArrayList<>();
    for (Row r : selected.collectAsList()) {
      points.add(
          new Point(
              r.getDouble(0),
              r.isNullAt(1) ? null : r.getString(1),
              r.isNullAt(2) ? Double.NaN : r.getDouble(2),
              r.isNullAt(3) ? null : r.getString(3),
              r.isNullAt(4) ? null : r.getString(4),
              r.isNullAt(5) ? Double.NaN : r.getDouble(5),
              r.isNullAt(6) ? Double.NaN : r.getDouble(6),
              r.isNullAt(7) ? Double.NaN : r.getDouble(7),
              r.isNullAt(8) ? Double.NaN : r.getDouble(8)));
    }
    return points;
  }

  private static org.apache.spark.sql.Column optional(List<String> columns, String c, String type) {
    return columns.contains(c) ? col(c).cast(type) : lit(null).cast(type);
  }

  /** The tables and fits as Markdown; {@code title} heads them. */
  public static String markdown(List<Point> all, Options o, String title) {
    String failedValue = RunStatus.FAILED.value();
    List<Point> points = all.stream().filter(p -> !failedValue.equals(p.status())).toList();
    long failed = all.size() - points.size();
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n");
    md.append(points.size()).append(" runs");
    if (failed > 0) {
      md.append(" (").append(failed).append(" failed runs left out: a crash is not a result)");
    }
    md.append(
        String.format(
            Locale.ROOT,
            ". Generalised: final test accuracy >= %s. Circular: labelled pizza, mixed or clock,"
                + " with final circularity >= %s; pizza, mixed and clock are shares of the circular"
                + " runs. Shares with 95 %% Wilson intervals; GS and DI (max-wrong) are medians"
                + " over the circular runs, circularity over all runs.%n%n",
            trim(o.minTestAccuracy()),
            trim(o.minCircularity())));
    if (points.isEmpty()) {
      return md.toString();
    }
    Map<String, List<Point>> groups = groups(points, o);
    if (o.by() != null) {
      md.append("## By ").append(o.by()).append("\n\n");
      header(md, o.by());
      groups.forEach((g, ps) -> row(md, g, ps, o));
      md.append("\n");
    }
    md.append("## By ")
        .append(o.x())
        .append(o.by() == null ? "" : " within " + o.by())
        .append("\n\n");
    header(md, (o.by() == null ? "" : o.by() + " | ") + o.x());
    groups.forEach(
        (g, ps) -> {
          TreeMap<Long, List<Point>> bins = new TreeMap<>();
          double top = ps.stream().mapToDouble(Point::x).max().orElse(0);
          for (Point p : ps) {
            long bin = (long) Math.floor(p.x() / o.binWidth() + 1e-9);
            // a closed range's last value (α = 1) joins the bin below it, as the paper's 0.9–1.0
            if (bin > 0 && Math.abs(bin * o.binWidth() - p.x()) < 1e-9 && p.x() == top) {
              bin--;
            }
            bins.computeIfAbsent(bin, k -> new ArrayList<>()).add(p);
          }
          bins.forEach(
              (bin, bp) ->
                  row(
                      md,
                      (g == null ? "" : g + " | ")
                          + trim(bin * o.binWidth())
                          + "–"
                          + trim((bin + 1) * o.binWidth()),
                      bp,
                      o));
        });
    md.append("\n## Where the clock takes over\n\n");
    md.append(
        "α* is where a logistic fit of the property's probability over the circular runs crosses"
            + " one half, with the 2.5–97.5 percentiles of "
            + o.resamples()
            + " bootstrap refits. The paper (SCIENCE.md 2.6): α* ≈ 0.53 (GS < 0.95) and 0.59 (DI ≥"
            + " 0.6) at width 128; over widths α*(d) ≈ 0.28 + 0.15 log₂(d/32) for GS < 0.95.\n\n");
    md.append("| ")
        .append(o.by() == null ? "" : o.by() + " | ")
        .append("property | circular runs | with it | α* [95 %] |\n");
    md.append(o.by() == null ? "|---" : "|---|---").append("|---|---|---|\n");
    groups.forEach(
        (g, ps) -> {
          List<Point> circular = ps.stream().filter(p -> circular(p, o)).toList();
          for (Property property : PROPERTIES) {
            Predicate<Point> has = property.test();
            md.append("| ")
                .append(g == null ? "" : g + " | ")
                .append(property.name())
                .append(" | ")
                .append(circular.size())
                .append(" | ")
                .append(circular.stream().filter(has).count())
                .append(" | ")
                .append(switchAlong(circular, has, o))
                .append(" |\n");
          }
        });
    if (RunConfig.D_MODEL.name().equals(o.by())) {
      widthLine(md, points.stream().filter(p -> circular(p, o)).toList(), o);
    }
    return md.toString();
  }

  /** The 2-D fit over (α, log₂(d/32)) and its line at the widths 32–512. */
  private static void widthLine(StringBuilder md, List<Point> circular, Options o) {
    md.append(
        "\nOver widths, one fit P = σ(b0 + b1 α + b2 log₂(d/32)) to every circular run: the line"
            + " α*(d) = c0 + c1 log₂(d/32), beside the paper's 0.28 + 0.15 log₂(d/32) (GS < 0.95).\n\n");
    md.append("| property | c0 | c1 (per doubling)");
    for (int w : WIDTHS) {
      md.append(" | α*(").append(w).append(")");
    }
    md.append(" |\n|---|---|---");
    md.append("|---".repeat(WIDTHS.length)).append("|\n");
    md.append("| paper, GS < 0.95 | 0.28 | 0.15");
    for (int w : WIDTHS) {
      md.append(String.format(Locale.ROOT, " | %.2f", 0.28 + 0.15 * log2(w / 32.0)));
    }
    md.append(" |\n");
    double[] queries = Arrays.stream(WIDTHS).mapToDouble(w -> log2(w / 32.0)).toArray();
    for (Property property : PROPERTIES) {
      Predicate<Point> has = property.test();
      md.append("| ").append(property.name());
      List<Point> usable = circular.stream().filter(p -> !Double.isNaN(p.groupOrder())).toList();
      double[] alpha = usable.stream().mapToDouble(Point::x).toArray();
      double[] t = usable.stream().mapToDouble(p -> log2(p.groupOrder() / 32.0)).toArray();
      boolean[] y = new boolean[usable.size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = has.test(usable.get(i));
      }
      try {
        SwitchFit f = SwitchFit.fit(alpha, t, y, queries, o.resamples(), o.seed());
        md.append(" | ").append(f.intercept().format());
        md.append(" | ").append(f.slope().format());
        for (SwitchFit.Estimate e : f.at()) {
          md.append(" | ").append(e.format());
        }
        md.append(f.separated() ? " (separated: no interval) |\n" : " |\n");
      } catch (IllegalArgumentException e) {
        md.append(" | – | –").append(" | –".repeat(WIDTHS.length)).append(" |\n");
      }
    }
  }

  /** "0.55 [0.49, 0.61]", or a dash and the reason when no switch can be placed. */
  private static String switchAlong(List<Point> circular, Predicate<Point> has, Options o) {
    if (circular.size() < 2) {
      return "– (fewer than 2 circular runs)";
    }
    double[] alpha = circular.stream().mapToDouble(Point::x).toArray();
    boolean[] y = new boolean[circular.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = has.test(circular.get(i));
    }
    try {
      SwitchFit f = SwitchFit.fit(alpha, null, y, null, o.resamples(), o.seed());
      return f.intercept().format() + (f.separated() ? " (separated: the gap)" : "");
    } catch (IllegalArgumentException e) {
      return "– (" + e.getMessage().replace("Cannot place a switch: ", "") + ")";
    }
  }

  /** Runs by group (one group, key null, without {@code by}), groups in numeric then text order. */
  static Map<String, List<Point>> groups(List<Point> points, Options o) {
    if (o.by() == null) {
      Map<String, List<Point>> one = new LinkedHashMap<>();
      one.put(null, points);
      return one;
    }
    Set<String> distinct = new java.util.HashSet<>();
    boolean positive = true;
    for (Point p : points) {
      distinct.add(p.group());
      positive &= p.groupOrder() > 0;
    }
    boolean octaves = distinct.size() > MAX_DISTINCT_GROUPS && positive;
    Map<String, List<Point>> byKey = new LinkedHashMap<>();
    Map<String, Double> order = new LinkedHashMap<>();
    for (Point p : points) {
      String key;
      double at;
      if (octaves) {
        int k = (int) Math.floor(log2(p.groupOrder()) + 1e-12);
        key = trim(Math.pow(2, k)) + "–" + trim(Math.pow(2, k + 1));
        at = k;
      } else {
        key = p.group() == null ? "(none)" : p.group();
        at = p.groupOrder();
      }
      byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(p);
      order.putIfAbsent(key, at);
    }
    Map<String, List<Point>> sorted = new LinkedHashMap<>();
    byKey.keySet().stream()
        .sorted(
            Comparator.comparing((String k) -> Double.isNaN(order.get(k)))
                .thenComparing(k -> order.get(k))
                .thenComparing(k -> k))
        .forEach(k -> sorted.put(k, byKey.get(k)));
    return sorted;
  }

  private static void header(StringBuilder md, String first) {
    md.append("| ")
        .append(first)
        .append(
            " | runs | generalised | circular | pizza | mixed | clock | median GS | median DI |"
                + " median circularity |\n");
    int columns = first.split("\\|").length + 9;
    md.append("|---".repeat(columns)).append("|\n");
  }

  private static void row(StringBuilder md, String key, List<Point> ps, Options o) {
    long generalised =
        ps.stream()
            .filter(p -> !RunStatus.DIVERGED.value().equals(p.status()))
            .filter(p -> p.testAccuracy() >= o.minTestAccuracy())
            .count();
    List<Point> circular = ps.stream().filter(p -> circular(p, o)).toList();
    md.append("| ").append(key).append(" | ").append(ps.size());
    md.append(" | ").append(share(generalised, ps.size()));
    md.append(" | ").append(share(circular.size(), ps.size()));
    for (AlgorithmLabel l :
        List.of(AlgorithmLabel.PIZZA, AlgorithmLabel.MIXED, AlgorithmLabel.CLOCK)) {
      long k = circular.stream().filter(p -> l.label().equals(p.label())).count();
      md.append(" | ").append(share(k, circular.size()));
    }
    md.append(" | ").append(median(circular.stream().mapToDouble(Point::gs).toArray()));
    md.append(" | ").append(median(circular.stream().mapToDouble(Point::di).toArray()));
    md.append(" | ").append(median(ps.stream().mapToDouble(Point::circularity).toArray()));
    md.append(" |\n");
  }

  /** "9/12 0.75 [0.47, 0.91]", or "0/0" when there is nothing to share. */
  private static String share(long hits, long trials) {
    Share s = new Share(hits, trials);
    return hits + "/" + trials + (trials == 0 ? "" : " " + s.format());
  }

  static boolean circular(Point p, Options o) {
    return p.label() != null
        && (p.label().equals(AlgorithmLabel.PIZZA.label())
            || p.label().equals(AlgorithmLabel.MIXED.label())
            || p.label().equals(AlgorithmLabel.CLOCK.label()))
        && p.circularity() >= o.minCircularity();
  }

  /** The median of the finite values, to three decimals, or "–" when there are none. */
  static String median(double[] values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (v.length == 0) {
      return "–";
    }
    double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(Locale.ROOT, "%.3f", m);
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  /** A number without trailing zeros: 0.1, 0.995, 32. */
  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.6f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
