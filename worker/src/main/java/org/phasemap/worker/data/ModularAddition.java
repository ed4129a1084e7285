package org.phasemap.worker.data;

import java.util.SplittableRandom;
import org.phasemap.worker.RunConfig;

/**
 * The data set of a run: all p² ordered pairs (a, b) with label (a + b) mod p, split into a training
 * and a test set by a seeded shuffle (SCIENCE.md section 0).
 *
 * <p>Pairs are numbered row-major, {@code index = a * p + b}. The split is a Fisher-Yates shuffle of
 * those indices driven by {@link SplittableRandom} seeded with the run's {@code data_seed}; the first
 * {@code floor(train_fraction * p²)} shuffled indices are the training set. Both index lists are
 * stored in shuffled order, so the split of any run can be rebuilt from its row in the runs table.
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
