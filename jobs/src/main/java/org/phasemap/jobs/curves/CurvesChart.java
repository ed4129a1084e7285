package org.phasemap.jobs.curves;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.jobs.plot.Palette;
import org.phasemap.tables.StepsTable;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * One run's progress measures over its steps, as stacked panels sharing the step axis: losses (log
 * scale: train, test, restricted, excluded), accuracies, Σw², the two Gini coefficients, and a
 * strip of the label at each checkpoint. The background of every panel is tinted by phase ({@link
 * Phases}).
 */
public final class CurvesChart {
  static final Color TRAIN = new Color(0x0072B2);
  static final Color TEST = new Color(0xD55E00);
  static final Color RESTRICTED = new Color(0x009E73);
  static final Color EXCLUDED = new Color(0xCC79A7);
  static final Color WEIGHTS = new Color(0x333333);
  static final Color GINI_EMBED = new Color(0xE69F00);
  static final Color GINI_LOGIT = new Color(0x56B4E9);

  /** Phase tints: pale enough that every curve stays readable on them. */
  static final Color MEMORISATION = new Color(0xFFF3D1);

  static final Color CIRCUIT_FORMATION = new Color(0xE3F2E1);
  static final Color CLEANUP = new Color(0xE1ECF7);

  /** Directions the MLP needs (analysis.interaction_basis): interaction basis purple, PCA grey. */
  static final Color IB = new Color(0x6A3D9A);

  static final Color PCA = new Color(0xAAAAAA);

  private CurvesChart() {}

  /** The chart of {@code run}, with the phases {@code phases} tinted. */
  public static JFreeChart of(RunCurves run, Phases phases) {
    Charts.headless();
    List<StepPoint> p = run.points();
    NumberAxis stepAxis = new NumberAxis(StepsTable.STEP.name());
    stepAxis.setAutoRangeIncludesZero(true);
    stepAxis.setLowerMargin(0.01);
    stepAxis.setUpperMargin(0.01);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(stepAxis);
    combined.setGap(12);
    LegendItemCollection legend = new LegendItemCollection();

    String keys = RunCurves.NO_KEYS.equals(run.lossKeys()) ? "" : " (" + run.lossKeys() + ")";
    LogAxis lossAxis = new LogAxis("loss (nats)");
    lossAxis.setSmallestValue(1e-12);
    decades(lossAxis, p);
    XYPlot loss =
        panel(
            lossAxis,
            legend,
            line("train loss", TRAIN, p, StepPoint::trainLoss, true),
            line("test loss", TEST, p, StepPoint::testLoss, true),
            line("restricted loss" + keys, RESTRICTED, p, StepPoint::restrictedLoss, true),
            line("excluded loss" + keys, EXCLUDED, p, StepPoint::excludedLoss, true));
    combined.add(loss, 4);

    NumberAxis accAxis = new NumberAxis("accuracy");
    accAxis.setRange(-0.03, 1.03);
    combined.add(
        panel(
            accAxis,
            legend,
            line("train acc", TRAIN, p, StepPoint::trainAcc, false),
            line("test acc", TEST, p, StepPoint::testAcc, false)),
        2);

    NumberAxis wAxis = new NumberAxis("Σw²");
    wAxis.setAutoRangeIncludesZero(false);
    combined.add(
        panel(
            wAxis,
            legend,
            line("sum of squared weights", WEIGHTS, p, StepPoint::sumSqWeights, false)),
        2);

    NumberAxis giniAxis = new NumberAxis("Gini");
    giniAxis.setAutoRangeIncludesZero(false);
    combined.add(
        panel(
            giniAxis,
            legend,
            line("Gini W_E", GINI_EMBED, p, StepPoint::giniEmbed, false),
            line("Gini W_L", GINI_LOGIT, p, StepPoint::giniNeuronLogit, false)),
        2);

    Line ib = line("MLP directions needed: interaction", IB, p, StepPoint::ibNeededMlp, false);
    Line pca = line("MLP directions needed: PCA", PCA, p, StepPoint::pcaNeededMlp, false);
    if (ib.series().getItemCount() + pca.series().getItemCount() > 0) {
      NumberAxis dirAxis = new NumberAxis("directions");
      dirAxis.setAutoRangeIncludesZero(true);
      combined.add(panel(dirAxis, legend, ib, pca), 2);
    }
    Line edges = line("interaction-graph edges needed", IB, p, StepPoint::ibEdgesNeeded, false);
    if (edges.series().getItemCount() > 0) {
      NumberAxis edgeAxis = new NumberAxis("edges");
      edgeAxis.setAutoRangeIncludesZero(true);
      combined.add(panel(edgeAxis, legend, edges), 2);
    }

    XYPlot strip = labelStrip(p, legend);
    if (strip != null) {
      combined.add(strip, 1);
    }
    for (Object o : combined.getSubplots()) {
      XYPlot sub = (XYPlot) o;
      Charts.style(sub);
      tint(sub, phases, sub == loss);
    }
    combined.setFixedLegendItems(legend);

    String title =
        "Run " + run.runId() + (run.sweep() == null ? "" : " (sweep " + run.sweep() + ")");
    JFreeChart chart = Charts.chart(title, combined);
    stepAxis.setLabelFont(Charts.LABEL);
    stepAxis.setTickLabelFont(Charts.TICK);
    Charts.subtitle(
        chart,
        "final label: "
            + (run.finalLabel() == null ? "none" : run.finalLabel())
            + " · "
            + phases.describe());
    return chart;
  }

