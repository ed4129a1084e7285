package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.phasemap.worker.degeneracy.DenseChain.Layer;
import org.phasemap.worker.degeneracy.DenseChain.Nonlinearity;

/** Keeping the top k directions of a layer, in the interaction basis and in the PCA basis. */
class AblationCurveTests {

  @Test
  void scheduleGrowsGeometricallyAndEndsAtTheFullBasis() {
    assertThat(AblationCurve.schedule(0, 2)).containsExactly(0);
    assertThat(AblationCurve.schedule(1, 2)).containsExactly(0, 1);
    assertThat(AblationCurve.schedule(8, 2)).containsExactly(0, 1, 2, 4, 8);
    assertThat(AblationCurve.schedule(10, 2)).containsExactly(0, 1, 2, 4, 8, 10);
    assertThat(AblationCurve.schedule(5, 1.5)).containsExactly(0, 1, 2, 3, 5);
  }

  /**
   * A solved modular addition (p = 11, frequency 3): the input holds cos w(a+b), sin w(a+b) and a
   * loud coordinate of noise (standard deviation 5) the logits cos w(a+b−c) never read. PCA ranks
   * the noise first and needs all 3 directions for 99 % of the accuracy; the interaction basis
   * drops the noise and needs 2.
   */
  @Test
  void interactionBasisNeedsFewerDirectionsThanPcaWhenTheLoudestDirectionIsIgnored() {
    int p = 11;
    double w = 2 * Math.PI * 3 / p;
    SplittableRandom rng = new SplittableRandom(9);
    double[][] x = new double[p * p][3];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        x[a * p + b][0] = Math.cos(w * (a + b));
        x[a * p + b][1] = Math.sin(w * (a + b));
        x[a * p + b][2] = 5 * rng.nextGaussian();
      }
    }
    double[][] read = new double[3][p];
    for (int c = 0; c < p; c++) {
      read[0][c] = Math.cos(w * c);
      read[1][c] = Math.sin(w * c);
    }
    DenseChain chain =
        DenseChain.onGrid(
            p,
            "input",
            DoubleMatrix.of(x),
            List.of(
                new Layer("logits", DoubleMatrix.of(read), new double[p], Nonlinearity.IDENTITY)));
    DegeneracyReport report = DegeneracyAnalysis.of(chain, DegeneracyOptions.defaults());
    assertThat(report.accuracy()).isEqualTo(1.0);
    DegeneracyReport.Layer input = report.layer("input");
    assertThat(input.gramRank()).isEqualTo(3);
    assertThat(input.directionsKept()).isEqualTo(2);
    assertThat(input.interaction().directions()).containsExactly(0, 1, 2);
    assertThat(input.interaction().accuracy()[2]).isEqualTo(1.0);
    assertThat(input.interaction().directionsNeeded()).isEqualTo(2);
    assertThat(input.pca().directions()).containsExactly(0, 1, 2, 3);
    assertThat(input.pca().accuracy()[2]).isLessThan(0.5);
    assertThat(input.pca().directionsNeeded()).isEqualTo(3);
    // nothing kept: every input gets the mean activation, so one answer for all: accuracy 1/p
    assertThat(input.interaction().accuracy()[0])
        .isCloseTo(1.0 / p, org.assertj.core.data.Offset.offset(1e-12));
  }

  /** A directions-needed count between two schedule points is found by bisection. */
  @Test
  void directionsNeededBetweenSchedulePointsIsBisected() {
    int n = 60;
    int d = 12;
    double[][] x = new double[n][d];
    SplittableRandom rng = new SplittableRandom(10);
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = rng.nextGaussian() * Math.pow(0.7, j);
      }
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
    }
    DenseChain chain =
        DenseChain.of(
            "input",
            DoubleMatrix.of(x),
            labels,
            List.of(
                new Layer(
                    "logits",
                    LinearAlgebraTests.gaussian(rng, d, 3),
                    new double[3],
                    Nonlinearity.IDENTITY)));
    DegeneracyOptions options = DegeneracyOptions.defaults();
    DegeneracyReport report = DegeneracyAnalysis.of(chain, options);
    AblationCurve c = report.layer("input").pca();
    LayerBasis basis = InteractionBases.build(chain, options).get(0).pca();
    int needed = c.directionsNeeded();
    assertThat(needed).isBetween(0, 12);
    // check the answer against a direct evaluation at needed and needed − 1
    double target = options.accuracyShare() * report.accuracy();
    assertThat(accuracy(chain, basis, needed)).isGreaterThanOrEqualTo(target);
    if (needed > 0) {
      assertThat(accuracy(chain, basis, needed - 1)).isLessThan(target);
    }
  }

  private static double accuracy(NodeChain chain, LayerBasis basis, int k) {
    DoubleMatrix logits =
        chain.output(0, basis.rebuild(basis.featureValues(chain.activations(0)), k));
    return org.phasemap.worker.measure.CrossEntropy.accuracy(logits.toArray(), chain.labels());
  }
}
