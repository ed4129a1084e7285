package org.phasemap.worker.model;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact steps' products, straight to the OpenBLAS that ND4J itself calls (the same library
 * instance and thread setting, through JavaCPP's {@code openblas_nolapack}), for the c-order,
 * contiguous, unshared matrices the steps allocate; anything else goes through {@code Nd4j.gemm}.
 *
 * <p>Why not {@code Nd4j.gemm} throughout: each call runs as a libnd4j custom op (op context, shape
 * checks, 20-40 µs), and a column sum written as a GEMM with a ones row runs at about 1 GFLOP/s
 * (4.8 ms for [5 568 x 512] floats against 0.22 ms as {@code sgemv}, measured side by side,
 * docs/PERFORMANCE.md).
 */
final class Blas {
  private Blas() {}

  /** Ones for the column sums, per thread, grown as needed. */
  private static final ThreadLocal<Pointer[]> ONES =
      ThreadLocal.withInitial(() -> new Pointer[] {new FloatPointer(0L), new DoublePointer(0L)});

  /** Whether {@code a} is a plain [rows, cols] c-order matrix over its own whole buffer. */
  static boolean direct(INDArray a) {
    return a.rank() == 2
        && a.ordering() == 'c'
        && !a.isView()
        && a.offset() == 0
        && a.stride(1) == 1
        && a.stride(0) == a.size(1)
        && a.data().length() == a.length()
        && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE);
  }

  /** {@code c = alpha op(a) op(b) + beta c}, as {@code Nd4j.gemm} with the same arguments. */
  static void gemm(
      INDArray a,
      INDArray b,
      INDArray c,
      boolean transposeA,
      boolean transposeB,
      double alpha,
      double beta) {
    DataType dt = c.dataType();
    if (!direct(a) || !direct(b) || !direct(c) || a.dataType() != dt || b.dataType() != dt) {
      Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
      return;
    }
    int m = (int) c.size(0);
    int n = (int) c.size(1);
    int k = (int) (transposeA ? a.size(0) : a.size(1));
    if ((transposeA ? a.size(1) : a.size(0)) != m || (transposeB ? b.size(0) : b.size(1)) != n) {
      throw new IllegalArgumentException("gemm: shapes do not match");
    }
    if ((transposeB ? b.size(1) : b.size(0)) != k) {
      throw new IllegalArgumentException("gemm: inner dimensions do not match");
    }
    int ta = transposeA ? CblasTrans : CblasNoTrans;
    int tb = transposeB ? CblasTrans : CblasNoTrans;
    int lda = (int) a.size(1);
    int ldb = (int) b.size(1);
    if (dt == DataType.FLOAT) {
      openblas_nolapack.cblas_sgemm(
          CblasRowMajor,
          ta,
          tb,
          m,
          n,
          k,
          (float) alpha,
          floats(a),
          lda,
          floats(b),
          ldb,
          (float) beta,
          floats(c),
          n);
    } else {
      openblas_nolapack.cblas_dgemm(
          CblasRowMajor,
          ta,
          tb,
          m,
          n,
          k,
          alpha,
          doubles(a),
          lda,
          doubles(b),
          ldb,
          beta,
          doubles(c),
          n);
    }
  }

  /**
   * {@code C = alpha op(A) op(B) + beta C} on blocks of plain matrices ({@link #direct}): A's block
   * starts at element {@code ao} of its buffer with leading dimension {@code lda} (row-major), and
   * likewise B and C; op(A) is m x k, op(B) k x n. For products over some rows or columns of the
   * step's buffers, such as one position's rows.
   */
  static void gemmBlock(
      boolean transposeA,
      boolean transposeB,
      int m,
      int n,
      int k,
      double alpha,
      INDArray a,
      long ao,
      int lda,
      INDArray b,
      long bo,
      int ldb,
      double beta,
      INDArray c,
      long co,
      int ldc) {
    DataType dt = c.dataType();
    if (!direct(a) || !direct(b) || !direct(c) || a.dataType() != dt || b.dataType() != dt) {
      throw new IllegalArgumentException("gemmBlock: plain matrices of one data type only");
    }
    int ta = transposeA ? CblasTrans : CblasNoTrans;
    int tb = transposeB ? CblasTrans : CblasNoTrans;
    if (dt == DataType.FLOAT) {
      openblas_nolapack.cblas_sgemm(
          CblasRowMajor,
          ta,
          tb,
          m,
          n,
          k,
          (float) alpha,
          floats(a).getPointer(ao),
          lda,
          floats(b).getPointer(bo),
          ldb,
          (float) beta,
          floats(c).getPointer(co),
          ldc);
    } else {
      openblas_nolapack.cblas_dgemm(
          CblasRowMajor,
          ta,
          tb,
          m,
          n,
          k,
          alpha,
          doubles(a).getPointer(ao),
          lda,
          doubles(b).getPointer(bo),
          ldb,
          beta,
          doubles(c).getPointer(co),
          ldc);
    }
  }

  /**
   * {@code out[j] = sum over rows of m[row, j]} ({@code out} holds cols values, any shape): the
   * gradient of a bias added to every row, as a matrix-vector product with ones.
   */
  static void columnSums(INDArray m, INDArray out) {
    DataType dt = m.dataType();
    int rows = (int) m.size(0);
    int cols = (int) m.size(1);
    boolean outDirect =
        out.ordering() == 'c'
            && !out.isView()
            && out.offset() == 0
            && out.length() == cols
            && out.data().length() == cols
            && out.dataType() == dt;
    if (!direct(m) || !outDirect) {
      out.assign(m.sum(0).reshape(out.shape()));
      return;
    }
    Pointer[] ones = ONES.get();
    if (dt == DataType.FLOAT) {
      FloatPointer o = (FloatPointer) ones[0];
      if (o.capacity() < rows) {
        o = new FloatPointer(rows);
        for (int i = 0; i < rows; i++) {
          o.put(i, 1f);
        }
        ones[0] = o;
      }
      openblas_nolapack.cblas_sgemv(
          CblasRowMajor, CblasTrans, rows, cols, 1f, floats(m), cols, o, 1, 0f, floats(out), 1);
    } else {
      DoublePointer o = (DoublePointer) ones[1];
      if (o.capacity() < rows) {
        o = new DoublePointer(rows);
        for (int i = 0; i < rows; i++) {
          o.put(i, 1.0);
        }
        ones[1] = o;
      }
      openblas_nolapack.cblas_dgemv(
          CblasRowMajor, CblasTrans, rows, cols, 1.0, doubles(m), cols, o, 1, 0.0, doubles(out), 1);
    }
  }

  private static FloatPointer floats(INDArray a) {
    return (FloatPointer) a.data().addressPointer();
  }

  private static DoublePointer doubles(INDArray a) {
    return (DoublePointer) a.data().addressPointer();
  }
}
