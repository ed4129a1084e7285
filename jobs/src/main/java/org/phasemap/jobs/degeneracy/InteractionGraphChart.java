package org.phasemap.jobs.degeneracy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.phasemap.jobs.plot.Charts;

/**
 * The interaction graph of one model: node layers as columns, input on the left; in each column the
 * layer's interaction directions, largest eigenvalue Λ at the top, at most {@link #MAX_NODES} of
 * them; each labelled with its dominant Fourier frequency ("f8") and coloured by its community; a
 * line for each edge between adjacent columns, as wide as its attribution relative to the strongest
 * edge (edges below {@link #MIN_SHARE} of it are left out). A line whose two ends share a community
 * takes its colour, others are grey. The subtitle says what is left out.
 */
public final class InteractionGraphChart {
  /** Directions drawn per layer, the largest Λ first. */
  public static final int MAX_NODES = 12;

  /** Edges weaker than this share of the strongest are not drawn. */
  public static final double MIN_SHARE = 0.01;

  /** Width in pixels of the strongest edge. */
  static final float MAX_WIDTH = 9f;

  /** Colours of the communities with the most edge weight, strongest first (Okabe–Ito). */
  static final Color[] COMMUNITY = {
    new Color(0x0072B2),
    new Color(0xD55E00),
    new Color(0x009E73),
    new Color(0xCC79A7),
    new Color(0xE69F00),
    new Color(0x56B4E9),
    new Color(0xF0E442)
  };

  /** Directions of the other communities. */
  static final Color OTHER_COMMUNITY = new Color(0x8C8C8C);

  /** Directions without any edge (community −1). */
  static final Color NO_COMMUNITY = new Color(0xDDDDDD);

  /** Edges between communities, or inside an uncoloured one. */
  static final Color CROSSING = new Color(0xAAAAAA);

  /**
   * One node layer.
   *
   * @param name the layer's name
   * @param directions its interaction directions (nodes), largest Λ first
   * @param frequency dominant frequency of each direction, or null (labels are then the indices)
   * @param community community of each direction (−1: none), or null (all drawn in one colour)
   */
  public record Layer(String name, int directions, int[] frequency, int[] community) {

    /** Checks that the labels, if any, have one entry per direction. */
    public Layer {
      Objects.requireNonNull(name, "name");
      if ((frequency != null && frequency.length != directions)
          || (community != null && community.length != directions)) {
        throw new IllegalArgumentException(
            "Cannot draw layer "
                + name
                + " of the interaction graph: one frequency and one community per direction are"
                + " needed (got "
                + directions
                + " directions, "
                + (frequency == null ? "no" : frequency.length)
                + " frequencies, "
                + (community == null ? "no" : community.length)
                + " communities)");
      }
    }
  }

  /**
   * An edge from direction {@code from} of layer {@code layer} to direction {@code to} of layer
   * {@code layer + 1}, weight ≥ 0.
   */
  public record Edge(int layer, int from, int to, double weight) {}

  private InteractionGraphChart() {}

