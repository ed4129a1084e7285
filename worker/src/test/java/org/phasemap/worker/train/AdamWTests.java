package org.phasemap.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** AdamW against a hand computation of PyTorch's update, warm-up and decoupled decay included. */
class AdamWTests {

  @Test
  void threeStepsOnAScalarMatchTheHandComputation() {
    INDArray theta = Nd4j.scalar(DataType.DOUBLE, 1.0).reshape(1);
    AdamW opt = new AdamW(0.1, 0.9, 0.98, 1e-8, 0.5, 2);

    // step 1, g = 0.5: s = 0 updates taken, warm-up multiplier 0/2 = 0, so nothing moves,
    // but the moments do: m = 0.1 * 0.5 = 0.05, v = 0.02 * 0.25 = 0.005
    assertThat(opt.currentLearningRate()).isZero();
    opt.step(Map.of("w", theta), Map.of("w", scalar(0.5)));
    assertThat(theta.getDouble(0)).isEqualTo(1.0);

    // step 2, g = -0.2: lr_t = 0.1 * 1/2 = 0.05
    //   decay: 1.0 * (1 - 0.05 * 0.5) = 0.975
    //   m = 0.9 * 0.05 + 0.1 * (-0.2) = 0.025;  v = 0.98 * 0.005 + 0.02 * 0.04 = 0.0057
    //   bias corrections 1 - 0.9^2 = 0.19, 1 - 0.98^2 = 0.0396
    assertThat(opt.currentLearningRate()).isEqualTo(0.05);
    opt.step(Map.of("w", theta), Map.of("w", scalar(-0.2)));
    double expected2 =
        0.975 - (0.05 / 0.19) * 0.025 / (Math.sqrt(0.0057) / Math.sqrt(0.0396) + 1e-8);
    assertThat(theta.getDouble(0)).isCloseTo(expected2, offset(1e-15));
    assertThat(expected2).isCloseTo(0.9576593, offset(1e-7));

    // step 3, g = 0.1: lr_t = 0.1 (warm-up over)
    //   m = 0.9 * 0.025 + 0.1 * 0.1 = 0.0325;  v = 0.98 * 0.0057 + 0.02 * 0.01 = 0.005786
    //   bias corrections 1 - 0.9^3 = 0.271, 1 - 0.98^3 = 0.058808
    opt.step(Map.of("w", theta), Map.of("w", scalar(0.1)));
    double expected3 =
        expected2 * (1 - 0.1 * 0.5)
            - (0.1 / 0.271) * 0.0325 / (Math.sqrt(0.005786) / Math.sqrt(0.058808) + 1e-8);
    assertThat(theta.getDouble(0)).isCloseTo(expected3, offset(1e-15));
    assertThat(opt.stepsTaken()).isEqualTo(3);
  }

  static INDArray scalar(double v) {
    return Nd4j.scalar(DataType.DOUBLE, v).reshape(1);
  }

  @Test
  void withoutWarmupTheFirstStepMovesByAboutLr() {
    INDArray theta = Nd4j.zeros(DataType.DOUBLE, 3);
    INDArray grad = Nd4j.createFromArray(2.0, -3.0, 0.0);
    AdamW opt = new AdamW(0.01, 0.9, 0.98, 1e-8, 0.0, 0);
    opt.step(Map.of("w", theta), Map.of("w", grad));
    // m_hat = g, v_hat = g^2: the first Adam step is lr * sign(g)
    assertThat(theta.getDouble(0)).isCloseTo(-0.01, offset(1e-9));
    assertThat(theta.getDouble(1)).isCloseTo(0.01, offset(1e-9));
    assertThat(theta.getDouble(2)).isZero();
  }
}
