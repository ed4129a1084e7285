package org.phasemap.worker.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SgldSamplerTests {

  @Test
  void noiseIsTheSeededGaussianSequenceScaledBySqrtEpsilon() {
    INDArray w = Nd4j.zeros(DataType.FLOAT, 2, 3);
    Map<String, INDArray> params = Map.of("w", w);
    Map<String, INDArray> centre = Map.of("w", w.dup());
    LlcSettings s = LlcSettings.defaults().withEpsilon(0.25).withGamma(0);

    new SgldSampler(params, centre, s, 1)
        .step(Map.of("w", w.ulike().assign(0)), new SplittableRandom(9));

    SplittableRandom expected = new SplittableRandom(9);
    float[] got = w.data().asFloat();
    for (float v : got) {
      assertThat(v).isEqualTo((float) ((float) expected.nextGaussian() * 0.5));
    }
  }

  @Test
  void driftIsHalfEpsilonTimesTheDevinterpGradient() {
    // w = 1, w* = 0, gradient 2: g = nβ·2 + λ_wd·1 + γ·(1 − 0) = 3·2 + 0.5 + 4 = 10.5
    INDArray w = Nd4j.ones(DataType.DOUBLE, 3);
    LlcSettings s =
        LlcSettings.defaults()
            .withEpsilon(0.01)
            .withGamma(4)
            .withWeightDecay(0.5)
            .withNoiseLevel(0);
    new SgldSampler(Map.of("w", w), Map.of("w", Nd4j.zeros(DataType.DOUBLE, 3)), s, 3)
        .step(Map.of("w", Nd4j.valueArrayOf(new long[] {3}, 2.0)), new SplittableRandom(1));

    assertThat(w.toDoubleVector()).containsOnly(1 - 0.005 * 10.5);
  }

  @Test
  void boundingBoxClampsAroundTheCentre() {
    INDArray w = Nd4j.zeros(DataType.DOUBLE, 1000);
    INDArray centre = Nd4j.zeros(DataType.DOUBLE, 1000).addi(3);
    w.addi(3);
    LlcSettings s = LlcSettings.defaults().withEpsilon(1).withGamma(0).withBoundingBox(0.1);
    new SgldSampler(Map.of("w", w), Map.of("w", centre), s, 1)
        .step(Map.of("w", Nd4j.zeros(DataType.DOUBLE, 1000)), new SplittableRandom(4));

    double[] v = w.toDoubleVector();
    double min = java.util.Arrays.stream(v).min().orElseThrow();
    double max = java.util.Arrays.stream(v).max().orElseThrow();
    // noise of standard deviation 1 leaves almost every entry outside the box: clamped to its faces
    assertThat(min).isCloseTo(2.9, within(1e-12));
    assertThat(max).isCloseTo(3.1, within(1e-12));
  }
}
