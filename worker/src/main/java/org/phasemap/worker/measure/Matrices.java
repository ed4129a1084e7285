package org.phasemap.worker.measure;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between ND4J arrays and Java arrays, all in double.
 *
 * <p>Why not {@code INDArray.toDoubleMatrix()}: in ND4J 1.0.0-M2.1 it copies row by row through the
 * native layer and takes ~0.3 s for a 12 769 × 113 logit table, longer than every measure put
 * together. Copying the whole buffer once and slicing it in Java takes a few milliseconds.
 */
final class Matrices {

  private Matrices() {}

  /** The array itself when it is already DOUBLE, else a DOUBLE copy (float32 weights, say). */
  static INDArray toDouble(INDArray a) {
    return a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
  }

  /** All values in c (row-major) order, as doubles, from one buffer copy. */
  static double[] flat(INDArray a) {
    boolean plain =
        !a.isView() && a.ordering() == 'c' && a.data().length() == a.length() && a.offset() == 0;
    INDArray dense = plain ? a : a.dup('c');
    return dense.data().asDouble();
  }

  /** A rank-2 array as a Java matrix, {@code rows(a)[r][c] = a[r, c]}. */
  static double[][] rows(INDArray a) {
    int rows = a.rows();
    int columns = a.columns();
    double[] values = flat(a);
    double[][] m = new double[rows][];
    for (int r = 0; r < rows; r++) {
      m[r] = Arrays.copyOfRange(values, r * columns, (r + 1) * columns);
    }
    return m;
  }

  /** A rows × columns DOUBLE array holding {@code values} in c order. */
  static INDArray matrix(double[] values, int rows, int columns) {
    return Nd4j.create(values, new long[] {rows, columns}, 'c');
  }

  /** Shape of an array as text, for error messages. */
  static String shape(INDArray a) {
    return Arrays.toString(a.shape());
  }
}
