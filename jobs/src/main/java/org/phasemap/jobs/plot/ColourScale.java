package org.phasemap.jobs.plot;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/**
 * A continuous colour scale, viridis (perceptually uniform, readable in grey and by most
 * colour-blind readers), from dark purple at the lower bound to yellow at the upper bound. Values
 * outside the bounds get the end colours; NaN gets light grey.
 */
public final class ColourScale implements PaintScale, Serializable {
  private static final long serialVersionUID = 1L;

  /** Nine samples of matplotlib's viridis at 0, 1/8, ..., 1, linearly interpolated between. */
  private static final int[] VIRIDIS = {
    0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725
  };

  private final double lower;
  private final double upper;

  /** A scale from {@code lower} to {@code upper} (upper > lower). */
  public ColourScale(double lower, double upper) {
    if (!(upper > lower) || Double.isInfinite(lower) || Double.isInfinite(upper)) {
      throw new IllegalArgumentException(
          "Cannot make a colour scale: bounds must be finite with upper > lower (got "
              + lower
              + ", "
              + upper
              + ")");
    }
    this.lower = lower;
    this.upper = upper;
  }

  /**
   * The scale for these values: [0, 1] when they all lie in it (shares, accuracies, GS, DI and
   * circularity then read the same on every picture), else from their minimum to their maximum
   * (widened by 0.5 each way when they are all equal). NaNs are ignored; no finite value gives [0,
   * 1].
   */
  public static ColourScale forValues(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min > max || (min >= 0 && max <= 1)) {
      return new ColourScale(0, 1);
    }
    if (min == max) {
      return new ColourScale(min - 0.5, max + 0.5);
    }
    return new ColourScale(min, max);
  }

  @Override
  public double getLowerBound() {
    return lower;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    return colour(value);
  }

  /** The colour of {@code value}. */
  public Color colour(double value) {
    if (Double.isNaN(value)) {
      return Palette.UNLABELLED;
    }
    double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower))) * (VIRIDIS.length - 1);
    int i = Math.min((int) Math.floor(t), VIRIDIS.length - 2);
    double f = t - i;
    Color a = new Color(VIRIDIS[i]);
    Color b = new Color(VIRIDIS[i + 1]);
    return new Color(
        (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }
}
