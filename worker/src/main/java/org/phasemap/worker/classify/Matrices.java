package org.phasemap.worker.classify;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Conversions shared by the measures: every measure computes in double whatever the input type. */
final class Matrices {
  private Matrices() {}

  /**
   * The rank-2 array {@code a} as a fresh {@code double[rows][cols]}, whatever its data type
   * (float32 values widen exactly to double).
   */
  static double[][] toDouble(INDArray a, String what) {
    if (a == null) {
      throw new IllegalArgumentException("Cannot read " + what + ": array is null");
    }
    if (a.rank() != 2) {
      throw new IllegalArgumentException(
          "Cannot read "
              + what
              + ": expected a rank-2 array (got shape "
              + Arrays.toString(a.shape())
              + ")");
    }
    INDArray d = a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
    return d.toDoubleMatrix();
  }

  /** Checks that every row of {@code m} has {@code cols} entries; returns {@code m}. */
  static double[][] requireRectangular(double[][] m, int cols, String what) {
    for (int i = 0; i < m.length; i++) {
      if (m[i] == null || m[i].length != cols) {
        throw new IllegalArgumentException(
            "Cannot read "
                + what
                + ": row "
                + i
                + " has "
                + (m[i] == null ? "no" : String.valueOf(m[i].length))
                + " entries, row 0 has "
                + cols);
      }
    }
    return m;
  }

  /** Population standard deviation (ddof 0), two-pass; NaN for an empty input. */
  static double populationStd(double[] x) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    return Math.sqrt(ss / x.length);
  }
}