  /**
   * Ticks on whole powers of ten only (10^-6, 10^-5, ...; every second or third one when the losses
   * span many decades), rather than JFreeChart's 10^-0.5 steps.
   */
  private static void decades(LogAxis axis, List<StepPoint> points) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (StepPoint s : points) {
      for (double v :
          new double[] {s.trainLoss(), s.testLoss(), s.restrictedLoss(), s.excludedLoss()}) {
        if (v > 0 && Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    double span = hi > lo ? Math.log10(hi) - Math.log10(lo) : 1;
    axis.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(span / 8))), false, true);
    axis.setMinorTickCount(0);
  }

  /** A series of the finite values of {@code f} (positive ones only on a log axis). */
  private static Line line(
      String name,
      Color colour,
      List<StepPoint> points,
      ToDoubleFunction<StepPoint> f,
      boolean log) {
    XYSeries s = new XYSeries(name, true, false);
    for (StepPoint pt : points) {
      double v = f.applyAsDouble(pt);
      if (Double.isFinite(v) && (!log || v > 0)) {
        s.add(pt.step(), v);
      }
    }
    return new Line(s, colour);
  }

  private record Line(XYSeries series, Color colour) {}

  private static int maxCount(Line[] lines) {
    int max = 0;
    for (Line l : lines) {
      max = Math.max(max, l.series().getItemCount());
    }
    return max;
  }

  private static XYPlot panel(ValueAxis axis, LegendItemCollection legend, Line... lines) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    int i = 0;
    for (Line l : lines) {
      if (l.series().getItemCount() == 0) {
        continue;
      }
      data.addSeries(l.series());
      r.setSeriesPaint(i, l.colour());
      r.setSeriesStroke(i, new BasicStroke(1.8f));
      // sparse series (checkpoint measures) get dots so single checkpoints show
      boolean sparse =
          l.series().getItemCount() <= 12 || l.series().getItemCount() * 2 < maxCount(lines);
      r.setSeriesShapesVisible(i, sparse);
      r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
      legend.add(
          new LegendItem(
              l.series().getKey().toString(),
              null,
              null,
              null,
              new Line2D.Double(-8, 0, 8, 0),
              new BasicStroke(3f),
              l.colour()));
      i++;
    }
    axis.setLabelFont(Charts.LABEL);
    axis.setTickLabelFont(Charts.TICK);
    XYPlot plot = new XYPlot(data, null, axis, r);
    if (data.getSeriesCount() == 0) {
      plot.setNoDataMessage("not logged");
    }
    return plot;
  }

  /** The checkpoint labels as coloured blocks, each reaching halfway to its neighbours. */
  private static XYPlot labelStrip(List<StepPoint> p, LegendItemCollection legend) {
    List<StepPoint> cps = new ArrayList<>();
    for (StepPoint s : p) {
      if (s.label() != null) {
        cps.add(s);
      }
    }
    if (cps.isEmpty()) {
      return null;
    }
    Set<String> present = new LinkedHashSet<>();
    for (String l : AlgorithmLabel.labels()) {
      if (cps.stream().anyMatch(s -> l.equals(s.label()))) {
        present.add(l);
      }
    }
    cps.stream().map(StepPoint::label).forEach(present::add);
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    XYBarRenderer r = new XYBarRenderer(0);
    r.setUseYInterval(true);
    r.setShadowVisible(false);
    r.setBarPainter(new StandardXYBarPainter());
    r.setDrawBarOutline(false);
    int first = p.get(0).step();
    int last = p.get(p.size() - 1).step();
    int i = 0;
    for (String label : present) {
      XYIntervalSeries s = new XYIntervalSeries(label);
      // one block per stretch of consecutive checkpoints with this label, so no seams show
      int k = 0;
      while (k < cps.size()) {
        if (!label.equals(cps.get(k).label())) {
          k++;
          continue;
        }
        int end = k;
        while (end + 1 < cps.size() && label.equals(cps.get(end + 1).label())) {
          end++;
        }
        double lo = k == 0 ? first : (cps.get(k - 1).step() + cps.get(k).step()) / 2.0;
        double hi =
            end == cps.size() - 1 ? last : (cps.get(end).step() + cps.get(end + 1).step()) / 2.0;
        s.add((lo + hi) / 2, lo, hi, 0.5, 0, 1);
        k = end + 1;
      }
      data.addSeries(s);
      r.setSeriesPaint(i, Palette.of(label));
      legend.add(
          new LegendItem(
              "label: " + label.replace('_', ' '),
              null,
              null,
              null,
              new Rectangle2D.Double(-6, -6, 12, 12),
              Palette.of(label)));
      i++;
    }
    NumberAxis axis = new NumberAxis(StepsTable.LABEL.name());
    axis.setRange(0, 1);
    axis.setTickLabelsVisible(false);
    axis.setTickMarksVisible(false);
    axis.setLabelAngle(Math.PI / 2);
    XYPlot plot = new XYPlot(data, null, axis, r);
    plot.setRangeGridlinesVisible(false);
    return plot;
  }

  /** Tints the phases behind the curves; names them on the top panel where there is room. */
  private static void tint(XYPlot plot, Phases phases, boolean named) {
    double start = phases.firstStep();
    double end = phases.lastStep();
    double mem = phases.memorisationEnd().isPresent() ? phases.memorisationEnd().getAsInt() : end;
    double clean = phases.cleanupStart().isPresent() ? phases.cleanupStart().getAsInt() : end;
    double gen = phases.generalisedAt().isPresent() ? phases.generalisedAt().getAsInt() : end;
    double span = Math.max(1, end - start);
    band(
        plot,
        start,
        mem,
        MEMORISATION,
        named ? name("memorisation", "mem.", (mem - start) / span) : null);
    if (phases.memorisationEnd().isPresent()) {
      band(
          plot,
          mem,
          clean,
          CIRCUIT_FORMATION,
          named ? name("circuit formation", "circuit", (clean - mem) / span) : null);
    }
    if (phases.cleanupStart().isPresent()) {
      band(
          plot,
          clean,
          gen,
          CLEANUP,
          named ? name("clean-up", "clean", (gen - clean) / span) : null);
      band(
          plot,
          gen,
          end,
          new Color(255, 255, 255, 0),
          named ? name("generalised", "gen.", (end - gen) / span) : null);
    }
  }

  /** The name of a band that takes {@code fraction} of the step axis: full, short, or none. */
  static String name(String full, String brief, double fraction) {
    return fraction >= 0.16 ? full : fraction >= 0.06 ? brief : null;
  }

  private static void band(XYPlot plot, double from, double to, Color colour, String name) {
    if (!(to > from)) {
      return;
    }
    IntervalMarker m = new IntervalMarker(from, to, colour);
    m.setOutlinePaint(null);
    if (name != null) {
      m.setLabel(name);
      m.setLabelFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
      m.setLabelPaint(Color.DARK_GRAY);
      m.setLabelBackgroundColor(new Color(0, 0, 0, 0));
      m.setLabelAnchor(RectangleAnchor.TOP);
      m.setLabelTextAnchor(TextAnchor.TOP_CENTER);
      m.setLabelOffset(new RectangleInsets(4, 2, 2, 2));
    }
    plot.addDomainMarker(m, Layer.BACKGROUND);
  }
}
