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
    gemmBlock(
        transposeA,
        transposeB,
        m,
        n,
        k,
        alpha,
        block(a, 0, (int) a.size(1)),
        block(b, 0, (int) b.size(1)),
        beta,
        block(c, 0, n));
  }

  /**
   * A block of a plain matrix ({@link #direct}): the elements from {@code offset} of its buffer on,
   * rows {@code ld} elements apart (row-major).
   */
  record Block(INDArray matrix, long offset, int ld) {
    /** Fails unless rows x cols from here lie inside the buffer, rows ld apart (ld ≥ cols). */
    void checkExtent(int rows, int cols) {
      if (rows < 0
          || cols < 0
          || ld < cols
          || offset < 0
          || (rows > 0 && offset + (long) (rows - 1) * ld + cols > matrix.length())) {
        throw new IllegalArgumentException(
            "gemmBlock: a "
                + rows
                + " x "
                + cols
                + " block from element "
                + offset
                + ", rows "
                + ld
                + " apart, does not fit a buffer of "
                + matrix.length());
      }
    }
  }

  /** The block of {@code m} from element {@code offset}, rows {@code ld} apart. */
  static Block block(INDArray m, long offset, int ld) {
    return new Block(m, offset, ld);
  }

  /**
   * {@code C = alpha op(A) op(B) + beta C} on blocks of plain matrices of one data type: op(A) is m
   * x k, op(B) k x n; sgemm or dgemm by the data type. For products over some rows or columns of
   * the step's buffers, such as one position's rows, and for {@link #gemm}.
   */
  static void gemmBlock(
      boolean transposeA,
      boolean transposeB,
      int m,
      int n,
      int k,
      double alpha,
      Block a,
      Block b,
      double beta,
      Block c) {
    DataType dt = c.matrix().dataType();
    for (Block x : new Block[] {a, b, c}) {
      if (!direct(x.matrix()) || x.matrix().dataType() != dt) {
        throw new IllegalArgumentException("gemmBlock: plain matrices of one data type only");
      }
    }
    // the stored blocks: A is m x k (k x m transposed), B k x n (n x k), C m x n
    a.checkExtent(transposeA ? k : m, transposeA ? m : k);
    b.checkExtent(transposeB ? n : k, transposeB ? k : n);
    c.checkExtent(m, n);
    int ta = transposeA ? CblasTrans : CblasNoTrans;
    int tb = transposeB ? CblasTrans : CblasNoTrans;
    if (c.matrix().dataType() == DataType.FLOAT) {
      openblas_nolapack.cblas_sgemm(
          CblasRowMajor,
          ta,
          tb,
          m,
          n,
          k,
          (float) alpha,
          floats(a.matrix()).getPointer(a.offset()),
          a.ld(),
          floats(b.matrix()).getPointer(b.offset()),
          b.ld(),
          (float) beta,
          floats(c.matrix()).getPointer(c.offset()),
          c.ld());
    } else {
      openblas_nolapack.cblas_dgemm(
          CblasRowMajor,
          ta,
          tb,
          m,
          n,
          k,
          alpha,
          doubles(a.matrix()).getPointer(a.offset()),
          a.ld(),
          doubles(b.matrix()).getPointer(b.offset()),
          b.ld(),
          beta,
          doubles(c.matrix()).getPointer(c.offset()),
          c.ld());
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
