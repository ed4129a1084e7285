package org.phasemap.worker.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row-level helpers of the exact steps over contiguous c-order ND4J buffers and Java arrays: bulk
 * copies between the two (public: AdamW uses them too), row gathers and per-index row sums (the
 * products with one-hot selectors, done as O(rows * cols) copies instead of GEMMs), and the small
 * vector kernels of the attention.
 */
public final class Rows {
  private Rows() {}

  /** A float scratch array per thread, for bulk copies of float32 buffers (grown as needed). */
  private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[0]);

  private static float[] floats(int len) {
    float[] f = FLOATS.get();
    if (f.length < len) {
      f = new float[len];
      FLOATS.set(f);
    }
    return f;
  }

  /**
   * Copies a contiguous c-order array into {@code dst} (as double): one bulk copy out of the native
   * buffer, then the widening in Java (element-wise reads of a direct buffer cost several times
   * more).
   */
  public static void read(INDArray src, double[] dst) {
    int len = (int) src.length();
    if (src.dataType() == DataType.DOUBLE) {
      src.data().asNioDouble().get(dst, 0, len);
    } else {
      float[] f = floats(len);
      src.data().asNioFloat().get(f, 0, len);
      for (int k = 0; k < len; k++) {
        dst[k] = f[k];
      }
    }
  }

  /** Copies {@code src[offset..offset+length(dst))} into a contiguous c-order array. */
  public static void write(double[] src, int offset, INDArray dst) {
    int len = (int) dst.length();
    if (dst.dataType() == DataType.DOUBLE) {
      dst.data().asNioDouble().put(src, offset, len);
    } else {
      float[] f = floats(len);
      for (int k = 0; k < len; k++) {
        f[k] = (float) src[offset + k];
      }
      dst.data().asNioFloat().put(f, 0, len);
    }
  }

  /**
   * Copies the first {@code count} blocks of a contiguous c-order array into {@code dst}: block k
   * is the array's values from k * len to (k + 1) * len in storage order, len = dst[k].length.
   */
  static void readBlocks(INDArray src, double[][] dst, int count) {
    if (src.dataType() == DataType.DOUBLE) {
      DoubleBuffer b = src.data().asNioDouble();
      for (int k = 0, o = 0; k < count; o += dst[k].length, k++) {
        b.get(o, dst[k], 0, dst[k].length);
      }
    } else {
      FloatBuffer b = src.data().asNioFloat();
      float[] f = floats(count == 0 ? 0 : dst[0].length);
      for (int k = 0, o = 0; k < count; o += dst[k].length, k++) {
        double[] blk = dst[k];
        if (f.length < blk.length) {
          f = floats(blk.length);
        }
        b.get(o, f, 0, blk.length);
        for (int i = 0; i < blk.length; i++) {
          blk[i] = f[i];
        }
      }
    }
  }

  /**
   * The inverse of {@link #readBlocks}: the first {@code count} blocks of src, in order, to dst.
   */
  static void writeBlocks(double[][] src, int count, INDArray dst) {
    if (dst.dataType() == DataType.DOUBLE) {
      DoubleBuffer b = dst.data().asNioDouble();
      for (int k = 0, o = 0; k < count; o += src[k].length, k++) {
        b.put(o, src[k], 0, src[k].length);
      }
    } else {
      FloatBuffer b = dst.data().asNioFloat();
      float[] f = floats(count == 0 ? 0 : src[0].length);
      for (int k = 0, o = 0; k < count; o += src[k].length, k++) {
        double[] blk = src[k];
        if (f.length < blk.length) {
          f = floats(blk.length);
        }
        for (int i = 0; i < blk.length; i++) {
          f[i] = (float) blk[i];
        }
        b.put(o, f, 0, blk.length);
      }
    }
  }

  /**
   * {@code out[i] = table[index[i]]}: the product of a one-hot selector with {@code table}, as row
   * copies (O(n * cols) instead of the GEMM's O(n * rows * cols)). All three contiguous, c-order.
   */
  static void gather(INDArray table, int[] index, INDArray out) {
    int cols = (int) table.size(1);
    if (table.dataType() == DataType.DOUBLE) {
      double[] tj = new double[(int) table.length()];
      table.data().asNioDouble().get(tj);
      DoubleBuffer ob = out.data().asNioDouble();
      for (int i = 0; i < index.length; i++) {
        ob.put(i * cols, tj, index[i] * cols, cols);
      }
    } else {
      float[] tj = new float[(int) table.length()];
      table.data().asNioFloat().get(tj);
      FloatBuffer ob = out.data().asNioFloat();
      for (int i = 0; i < index.length; i++) {
        ob.put(i * cols, tj, index[i] * cols, cols);
      }
    }
  }

  /**
   * {@code acc[index[i]] += rows[i]} over all i (rows of {@code cols} values held in Java): the
   * transposed one-hot product {@code Sel^T rows}, accumulated into {@code acc}.
   */
  static void sumBySlot(double[] rows, int cols, int[] index, double[] acc) {
    for (int i = 0; i < index.length; i++) {
      axpy(1.0, rows, i * cols, acc, index[i] * cols, cols);
    }
  }

  /** y[yo..yo+len) += alpha * x[xo..xo+len). */
  static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
    for (int j = 0; j < len; j++) {
      y[yo + j] += alpha * x[xo + j];
    }
  }

  /**
   * y[0..len) += c * x[0..len). Both from index 0: C2 (JDK 17) vectorises this loop, and not the
   * same loop at offsets (docs/PERFORMANCE.md).
   */
  static void axpy(float c, float[] x, float[] y, int len) {
    for (int j = 0; j < len; j++) {
      y[j] += c * x[j];
    }
  }

  /** Copies the rows of {@code src} [rows, cols] (float32) into {@code dst[first ..]}. */
  static void readRows(INDArray src, float[][] dst, int first) {
    java.nio.FloatBuffer b = src.data().asNioFloat();
    int rows = (int) src.size(0);
    int cols = (int) src.size(1);
    for (int r = 0; r < rows; r++) {
      b.get(r * cols, dst[first + r]);
    }
  }

  /** Copies {@code src[first ..]} into the rows of {@code dst} [rows, cols] (float32). */
  static void writeRows(float[][] src, int first, INDArray dst) {
    java.nio.FloatBuffer b = dst.data().asNioFloat();
    int rows = (int) dst.size(0);
    int cols = (int) dst.size(1);
    for (int r = 0; r < rows; r++) {
      b.put(r * cols, src[first + r]);
    }
  }

  /** Dot product with four accumulators, so the adds pipeline. */
  static double dot(double[] x, int xo, double[] y, int yo, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < len; j += 4) {
      s0 += x[xo + j] * y[yo + j];
      s1 += x[xo + j + 1] * y[yo + j + 1];
      s2 += x[xo + j + 2] * y[yo + j + 2];
      s3 += x[xo + j + 3] * y[yo + j + 3];
    }
    for (; j < len; j++) {
      s0 += x[xo + j] * y[yo + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Mean cross-entropy of {@code logits} [n, p] (row-major, n = labels.length) against {@code
   * labels}, from log-softmax in float64 (SCIENCE.md section 0). With {@code dLogits} not null it
   * also leaves there the gradient of the mean loss with respect to the logits.
   */
  static double crossEntropy(double[] logits, int[] labels, int p, double[] dLogits) {
    int n = labels.length;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      int lo = i * p;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < p; c++) {
        max = Math.max(max, logits[lo + c]);
      }
      double sum = 0;
      for (int c = 0; c < p; c++) {
        double e = Math.exp(logits[lo + c] - max);
        sum += e;
        if (dLogits != null) {
          dLogits[lo + c] = e;
        }
      }
      loss += max + Math.log(sum) - logits[lo + labels[i]];
      if (dLogits != null) {
        double inv = 1.0 / (sum * n);
        for (int c = 0; c < p; c++) {
          dLogits[lo + c] *= inv;
        }
        dLogits[lo + labels[i]] -= 1.0 / n;
      }
    }
    return loss / n;
  }
}