  /**
   * The chart ({@link Charts#png}, one panel).
   *
   * @param summary a line under the title (e.g. edges needed and modularity), or null
   */
  public static JFreeChart of(List<Layer> layers, List<Edge> edges, String summary) {
    Charts.headless();
    if (layers.size() < 2) {
      throw new IllegalArgumentException(
          "Cannot draw an interaction graph: it needs at least two layers (got "
              + layers.size()
              + ")");
    }
    XYSeries nodes = new XYSeries("directions", false, true);
    int rows = 1;
    for (int l = 0; l < layers.size(); l++) {
      int shown = Math.min(MAX_NODES, layers.get(l).directions());
      rows = Math.max(rows, shown);
      for (int i = 0; i < shown; i++) {
        nodes.add(l, i);
      }
    }
    int[] layerOfItem = new int[nodes.getItemCount()];
    int[] directionOfItem = new int[nodes.getItemCount()];
    for (int k = 0; k < nodes.getItemCount(); k++) {
      layerOfItem[k] = nodes.getX(k).intValue();
      directionOfItem[k] = nodes.getY(k).intValue();
    }
    double max = 0;
    for (Edge e : edges) {
      if (e.layer() < 0 || e.layer() + 1 >= layers.size()) {
        throw new IllegalArgumentException(
            "Cannot draw an interaction graph: edge "
                + e
                + " leaves layer "
                + e.layer()
                + " (allowed: 0 … "
                + (layers.size() - 2)
                + ")");
      }
      max = Math.max(max, e.weight());
    }
    Map<Integer, Integer> rank = rankCommunities(layers, edges);
    XYLineAndShapeRenderer r =
        new XYLineAndShapeRenderer(false, true) {
          @Override
          public Paint getItemPaint(int series, int item) {
            return colour(community(layers.get(layerOfItem[item]), directionOfItem[item]), rank);
          }
        };
    r.setSeriesShape(0, new Ellipse2D.Double(-7, -7, 14, 14));
    r.setSeriesOutlinePaint(0, Color.DARK_GRAY);
    r.setUseOutlinePaint(true);
    r.setDrawOutlines(true);

    int drawn = 0;
    for (Edge e : edges) {
      if (max <= 0
          || e.weight() < MIN_SHARE * max
          || e.from() >= MAX_NODES
          || e.to() >= MAX_NODES
          || e.from() >= layers.get(e.layer()).directions()
          || e.to() >= layers.get(e.layer() + 1).directions()) {
        continue;
      }
      float width = (float) Math.max(0.6, MAX_WIDTH * e.weight() / max);
      int a = community(layers.get(e.layer()), e.from());
      int b = community(layers.get(e.layer() + 1), e.to());
      Color c = a >= 0 && a == b ? colour(a, rank) : CROSSING;
      c = c == OTHER_COMMUNITY ? CROSSING : c;
      Color translucent = new Color(c.getRed(), c.getGreen(), c.getBlue(), 170);
      r.addAnnotation(
          new XYLineAnnotation(
              e.layer(),
              e.from(),
              e.layer() + 1,
              e.to(),
              new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND),
              translucent),
          org.jfree.chart.ui.Layer.BACKGROUND);
      drawn++;
    }
    for (int l = 0; l < layers.size(); l++) {
      Layer layer = layers.get(l);
      for (int i = 0; i < Math.min(MAX_NODES, layer.directions()); i++) {
        String label = layer.frequency() == null ? "#" + i : "f" + layer.frequency()[i];
        XYTextAnnotation t = new XYTextAnnotation(label, l + 0.07, i);
        t.setFont(Charts.TICK);
        t.setTextAnchor(TextAnchor.CENTER_LEFT);
        t.setPaint(Color.BLACK);
        r.addAnnotation(t, org.jfree.chart.ui.Layer.FOREGROUND);
      }
    }

    String[] names = layers.stream().map(Layer::name).toArray(String[]::new);
    SymbolAxis x = new SymbolAxis("node layer", names);
    x.setRange(-0.4, layers.size() - 0.4);
    x.setGridBandsVisible(false);
    NumberAxis y = new NumberAxis("direction (largest Λ at the top)");
    y.setInverted(true);
    y.setRange(-0.6, rows - 0.4);
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYSeriesCollection data = new XYSeriesCollection(nodes);
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setDomainGridlinesVisible(false);
    JFreeChart chart = Charts.chart("interaction graph", plot);
    chart.removeLegend();
    if (summary != null) {
      Charts.subtitle(chart, summary);
    }
    Charts.subtitle(
        chart,
        "at most "
            + MAX_NODES
            + " directions per layer (largest Λ); labels: dominant frequency; colours: the "
            + COMMUNITY.length
            + " heaviest communities");
    Charts.subtitle(
        chart,
        "line width ∝ attribution; "
            + drawn
            + " of "
            + edges.size()
            + " edges drawn (those ≥ "
            + Charts.number(100 * MIN_SHARE)
            + "% of the strongest, between drawn directions)");
    return chart;
  }

  private static int community(Layer layer, int i) {
    return layer.community() == null ? 0 : layer.community()[i];
  }

  /** Communities by the weight of the edges inside them, heaviest first: community → rank. */
  static Map<Integer, Integer> rankCommunities(List<Layer> layers, List<Edge> edges) {
    Map<Integer, Double> inside = new HashMap<>();
    for (Edge e : edges) {
      if (e.from() >= layers.get(e.layer()).directions()
          || e.to() >= layers.get(e.layer() + 1).directions()) {
        continue;
      }
      int a = community(layers.get(e.layer()), e.from());
      if (a >= 0 && a == community(layers.get(e.layer() + 1), e.to())) {
        inside.merge(a, e.weight(), Double::sum);
      }
    }
    List<Integer> order = new ArrayList<>(inside.keySet());
    order.sort(Comparator.comparingDouble((Integer c) -> -inside.get(c)).thenComparingInt(c -> c));
    Map<Integer, Integer> rank = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      rank.put(order.get(i), i);
    }
    return rank;
  }

  private static Color colour(int community, Map<Integer, Integer> rank) {
    if (community < 0) {
      return NO_COMMUNITY;
    }
    Integer r = rank.get(community);
    return r == null || r >= COMMUNITY.length ? OTHER_COMMUNITY : COMMUNITY[r];
  }
}
