package org.phasemap.worker.measure;

/**
 * Cross-entropy and accuracy of a table of logits, computed in double (SCIENCE.md 0 and 1.4.1).
 *
 * <p>Each row holds the logits of one input; its label is the correct class. The loss of a row is
 * −log softmax(row)[label] = log1p(Σ_{c≠c*} exp(x_c − m)) − (x_label − m) with c* the argmax and m
 * = x_{c*}. Shifting by the maximum avoids overflow, and taking log1p of the non-maximal terms
 * keeps full relative precision for the ~1e-9 losses of a grokked model, where float32 (or even log
 * of a sum near 1) would round them away.
 */
public final class CrossEntropy {

  private CrossEntropy() {}

  /**
   * Mean over rows of −log softmax(logits[r])[labels[r]].
   *
   * @throws IllegalArgumentException if there are no rows, the lengths differ, or a label is out of
   *     range
   */
  public static double loss(double[][] logits, int[] labels) {
    checkAligned(logits, labels);
    double sum = 0;
    for (int r = 0; r < logits.length; r++) {
      sum += rowLoss(logits[r], labels[r]);
    }
    return sum / logits.length;
  }

  /**
   * Share of rows whose argmax is the label. Ties go to the lowest class index, so a row of equal
   * logits counts as correct only when its label is 0.
   *
   * @throws IllegalArgumentException if there are no rows, the lengths differ, or a label is out of
   *     range
   */
  public static double accuracy(double[][] logits, int[] labels) {
    checkAligned(logits, labels);
    int correct = 0;
    for (int r = 0; r < logits.length; r++) {
      if (argmax(logits[r]) == labels[r]) {
        correct++;
      }
    }
    return (double) correct / logits.length;
  }

  /** −log softmax(row)[label], computed stably in double (see the class comment). */
  public static double rowLoss(double[] row, int label) {
    int top = argmax(row);
    double max = row[top];
    double others = 0;
    for (int c = 0; c < row.length; c++) {
      if (c != top) {
        others += Math.exp(row[c] - max);
      }
    }
    return Math.log1p(others) - (row[label] - max);
  }

  /** Index of the largest entry of a row; the lowest index wins a tie. */
  public static int argmax(double[] row) {
    int best = 0;
    for (int c = 1; c < row.length; c++) {
      if (row[c] > row[best]) {
        best = c;
      }
    }
    return best;
  }

  private static void checkAligned(double[][] logits, int[] labels) {
    if (logits.length == 0) {
      throw new IllegalArgumentException("Cannot compute cross-entropy: no rows (got 0)");
    }
    if (logits.length != labels.length) {
      throw new IllegalArgumentException(
          "Cannot compute cross-entropy: "
              + logits.length
              + " rows of logits but "
              + labels.length
              + " labels");
    }
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] < 0 || labels[r] >= logits[r].length) {
        throw new IllegalArgumentException(
            "Cannot compute cross-entropy: label must be in [0, "
                + logits[r].length
                + ") (got "
                + labels[r]
                + " at row "
                + r
                + ")");
      }
    }
  }
}
