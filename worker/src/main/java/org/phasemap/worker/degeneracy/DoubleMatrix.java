package org.phasemap.worker.degeneracy;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.model.Rows;

/**
 * A dense float64 matrix, row-major, that does not change once made: the data type of the
 * degeneracy analysis. Every operation returns a new matrix. Products go to ND4J's BLAS {@code
 * dgemm} (the large ones, n × d × d for n = p² inputs, are the analysis's main cost); everything
 * else is a plain loop. Rows of an activation matrix are inputs (or (input, position) samples),
 * columns are the coordinates of a node layer.
 */
public final class DoubleMatrix {
  private final int rows;
  private final int cols;
  private final double[] data;

  private DoubleMatrix(int rows, int cols, double[] data) {
    if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          "Cannot make a matrix: "
              + rows
              + " × "
              + cols
              + " needs "
              + (long) rows * cols
              + " values (got "
              + data.length
              + ")");
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** A copy of {@code a} (rectangular, at least one row). */
  public static DoubleMatrix of(double[][] a) {
    if (a.length == 0) {
      throw new IllegalArgumentException("Cannot make a matrix: no rows (got 0)");
    }
    int c = a[0].length;
    double[] d = new double[a.length * c];
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != c) {
        throw new IllegalArgumentException(
            "Cannot make a matrix: row " + i + " has " + a[i].length + " values, row 0 has " + c);
      }
      System.arraycopy(a[i], 0, d, i * c, c);
    }
    return new DoubleMatrix(a.length, c, d);
  }

  /** A rows × cols matrix over {@code data} (row-major; taken, not copied: do not change it). */
  static DoubleMatrix wrap(int rows, int cols, double[] data) {
    return new DoubleMatrix(rows, cols, data);
  }

  /** A float64 copy of a rank-2 ND4J array of any floating type. */
  public static DoubleMatrix of(INDArray a) {
    if (a.rank() != 2) {
      throw new IllegalArgumentException(
          "Cannot make a matrix: expected a rank-2 array (got shape "
              + Arrays.toString(a.shape())
              + ")");
    }
    INDArray c = a.castTo(DataType.DOUBLE).dup('c');
    double[] d = new double[(int) c.length()];
    Rows.read(c, d);
    return new DoubleMatrix((int) a.rows(), (int) a.columns(), d);
  }

  public static DoubleMatrix zeros(int rows, int cols) {
    return new DoubleMatrix(rows, cols, new double[rows * cols]);
  }

  public static DoubleMatrix identity(int n) {
    double[] d = new double[n * n];
    for (int i = 0; i < n; i++) {
      d[i * n + i] = 1;
    }
    return new DoubleMatrix(n, n, d);
  }

  /** The diagonal matrix of {@code values}. */
  public static DoubleMatrix diagonal(double[] values) {
    int n = values.length;
    double[] d = new double[n * n];
    for (int i = 0; i < n; i++) {
      d[i * n + i] = values[i];
    }
    return new DoubleMatrix(n, n, d);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public double get(int i, int j) {
    return data[i * cols + j];
  }

  /** The row-major values, not copied: callers in this package only read them. */
  double[] data() {
    return data;
  }

  /** A copy as a Java array [rows][cols]. */
  public double[][] toArray() {
    double[][] a = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(data, i * cols, a[i], 0, cols);
    }
    return a;
  }

  /** Row {@code i}, copied. */
  public double[] row(int i) {
    return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
  }

  /** Column {@code j}, copied. */
  public double[] column(int j) {
    double[] c = new double[rows];
    for (int i = 0; i < rows; i++) {
      c[i] = data[i * cols + j];
    }
    return c;
  }

  /** {@code this · b}. */
  public DoubleMatrix times(DoubleMatrix b) {
    return gemm(this, b, false, false);
  }

  /** {@code thisᵀ · b}. */
  public DoubleMatrix transposeTimes(DoubleMatrix b) {
    return gemm(this, b, true, false);
  }

  /** {@code this · bᵀ}. */
  public DoubleMatrix timesTranspose(DoubleMatrix b) {
    return gemm(this, b, false, true);
  }

  private static DoubleMatrix gemm(DoubleMatrix a, DoubleMatrix b, boolean ta, boolean tb) {
    int m = ta ? a.cols : a.rows;
    int k = ta ? a.rows : a.cols;
    int kb = tb ? b.cols : b.rows;
    int n = tb ? b.rows : b.cols;
    if (k != kb) {
      throw new IllegalArgumentException(
          "Cannot multiply: inner sizes differ ("
              + a.shape()
              + (ta ? "ᵀ" : "")
              + " · "
              + b.shape()
              + (tb ? "ᵀ" : "")
              + ")");
    }
    if (m == 0 || n == 0) {
      return zeros(m, n);
    }
    if (k == 0) {
      return zeros(m, n);
    }
    INDArray x = Nd4j.create(a.data, new long[] {a.rows, a.cols}, DataType.DOUBLE);
    INDArray y = Nd4j.create(b.data, new long[] {b.rows, b.cols}, DataType.DOUBLE);
    INDArray z = Nd4j.create(DataType.DOUBLE, m, n);
    Nd4j.gemm(x, y, z, ta, tb, 1.0, 0.0);
    double[] d = new double[m * n];
    Rows.read(z, d);
    return new DoubleMatrix(m, n, d);
  }

  public DoubleMatrix transpose() {
    double[] d = new double[data.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[j * rows + i] = data[i * cols + j];
      }
    }
    return new DoubleMatrix(cols, rows, d);
  }

  public DoubleMatrix plus(DoubleMatrix b) {
    requireSameShape(b, "add");
    double[] d = data.clone();
    for (int i = 0; i < d.length; i++) {
      d[i] += b.data[i];
    }
    return new DoubleMatrix(rows, cols, d);
  }

  public DoubleMatrix minus(DoubleMatrix b) {
    requireSameShape(b, "subtract");
    double[] d = data.clone();
    for (int i = 0; i < d.length; i++) {
      d[i] -= b.data[i];
    }
    return new DoubleMatrix(rows, cols, d);
  }

  public DoubleMatrix scale(double s) {
    double[] d = data.clone();
    for (int i = 0; i < d.length; i++) {
      d[i] *= s;
    }
    return new DoubleMatrix(rows, cols, d);
  }

  /** Column j multiplied by {@code s[j]}: {@code this · diag(s)}. */
  public DoubleMatrix scaleColumns(double[] s) {
    requireLength(s, cols, "scale columns");
    double[] d = data.clone();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[i * cols + j] *= s[j];
      }
    }
    return new DoubleMatrix(rows, cols, d);
  }

  /** Row i multiplied by {@code s[i]}: {@code diag(s) · this}. */
  public DoubleMatrix scaleRows(double[] s) {
    requireLength(s, rows, "scale rows");
    double[] d = data.clone();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[i * cols + j] *= s[i];
      }
    }
    return new DoubleMatrix(rows, cols, d);
  }

  /** {@code row} added to every row. */
  public DoubleMatrix plusRow(double[] row) {
    requireLength(row, cols, "add a row");
    double[] d = data.clone();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[i * cols + j] += row[j];
      }
    }
    return new DoubleMatrix(rows, cols, d);
  }

  /** {@code row} subtracted from every row. */
  public DoubleMatrix minusRow(double[] row) {
    double[] neg = row.clone();
    for (int j = 0; j < neg.length; j++) {
      neg[j] = -neg[j];
    }
    return plusRow(neg);
  }

  /** Mean of each column over the rows. */
  public double[] columnMeans() {
    double[] m = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[j] += data[i * cols + j];
      }
    }
    for (int j = 0; j < cols; j++) {
      m[j] /= rows;
    }
    return m;
  }

  /** Columns [from, to). */
  public DoubleMatrix columns(int from, int to) {
    if (from < 0 || to > cols || from > to) {
      throw new IllegalArgumentException(
          "Cannot take columns [" + from + ", " + to + ") of a matrix with " + cols + " columns");
    }
    int c = to - from;
    double[] d = new double[rows * c];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(data, i * cols + from, d, i * c, c);
    }
    return new DoubleMatrix(rows, c, d);
  }

  /** Rows [from, to). */
  public DoubleMatrix rows(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IllegalArgumentException(
          "Cannot take rows [" + from + ", " + to + ") of a matrix with " + rows + " rows");
    }
    return new DoubleMatrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
  }

  /** The columns listed in {@code index}, in that order. */
  public DoubleMatrix selectColumns(int[] index) {
    double[] d = new double[rows * index.length];
    for (int c = 0; c < index.length; c++) {
      if (index[c] < 0 || index[c] >= cols) {
        throw new IllegalArgumentException(
            "Cannot take column " + index[c] + " of a matrix with " + cols + " columns");
      }
    }
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < index.length; c++) {
        d[i * index.length + c] = data[i * cols + index[c]];
      }
    }
    return new DoubleMatrix(rows, index.length, d);
  }

  /** The rows listed in {@code index}, in that order. */
  public DoubleMatrix selectRows(int[] index) {
    double[] d = new double[index.length * cols];
    for (int r = 0; r < index.length; r++) {
      if (index[r] < 0 || index[r] >= rows) {
        throw new IllegalArgumentException(
            "Cannot take row " + index[r] + " of a matrix with " + rows + " rows");
      }
      System.arraycopy(data, index[r] * cols, d, r * cols, cols);
    }
    return new DoubleMatrix(index.length, cols, d);
  }

  /** {@code [this | b]}: the columns of b after those of this. */
  public DoubleMatrix besides(DoubleMatrix b) {
    if (b.rows != rows) {
      throw new IllegalArgumentException(
          "Cannot put matrices side by side: " + shape() + " and " + b.shape());
    }
    int c = cols + b.cols;
    double[] d = new double[rows * c];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(data, i * cols, d, i * c, cols);
      System.arraycopy(b.data, i * b.cols, d, i * c + cols, b.cols);
    }
    return new DoubleMatrix(rows, c, d);
  }

  /** The same values seen as {@code r × c} (row-major order kept). */
  public DoubleMatrix reshape(int r, int c) {
    return new DoubleMatrix(r, c, data);
  }

  /** (A + Aᵀ)/2 of a square matrix: removes the rounding asymmetry of a computed Gram matrix. */
  public DoubleMatrix symmetrised() {
    if (rows != cols) {
      throw new IllegalArgumentException("Cannot symmetrise a non-square matrix " + shape());
    }
    double[] d = new double[data.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[i * cols + j] = 0.5 * (data[i * cols + j] + data[j * cols + i]);
      }
    }
    return new DoubleMatrix(rows, cols, d);
  }

  /** Largest absolute entry (0 for an empty matrix). */
  public double maxAbs() {
    double m = 0;
    for (double v : data) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** Whether every entry is finite. */
  public boolean isFinite() {
    for (double v : data) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** "rows × cols". */
  public String shape() {
    return rows + " × " + cols;
  }

  private void requireSameShape(DoubleMatrix b, String what) {
    if (b.rows != rows || b.cols != cols) {
      throw new IllegalArgumentException(
          "Cannot " + what + ": shapes differ (" + shape() + " and " + b.shape() + ")");
    }
  }

  private static void requireLength(double[] v, int n, String what) {
    if (v.length != n) {
      throw new IllegalArgumentException(
          "Cannot " + what + ": expected " + n + " values (got " + v.length + ")");
    }
  }

  @Override
  public String toString() {
    return "DoubleMatrix[" + shape() + "]";
  }
}
