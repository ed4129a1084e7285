package org.phasemap.jobs.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.svg.SVGGraphics2D;

/**
 * Renders charts to PNG and SVG bytes. A picture is one or more charts side by side, each given an
 * equal share of the width (the papers' figures are two panels: y = DI coloured by GS, and y = GS
 * coloured by DI).
 *
 * <p>Loading this class sets {@code java.awt.headless=true}: the charts are drawn on a cluster
 * driver or in CI, where there is no display, and AWT must know that before its first use.
 */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Smallest and largest picture side in pixels: below it no text fits, above it files get huge.
   */
  public static final int MIN_SIDE = 200;

  public static final int MAX_SIDE = 8000;

  public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  public static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  public static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  public static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  public static final Color GRID = new Color(0xDDDDDD);

  private Charts() {}

  /** Makes sure AWT runs headless; call before building any chart. */
  public static void headless() {
    // the static initialiser did the work; this method exists to trigger it explicitly
  }

  /** Checks a requested picture size. */
  public static void checkSize(int width, int height) {
    if (width < MIN_SIDE || width > MAX_SIDE || height < MIN_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException(
          "Cannot draw a picture of that size: width and height must be in ["
              + MIN_SIDE
              + ", "
              + MAX_SIDE
              + "] pixels (got "
              + width
              + " x "
              + height
              + ")");
    }
  }

  /** The charts side by side as a PNG of {@code width} x {@code height} pixels. */
  public static byte[] png(List<JFreeChart> panels, int width, int height) {
    checkSize(width, height);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = image.createGraphics();
    try {
      g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g2.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g2.setColor(Color.WHITE);
      g2.fillRect(0, 0, width, height);
      draw(g2, panels, width, height);
    } finally {
      g2.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The same picture as a standalone SVG document (UTF-8). No DOCTYPE: the SVG 1.1 DTD is
   * deprecated, and an XML parser that meets one tries to fetch it from the web, which fails
   * offline.
   */
  public static byte[] svg(List<JFreeChart> panels, int width, int height) {
    checkSize(width, height);
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setColor(Color.WHITE);
    g2.fillRect(0, 0, width, height);
    draw(g2, panels, width, height);
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g2.getSVGElement() + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void draw(Graphics2D g2, List<JFreeChart> panels, int width, int height) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("Cannot draw a picture: no charts (got an empty list)");
    }
    double w = (double) width / panels.size();
    for (int i = 0; i < panels.size(); i++) {
      panels.get(i).draw(g2, new Rectangle2D.Double(i * w, 0, w, height));
    }
  }

  /**
   * A chart with phasemap's look: white background, light grid, readable fonts, no border. It has a
   * legend of the plot's legend items; {@code chart.removeLegend()} drops it.
   */
  public static JFreeChart chart(String title, XYPlot plot) {
    JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
    chart.getTitle().setFont(TITLE);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setBorderVisible(false);
    chart.setTextAntiAlias(true);
    style(plot);
    if (chart.getLegend() != null) {
      chart.getLegend().setItemFont(LABEL);
      chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
    return chart;
  }

  /** Styles a plot (also each subplot of a combined plot). */
  public static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(0.8f));
    plot.setRangeGridlineStroke(new BasicStroke(0.8f));
    plot.setOutlinePaint(Color.GRAY);
    for (int i = 0; i < plot.getDomainAxisCount(); i++) {
      if (plot.getDomainAxis(i) != null) {
        plot.getDomainAxis(i).setLabelFont(LABEL);
        plot.getDomainAxis(i).setTickLabelFont(TICK);
      }
    }
    for (int i = 0; i < plot.getRangeAxisCount(); i++) {
      if (plot.getRangeAxis(i) != null) {
        plot.getRangeAxis(i).setLabelFont(LABEL);
        plot.getRangeAxis(i).setTickLabelFont(TICK);
      }
    }
  }

  /** Adds a line of small text under the title. */
  public static void subtitle(JFreeChart chart, String text) {
    TextTitle t = new TextTitle(text, SUBTITLE);
    t.setPaint(Color.DARK_GRAY);
    chart.addSubtitle(t);
  }

  /**
   * A number as a person writes it in an axis tick or a cell: integers without decimals ({@code
   * 128}), others in plain notation with at most four significant digits ({@code 0.5}, {@code
   * 0.003}), very small or large ones in scientific notation ({@code 1e-05}).
   */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e7) {
      return Long.toString((long) v);
    }
    double a = Math.abs(v);
    if (a < 1e-3 || a >= 1e7) {
      // %e, not %g: Java's %g writes 1e-4 as 0.000100 (plain notation down to 1e-4)
      return String.format(java.util.Locale.ROOT, "%.3e", v).replaceAll("\\.?0+e", "e");
    }
    BigDecimal d = new BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros();
    return d.toPlainString();
  }
}
