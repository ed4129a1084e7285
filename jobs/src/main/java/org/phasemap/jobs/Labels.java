package org.phasemap.jobs;

import java.util.List;

/**
 * The algorithm labels a run can carry in {@code runs.final_label} and {@code steps.label}
 * (docs/MEASURES.md, "The label"), in the order the classifier tries them, reversed so that the
 * two named algorithms come first. Every table and picture of a share per label uses this order.
 */
public final class Labels {
  public static final String CLOCK = "clock";
  public static final String PIZZA = "pizza";
  public static final String MIXED = "mixed";
  public static final String NON_CIRCULAR = "non_circular";
  public static final String NO_GENERALISATION = "no_generalisation";

  /** All labels, in display order. */
  public static final List<String> ALL = List.of(CLOCK, PIZZA, MIXED, NON_CIRCULAR, NO_GENERALISATION);

  private Labels() {}

  /** The column holding the share of {@code label} in an aggregated map: {@code share_<label>}. */
  public static String shareColumn(String label) {
    return "share_" + label;
  }
}
