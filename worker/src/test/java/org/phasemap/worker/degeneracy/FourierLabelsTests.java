package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.phasemap.worker.degeneracy.DenseChain.Layer;
import org.phasemap.worker.degeneracy.DenseChain.Nonlinearity;

/** Every basis direction gets the frequency it is made of. */
class FourierLabelsTests {

  /**
   * Input f(a, b) = E_a + E_b with E_x = (3 cos w₂x, 3 sin w₂x, cos w₅x, sin w₅x), w_k = 2πk/11;
   * the logits read the four coordinates with weights 1, 1, 2, 2. Both bases can only rotate within
   * a frequency's (cos, sin) pair, so every direction is labelled 2 or 5, with share 1.
   */
  @Test
  void embeddingMadeOfKnownModesGivesExactlyThoseFrequencies() {
    int p = 11;
    int[] freq = {2, 2, 5, 5};
    double[] amp = {3, 3, 1, 1};
    double[][] x = new double[p * p][4];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        for (int j = 0; j < 4; j++) {
          double wa = 2 * Math.PI * freq[j] * a / p;
          double wb = 2 * Math.PI * freq[j] * b / p;
          x[a * p + b][j] =
              amp[j] * (j % 2 == 0 ? Math.cos(wa) + Math.cos(wb) : Math.sin(wa) + Math.sin(wb));
        }
      }
    }
    double[][] w = new double[4][p];
    double[] read = {1, 1, 2, 2};
    for (int j = 0; j < 4; j++) {
      w[j][j] = read[j];
    }
    DenseChain chain =
        DenseChain.onGrid(
            p,
            "embed",
            DoubleMatrix.of(x),
            List.of(new Layer("logits", DoubleMatrix.of(w), new double[p], Nonlinearity.IDENTITY)));
    DegeneracyReport report = DegeneracyAnalysis.of(chain, DegeneracyOptions.defaults());
    for (DegeneracyReport.Layer layer : report.layers()) {
      for (FourierLabels labels :
          new FourierLabels[] {layer.interactionFrequencies(), layer.pcaFrequencies()}) {
        assertThat(labels.frequency()).as(layer.name()).containsExactlyInAnyOrder(2, 2, 5, 5);
        for (double share : labels.share()) {
          assertThat(share).as(layer.name()).isGreaterThan(1 - 1e-9);
        }
      }
    }
  }

  @Test
  void chainsOffTheGridHaveNoLabels() {
    DenseChain chain =
        DenseChain.of(
            "input",
            DoubleMatrix.of(new double[][] {{1, 0}, {0, 1}, {1, 1}}),
            new int[] {0, 1, 0},
            List.of(
                new Layer("out", DoubleMatrix.identity(2), new double[2], Nonlinearity.IDENTITY)));
    DegeneracyReport report = DegeneracyAnalysis.of(chain, DegeneracyOptions.defaults());
    assertThat(report.layers().get(0).interactionFrequencies()).isNull();
  }
}
