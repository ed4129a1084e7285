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
 * The one-pass activations against ND4J's element-wise form: {@link Gelu}'s float32 GeLU and its
 * derivative against ND4J's float64 erf and Java's exp, and the float32 pass through {@link
 * Activation#apply} (bias, function, derivative) against the float64 ND4J path on the same values.
 */
class ActivationTests {

  /** Φ(x) from ND4J's float64 erf, an implementation independent of {@link Gelu}. */
  private static double[] erfCdf(double[] x) {
    INDArray a = Nd4j.createFromArray(x).muli(1 / Math.sqrt(2));
    Nd4j.exec(new Erf(a, a));
    return a.addi(1).muli(0.5).reshape(-1).toDoubleVector();
  }

  private static double pdf(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  /** GeLU and its derivative over {@code v} (one row, no bias) by {@link Gelu#pass}. */
  private static float[][] gelu(float[] v) {
    float[] x = v.clone();
    float[] d = new float[v.length];
    Gelu.pass(x, d, x.length, new float[x.length]);
    float[] valuesOnly = v.clone();
    Gelu.pass(valuesOnly, null, v.length, new float[v.length]);
    return new float[][] {x, d, valuesOnly};
  }

  @Test
  void geluAndDerivativeMatchErfWithinFloatRounding() {
    int n = 48_001;
    float[] v = new float[n];
    double[] vd = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (-12 + 24.0 * i / (n - 1) + 1e-5 * Math.sin(i));
      vd[i] = v[i];
    }
    double[] cdf = erfCdf(vd);
    float[][] got = gelu(v);
    double worstValue = 0;
    double worstDerivative = 0;
    for (int i = 0; i < n; i++) {
      double want = vd[i] * cdf[i];
      worstValue = Math.max(worstValue, Math.abs(got[0][i] - want) / (1 + Math.abs(want)));
      worstDerivative =
          Math.max(worstDerivative, Math.abs(got[1][i] - (cdf[i] + vd[i] * pdf(vd[i]))));
      assertThat(got[2][i]).as("without the derivative, value %d", i).isEqualTo(got[0][i]);
    }
    // float32 resolves 6e-8 near 1: a couple of roundings
    assertThat(worstValue).isLessThan(1.5e-7);
    assertThat(worstDerivative).isLessThan(2e-7);
  }

  @Test
  void belowZeroGeluKeepsItsRelativePrecision() {
    // where ND4J's 1 + erf still resolves Φ (x >= -6: Φ >= 1e-9, its rounding 1e-16)
    int n = 5_001;
    float[] v = new float[n];
    double[] vd = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (-6 + 5.0 * i / (n - 1));
      vd[i] = v[i];
    }
    double[] cdf = erfCdf(vd);
    float[] got = gelu(v)[0];
    for (int i = 0; i < n; i++) {
      double want = vd[i] * cdf[i];
      assertThat((double) got[i])
          .as("x = %s", vd[i])
          .isCloseTo(want, within(Math.abs(want) * 2e-6));
    }
    // further out, against the asymptotic series x φ(x) / |x| (1 - 1/x² + 3/x⁴ - 15/x⁶ + 105/x⁸)
    for (float x : new float[] {-7.5f, -8f, -8.5f, -9f}) {
      double z = 1.0 / ((double) x * x);
      double want = x * pdf(x) / -x * (1 - z * (1 - z * (3 - z * (15 - z * 105))));
      assertThat((double) gelu(new float[] {x})[0][0])
          .isCloseTo(want, within(Math.abs(want) * 1e-5));
    }
  }

  @Test
  void specialValues() {
    float[][] got =
        gelu(new float[] {0f, -0f, 20f, -20f, 1e-30f, -1e-30f, Float.NaN, 1e30f, -1e30f});
    // -0 + a zero bias is +0, as ND4J adds it; beyond |x| = 9 the tail is 0: GeLU is x or 0
    assertThat(got[0]).containsExactly(0f, 0f, 20f, -0f, 5e-31f, -5e-31f, Float.NaN, 1e30f, -0f);
    assertThat(got[1][0]).isEqualTo(0.5f);
    assertThat(got[1][2]).isEqualTo(1f);
    assertThat(got[1][4]).isCloseTo(0.5f, within(1e-7f));
    assertThat(got[1][6]).isNaN();
    // the derivative does not grow with |x| beyond 9: 1 and 0 within 1e-16
    assertThat(got[1][7]).isEqualTo(1f);
    for (int k : new int[] {3, 8}) {
      assertThat(got[1][k]).as("derivative %d", k).isCloseTo(0f, within(1e-16f));
    }
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
