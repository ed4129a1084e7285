package org.phasemap.worker.classify;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The algorithm a trained run is classified as (SCIENCE.md 2.4); {@link #label()} is the value
 * stored in result tables.
 *
 * <p>The declaration order is the display order of every table and picture of a share per label:
 * the two named algorithms first.
 *
 * <p>SCIENCE.md 2.4 calls two of the classes {@code invalid} and {@code other}; the platform names
 * them for what they say: {@link #NO_GENERALISATION} and {@link #NON_CIRCULAR}.
 */
public enum AlgorithmLabel {
  /** Circular embedding, asymmetric gradients (GS low), logit independent of a − b (DI high). */
  CLOCK,
  /** Circular embedding, symmetric gradients (GS ≈ 1), logit depends on a − b (DI low). */
  PIZZA,
  /** Circular and generalising, but neither the clock nor the pizza region of GS × DI. */
  MIXED,
  /** Generalises but the embedding is not circular enough to read a clock or a pizza from. */
  NON_CIRCULAR,
  /** Test accuracy below the threshold: the run learned no algorithm to classify. */
  NO_GENERALISATION;

  /** The stored value: the lower-case name, e.g. {@code "no_generalisation"}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static final List<String> LABELS =
      Arrays.stream(values()).map(AlgorithmLabel::label).toList();

  /** Every stored value, in display order. */
  public static List<String> labels() {
    return LABELS;
  }

  /** The label whose {@link #label()} is {@code value}. */
  public static AlgorithmLabel fromLabel(String value) {
    for (AlgorithmLabel l : values()) {
      if (l.label().equals(value)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "Unknown algorithm label: " + value + " (allowed: " + String.join(" | ", LABELS) + ")");
  }
}
