package org.phasemap.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The direct OpenBLAS calls compute what ND4J's own products and sums do, and fall back for views.
 */
class BlasTests {

  private static double maxRelative(INDArray got, INDArray want) {
    double scale = want.amaxNumber().doubleValue() + 1e-30;
    return got.sub(want).amaxNumber().doubleValue() / scale;
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2} beta={3}")
  @CsvSource({
    "FLOAT, false, false, 0",
    "FLOAT, false, true, 1",
    "FLOAT, true, false, 0.5",
    "FLOAT, true, true, 1",
    "DOUBLE, false, false, 1",
    "DOUBLE, false, true, 0",
    "DOUBLE, true, false, 1",
    "DOUBLE, true, true, 0"
  })
  void gemmEqualsNd4j(DataType dt, boolean ta, boolean tb, double beta) {
    int m = 37;
    int k = 19;
    int n = 23;
    INDArray a = Nd4j.rand(dt, ta ? k : m, ta ? m : k).subi(0.5);
    INDArray b = Nd4j.rand(dt, tb ? n : k, tb ? k : n).subi(0.5);
    INDArray c0 = Nd4j.rand(dt, m, n);
    INDArray want = c0.dup();
    Nd4j.gemm(a, b, want, ta, tb, 0.7, beta);
    INDArray got = c0.dup();
    assertThat(Blas.direct(got)).isTrue();
    Blas.gemm(a, b, got, ta, tb, 0.7, beta);
    assertThat(maxRelative(got, want)).isLessThan(dt == DataType.FLOAT ? 1e-6 : 1e-14);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void viewsGoThroughNd4jAndShapesAreChecked(DataType dt) {
    INDArray big = Nd4j.rand(dt, 10, 8);
    INDArray view = big.get(NDArrayIndex.interval(2, 7), NDArrayIndex.all()); // [5, 8], offset
    assertThat(Blas.direct(view)).isFalse();
    INDArray b = Nd4j.rand(dt, 8, 3);
    INDArray got = Nd4j.create(dt, 5, 3);
    Blas.gemm(view, b, got, false, false, 1.0, 0.0);
    assertThat(maxRelative(got, view.mmul(b))).isLessThan(1e-6);
    assertThatThrownBy(() -> Blas.gemm(b, b, got, false, false, 1.0, 0.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void columnSumsEqualTheSumOverRows(DataType dt) {
    INDArray m = Nd4j.rand(dt, 301, 17).subi(0.5);
    INDArray out = Nd4j.create(dt, 1, 17);
    Blas.columnSums(m, out);
    assertThat(maxRelative(out.reshape(17), m.sum(0))).isLessThan(1e-5);
    // a second, shorter call reuses the ones; a view takes ND4J's path
    INDArray part = m.get(NDArrayIndex.interval(0, 100), NDArrayIndex.all());
    Blas.columnSums(part.dup(), out);
    assertThat(maxRelative(out.reshape(17), part.sum(0))).isLessThan(1e-5);
    Blas.columnSums(part, out);
    assertThat(maxRelative(out.reshape(17), part.sum(0))).isLessThan(1e-5);
  }

  /** A block product over rows and columns of larger buffers equals ND4J's on the same views. */
  @ParameterizedTest(name = "{0} transA={1} transB={2}")
  @CsvSource({
    "FLOAT, true, true",
    "FLOAT, false, false",
    "DOUBLE, true, false",
    "DOUBLE, false, true"
  })
  void blockProductEqualsTheProductOfViews(DataType dt, boolean ta, boolean tb) {
    int m = 7;
    int k = 5;
    int n = 6;
    // op(A)'s block sits at rows 3.. and columns 2.. of a [20, 12] buffer, B's at (1, 4) of
    // [15, 14], C's at (2, 3) of [11, 13]
    INDArray a = Nd4j.rand(dt, 20, 12).subi(0.5);
    INDArray b = Nd4j.rand(dt, 15, 14).subi(0.5);
    INDArray c = Nd4j.rand(dt, 11, 13);
    INDArray aBlock =
        a.get(
            NDArrayIndex.interval(3, 3 + (ta ? k : m)), NDArrayIndex.interval(2, 2 + (ta ? m : k)));
    INDArray bBlock =
        b.get(
            NDArrayIndex.interval(1, 1 + (tb ? n : k)), NDArrayIndex.interval(4, 4 + (tb ? k : n)));
    INDArray want = c.dup();
    INDArray wantBlock = want.get(NDArrayIndex.interval(2, 2 + m), NDArrayIndex.interval(3, 3 + n));
    wantBlock.assign(
        (ta ? aBlock.transpose() : aBlock)
            .mmul(tb ? bBlock.transpose() : bBlock)
            .muli(0.7)
            .addi(wantBlock.mul(0.5)));
    Blas.gemmBlock(
        ta,
        tb,
        m,
        n,
        k,
        0.7,
        Blas.block(a, 3 * 12 + 2, 12),
        Blas.block(b, 14 + 4, 14),
        0.5,
        Blas.block(c, 2 * 13 + 3, 13));
    assertThat(maxRelative(c, want)).isLessThan(dt == DataType.FLOAT ? 1e-6 : 1e-14);
    assertThatThrownBy(
            () ->
                Blas.gemmBlock(
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    1.0,
                    Blas.block(aBlock, 0, 12),
                    Blas.block(b, 0, 14),
                    0.0,
                    Blas.block(c, 0, 13)))
        .isInstanceOf(IllegalArgumentException.class);
    // a block running past its buffer is refused, not read out of bounds
    assertThatThrownBy(
            () ->
                Blas.gemmBlock(
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    1.0,
                    Blas.block(a, 20 * 12 - 3, 12),
                    Blas.block(b, 0, 14),
                    0.0,
                    Blas.block(c, 0, 13)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit");
  }
}
