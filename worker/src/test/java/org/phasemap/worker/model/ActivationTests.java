package org.phasemap.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one-pass activations against ND4J's element-wise form: {@link GaussianTable}'s Φ and φ
 * against ND4J's float64 erf and Java's exp, and the float32 pass (bias, function, derivative)
 * against the float64 ND4J path on the same values.
 */
class ActivationTests {

  /** Φ(x) from ND4J's float64 erf, an implementation independent of the table. */
  private static double[] erfCdf(double[] x) {
    INDArray a = Nd4j.createFromArray(x).muli(1 / Math.sqrt(2));
    Nd4j.exec(new Erf(a, a));
    return a.addi(1).muli(0.5).reshape(-1).toDoubleVector();
  }

  @Test
  void cdfAndDensityMatchErfAndExpWithinTheInterpolationBound() {
    int n = 40_001;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = -10 + 20.0 * i / (n - 1) + 1e-7 * Math.sin(i); // off the knots
    }
    double[] ref = erfCdf(x);
    double worstCdf = 0;
    double worstPdf = 0;
    for (int i = 0; i < n; i++) {
      worstCdf = Math.max(worstCdf, Math.abs(GaussianTable.cdf(x[i]) - ref[i]));
      double pdf = Math.exp(-0.5 * x[i] * x[i]) / Math.sqrt(2 * Math.PI);
      worstPdf = Math.max(worstPdf, Math.abs(GaussianTable.density(x[i]) - pdf));
    }
    assertThat(worstCdf).isLessThan(1.5e-11);
    assertThat(worstPdf).isLessThan(1.5e-11);
  }

  @Test
  void tailsKeepTheirRelativePrecision() {
    for (double x : new double[] {-8.0, -8.5, -12.0, -30.0}) {
      double ref = erfCdf(new double[] {x})[0];
      // ND4J's erf rounds 1 + erf to a multiple of 2^-53 near -1: compare where it still resolves
      if (ref > 1e-14) {
        assertThat(GaussianTable.cdf(x)).isCloseTo(ref, within(ref * 1e-5));
      }
      assertThat(GaussianTable.cdf(x)).isPositive().isLessThan(7e-16);
    }
    assertThat(GaussianTable.cdf(9.0)).isCloseTo(1.0, within(1e-15));
    assertThat(GaussianTable.cdf(0.0)).isCloseTo(0.5, within(1e-15));
    assertThat(GaussianTable.cdf(Double.NaN)).isNaN();
  }

  @ParameterizedTest(name = "bias {0}")
  @ValueSource(booleans = {true, false})
  void float32PassEqualsTheNd4jPath(boolean withBias) {
    // 61 x 53 = 3 233 values: with a bias, chunks of 38 whole rows; without, 2 048 values and a
    // shorter last chunk
    int rows = 61;
    int cols = 53;
    for (Activation act : Activation.values()) {
      INDArray pre = Nd4j.rand(DataType.DOUBLE, rows, cols).subi(0.5).muli(12);
      INDArray bias =
          withBias ? Nd4j.rand(DataType.DOUBLE, cols).subi(0.5) : Nd4j.zeros(DataType.DOUBLE, cols);
      INDArray x32 = pre.castTo(DataType.FLOAT);
      INDArray d32 = Nd4j.create(DataType.FLOAT, rows, cols);
      act.apply(x32, withBias ? bias.castTo(DataType.FLOAT) : null, d32, null);

      INDArray x64 = x32.castTo(DataType.DOUBLE).assign(pre.castTo(DataType.FLOAT));
      INDArray d64 = Nd4j.create(DataType.DOUBLE, rows, cols);
      x64.addiRowVector(bias.castTo(DataType.FLOAT).castTo(DataType.DOUBLE));
      act.applyNd4j(x64, d64, Nd4j.create(DataType.DOUBLE, rows, cols));

      double[] got = x32.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
      double[] want = x64.reshape(-1).toDoubleVector();
      double[] gotD = d32.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
      double[] wantD = d64.reshape(-1).toDoubleVector();
      for (int k = 0; k < got.length; k++) {
        assertThat(got[k])
            .as("%s value %d", act, k)
            .isCloseTo(want[k], within(1e-6 * (1 + Math.abs(want[k]))));
        assertThat(gotD[k]).as("%s derivative %d", act, k).isCloseTo(wantD[k], within(1e-6));
      }
    }
  }
}
