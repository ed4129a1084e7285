package org.phasemap.worker.classify;

/**
 * Which distance irrelevance the classifier reads (SCIENCE.md 2.3.2); {@link #column()} is the
 * result-table column of each.
 */
public enum DiVariant {
  /** {@code di_correct}: DI of the correct-class logit, the paper's definition. */
  CORRECT("di_correct"),
  /** {@code di_maxwrong}: DI of the largest incorrect logit, as in the released CSV and figures. */
  MAX_WRONG("di_maxwrong");

  private final String column;

  DiVariant(String column) {
    this.column = column;
  }

  /** The result-table column holding this variant. */
  public String column() {
    return column;
  }

  /** This variant's value out of the two measured ones. */
  public double select(double diCorrect, double diMaxWrong) {
    return this == CORRECT ? diCorrect : diMaxWrong;
  }

  /** The variant stored in {@code column}. */
  public static DiVariant fromColumn(String column) {
    for (DiVariant v : values()) {
      if (v.column.equals(column)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "Invalid di_variant: " + column + " (allowed: di_correct | di_maxwrong)");
  }
}
