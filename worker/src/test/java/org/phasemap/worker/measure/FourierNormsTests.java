package org.phasemap.worker.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FourierNormsTests {

  static final int P = 23;
  static final int D_MODEL = 16;

  /** Basis rows cos 3, sin 3, cos 7, sin 7. */
  static final int[] PLANTED = {5, 6, 13, 14};

  /** Random d_model vector per planted basis row. */
  static double[][] plantedVectors(SplittableRandom rng, int count, int width) {
    double[][] v = new double[count][width];
    for (double[] row : v) {
      for (int j = 0; j < width; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    return v;
  }

  /** W_E with token row x = Σ_j B[planted_j][x] · v_j: an exact sum of the planted modes. */
  static double[][] plantedEmbedding(double[][] v, int rows) {
    double[][] b = FourierBasis.of(P);
    double[][] wE = new double[rows][D_MODEL];
    for (int x = 0; x < P; x++) {
      for (int j = 0; j < PLANTED.length; j++) {
        for (int d = 0; d < D_MODEL; d++) {
          wE[x][d] += b[PLANTED[j]][x] * v[j][d];
        }
      }
    }
    return wE;
  }

  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  @Test
  void embeddingOfPlantedModesIsZeroElsewhereAndTheirNormsThere() {
    double[][] v = plantedVectors(new SplittableRandom(1), PLANTED.length, D_MODEL);
    double[] e = FourierNorms.embedding(Nd4j.create(plantedEmbedding(v, P)), P);

    assertThat(e).hasSize(P);
    Set<Integer> planted = Set.of(5, 6, 13, 14);
    for (int i = 0; i < P; i++) {
      if (!planted.contains(i)) {
        assertThat(e[i]).as(FourierBasis.name(i)).isCloseTo(0, within(1e-9));
      }
    }
    for (int j = 0; j < PLANTED.length; j++) {
      assertThat(e[PLANTED[j]]).isCloseTo(norm(v[j]), within(1e-9));
    }
  }

  @Test
  void giniOfPlantedEmbeddingMatchesTheMeanAbsoluteDifferenceForm() {
    double[][] v = plantedVectors(new SplittableRandom(2), PLANTED.length, D_MODEL);
    double[] expected = new double[P];
    for (int j = 0; j < PLANTED.length; j++) {
      expected[PLANTED[j]] = norm(v[j]);
    }
    double[] e = FourierNorms.embedding(Nd4j.create(plantedEmbedding(v, P)), P);

    // 4 non-zero norms out of 23: the coefficient must sit near the top of its range.
    assertThat(Gini.of(e))
        .isCloseTo(GiniTests.pairwise(expected), within(1e-9))
        .isGreaterThan(0.75);
  }

  @Test
  void embeddingDropsTheEqualsRow() {
    double[][] v = plantedVectors(new SplittableRandom(3), PLANTED.length, D_MODEL);
    double[][] withEquals = plantedEmbedding(v, P + 1);
    withEquals[P] = plantedVectors(new SplittableRandom(4), 1, D_MODEL)[0];

    assertThat(FourierNorms.embedding(Nd4j.create(withEquals), P))
        .containsExactly(
            FourierNorms.embedding(Nd4j.create(plantedEmbedding(v, P)), P), within(1e-12));
  }

  @Test
  void embeddingAcceptsFloatWeights() {
    double[][] v = plantedVectors(new SplittableRandom(6), PLANTED.length, D_MODEL);
    INDArray doubles = Nd4j.create(plantedEmbedding(v, P));

    assertThat(FourierNorms.embedding(doubles.castTo(DataType.FLOAT), P))
        .containsExactly(FourierNorms.embedding(doubles, P), within(1e-5));
  }

  @Test
  void neuronLogitNormsMatchAPlainLoopOverTheLayout() {
    SplittableRandom rng = new SplittableRandom(7);
    int dMlp = 12;
    double[][] wU = plantedVectors(rng, D_MODEL, P); // [d_model, p]
    double[][] wOut = plantedVectors(rng, dMlp, D_MODEL); // [d_mlp, d_model]
    double[][] b = FourierBasis.of(P);
    // W_L[c][n] = Σ_d W_U[d][c] · W_out[n][d]; ℓ_i = ‖Σ_c B[i][c] W_L[c][:]‖.
    double[] expected = new double[P];
    for (int i = 0; i < P; i++) {
      double[] row = new double[dMlp];
      for (int c = 0; c < P; c++) {
        for (int n = 0; n < dMlp; n++) {
          for (int d = 0; d < D_MODEL; d++) {
            row[n] += b[i][c] * wU[d][c] * wOut[n][d];
          }
        }
      }
      expected[i] = norm(row);
    }

    assertThat(FourierNorms.neuronLogit(Nd4j.create(wU), Nd4j.create(wOut), P))
        .containsExactly(expected, within(1e-10));
  }

  @Test
  void neuronLogitOfPlantedUnembeddingIsZeroElsewhere() {
    SplittableRandom rng = new SplittableRandom(8);
    int dMlp = 10;
    double[][] v = plantedVectors(rng, PLANTED.length, D_MODEL);
    double[][] wOut = plantedVectors(rng, dMlp, D_MODEL);
    // W_U[:, c] = Σ_j B[planted_j][c] · v_j, so (B W_L)[i, :] = (W_out v_i)ᵀ on planted rows only.
    double[][] wU = new double[D_MODEL][P];
    double[][] tokens = plantedEmbedding(v, P);
    for (int c = 0; c < P; c++) {
      for (int d = 0; d < D_MODEL; d++) {
        wU[d][c] = tokens[c][d];
      }
    }
    double[] l = FourierNorms.neuronLogit(Nd4j.create(wU), Nd4j.create(wOut), P);

    Set<Integer> planted = Set.of(5, 6, 13, 14);
    for (int i = 0; i < P; i++) {
      if (!planted.contains(i)) {
        assertThat(l[i]).isCloseTo(0, within(1e-9));
      }
    }
    double[] moved = new double[dMlp];
    for (int n = 0; n < dMlp; n++) {
      for (int d = 0; d < D_MODEL; d++) {
        moved[n] += wOut[n][d] * v[0][d];
      }
    }
    assertThat(l[5]).isCloseTo(norm(moved), within(1e-9));
  }

  @Test
  void pooledCombinesCosineAndSineAndDropsTheConstant() {
    double[] perComponent = {9, 3, 4, 0, 0, 1, 0};

    assertThat(FourierNorms.pooled(perComponent))
        .containsExactly(new double[] {5, 0, 1}, within(1e-15));
  }

  @Test
  void pooledRejectsAnEvenLength() {
    assertThatThrownBy(() -> FourierNorms.pooled(new double[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot pool Fourier norms: expected one value per basis row, an odd count of at least 3 (got 4)");
  }

  @Test
  void embeddingRejectsTheWrongNumberOfRows() {
    assertThatThrownBy(() -> FourierNorms.embedding(Nd4j.zeros(DataType.DOUBLE, 7, 4), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot take Fourier norms of W_E: expected shape [5 or 6, d_model] (got [7, 4])");
  }

  @Test
  void neuronLogitRejectsAnUnembeddingWithTheEqualsColumn() {
    assertThatThrownBy(
            () ->
                FourierNorms.neuronLogit(
                    Nd4j.zeros(DataType.DOUBLE, 4, 6), Nd4j.zeros(DataType.DOUBLE, 8, 4), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot take Fourier norms of W_L: expected W_U of shape [d_model, 5] (got [4, 6])");
  }

  @Test
  void neuronLogitRejectsAMismatchedWOut() {
    assertThatThrownBy(
            () ->
                FourierNorms.neuronLogit(
                    Nd4j.zeros(DataType.DOUBLE, 4, 5), Nd4j.zeros(DataType.DOUBLE, 4, 8), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot take Fourier norms of W_L: expected W_out of shape [d_mlp, 4] to match W_U (got [4, 8])");
  }
}
