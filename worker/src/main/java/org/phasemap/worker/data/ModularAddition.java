package org.phasemap.worker.data;

import java.util.SplittableRandom;
import org.phasemap.worker.RunConfig;

/**
 * The data set of a run: all p² ordered pairs (a, b) with label (a + b) mod p, split into a
 * training and a test set by a seeded shuffle (SCIENCE.md section 0).
 *
 * <p>Pairs are numbered row-major, {@code index = a * p + b}. The split is a Fisher-Yates shuffle
 * of those indices driven by {@link SplittableRandom} seeded with the run's {@code data_seed}; the
 * first {@code floor(train_fraction * p²)} shuffled indices are the training set. Both index lists
 * are stored in shuffled order, so the split of any run can be rebuilt from its row in the runs
 * table.
 */
public final class ModularAddition {
  private final int modulus;
  private final boolean equalsToken;
  private final int[] trainIndices;
  private final int[] testIndices;

  private ModularAddition(int modulus, boolean equalsToken, int[] train, int[] test) {
    this.modulus = modulus;
    this.equalsToken = equalsToken;
    this.trainIndices = train;
    this.testIndices = test;
  }

  /** The split of {@code config}: deterministic in (modulus, train_fraction, data_seed). */
  public static ModularAddition of(RunConfig config) {
    int p = config.modulus();
    int n = p * p;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(config.dataSeed());
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int trainSize = config.trainSize();
    int[] train = java.util.Arrays.copyOfRange(order, 0, trainSize);
    int[] test = java.util.Arrays.copyOfRange(order, trainSize, n);
    return new ModularAddition(p, config.equalsToken(), train, test);
  }

  /**
   * A given split (SCIENCE.md section 0 leaves it to the implementation; the papers' code draws it
   * unseeded): pair indices a * p + b of the training and the test set, in the given order (the
   * order of the training batch). Every index must lie in [0, p²) and appear at most once in the
   * two lists together.
   *
   * @param source names the split in error messages (a file, say)
   * @throws IllegalArgumentException naming the list, the position and the value that is wrong
   */
  public static ModularAddition ofRows(
      int modulus, boolean equalsToken, int[] train, int[] test, String source) {
    int n = modulus * modulus;
    boolean[] seen = new boolean[n];
    for (int[] rows : new int[][] {train, test}) {
      String list = rows == train ? "train" : "test";
      for (int i = 0; i < rows.length; i++) {
        int r = rows[i];
        if (r < 0 || r >= n) {
          throw new IllegalArgumentException(
              "Invalid split "
                  + source
                  + ": "
                  + list
                  + " row "
                  + i
                  + " is "
                  + r
                  + " (allowed: 0 to "
                  + (n - 1)
                  + ", row = a * p + b with p = "
                  + modulus
                  + ")");
        }
        if (seen[r]) {
          throw new IllegalArgumentException(
              "Invalid split "
                  + source
                  + ": "
                  + list
                  + " row "
                  + i
                  + " ("
                  + r
                  + ") appears twice; a pair is either in the training or in the test set, once");
        }
        seen[r] = true;
      }
    }
    if (train.length == 0) {
      throw new IllegalArgumentException("Invalid split " + source + ": the training set is empty");
    }
    return new ModularAddition(modulus, equalsToken, train.clone(), test.clone());
  }

  public int modulus() {
    return modulus;
  }

  /** Pair indices (a * p + b) of the training set, in shuffled order. */
  public int[] trainIndices() {
    return trainIndices.clone();
  }

  /** Pair indices (a * p + b) of the test set, in shuffled order. */
  public int[] testIndices() {
    return testIndices.clone();
  }

  /** All p² pair indices in row-major order (used by the structural measures). */
  public int[] allIndices() {
    int[] all = new int[modulus * modulus];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Tokens per input: a, b and (when present) the '=' token, whose id is p. */
  public int contextLength() {
    return equalsToken ? 3 : 2;
  }

  /** Flattened token ids [n * contextLength] of the given pairs. */
  public int[] tokens(int[] pairIndices) {
    int t = contextLength();
    int[] tokens = new int[pairIndices.length * t];
    for (int i = 0; i < pairIndices.length; i++) {
      tokens[i * t] = pairIndices[i] / modulus;
      tokens[i * t + 1] = pairIndices[i] % modulus;
      if (equalsToken) {
        tokens[i * t + 2] = modulus;
      }
    }
    return tokens;
  }

  /** Labels (a + b) mod p of the given pairs. */
  public int[] labels(int[] pairIndices) {
    int[] labels = new int[pairIndices.length];
    for (int i = 0; i < pairIndices.length; i++) {
      labels[i] = (pairIndices[i] / modulus + pairIndices[i] % modulus) % modulus;
    }
    return labels;
  }
}
