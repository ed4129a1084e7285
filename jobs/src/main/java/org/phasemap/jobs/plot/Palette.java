package org.phasemap.jobs.plot;

import java.awt.Color;
import java.util.Map;
import org.phasemap.worker.classify.AlgorithmLabel;

/**
 * The colours of the algorithm labels, from the Okabe–Ito palette (distinguishable with the common
 * colour-vision deficiencies): clock blue, pizza vermilion, mixed reddish purple, non-circular
 * bluish green, no generalisation grey.
 */
public final class Palette {
  public static final Color CLOCK = new Color(0x0072B2);
  public static final Color PIZZA = new Color(0xD55E00);
  public static final Color MIXED = new Color(0xCC79A7);
  public static final Color NON_CIRCULAR = new Color(0x009E73);
  public static final Color NO_GENERALISATION = new Color(0x8C8C8C);

  /** Runs without a label (failed before their last step). */
  public static final Color UNLABELLED = new Color(0xE6E6E6);

  private static final Map<String, Color> BY_LABEL =
      Map.of(
          AlgorithmLabel.CLOCK.label(), CLOCK,
          AlgorithmLabel.PIZZA.label(), PIZZA,
          AlgorithmLabel.MIXED.label(), MIXED,
          AlgorithmLabel.NON_CIRCULAR.label(), NON_CIRCULAR,
          AlgorithmLabel.NO_GENERALISATION.label(), NO_GENERALISATION);

  /** Lowest intensity of a shaded cell, so that even a weak majority keeps a visible hue. */
  static final double MIN_SHADE = 0.2;

  private Palette() {}

  /** The colour of a label; {@link #UNLABELLED} for null or an unknown label. */
  public static Color of(String label) {
    return label == null ? UNLABELLED : BY_LABEL.getOrDefault(label, UNLABELLED);
  }

  /**
   * {@code colour} blended with white: intensity 1 gives the colour itself, lower ones lighter
   * tints (clamped to [{@value #MIN_SHADE}, 1]). Maps shade a cell by its dominant class's share.
   */
  public static Color shade(Color colour, double intensity) {
    double t = Double.isNaN(intensity) ? MIN_SHADE : Math.max(MIN_SHADE, Math.min(1, intensity));
    return new Color(
        blend(colour.getRed(), t), blend(colour.getGreen(), t), blend(colour.getBlue(), t));
  }

  private static int blend(int channel, double t) {
    return (int) Math.round(255 - t * (255 - channel));
  }

  /** Black or white, whichever reads better on {@code background} (WCAG relative luminance). */
  public static Color textOn(Color background) {
    double l =
        0.2126 * linear(background.getRed())
            + 0.7152 * linear(background.getGreen())
            + 0.0722 * linear(background.getBlue());
    // contrast with black (l + 0.05) / 0.05 vs with white 1.05 / (l + 0.05): equal at l ≈ 0.179
    return l > 0.179 ? Color.BLACK : Color.WHITE;
  }

  private static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
}
