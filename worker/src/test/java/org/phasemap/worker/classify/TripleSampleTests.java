package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TripleSampleTests {

  static int flat(int[] t, int p) {
    return (t[0] * p + t[1]) * p + t[2];
  }

  @Test
  void allListsEveryTripleOnceInOrder() {
    int[][] t = TripleSample.all(3);

    assertThat(t).hasNumberOfRows(27);
    assertThat(t[0]).containsExactly(0, 0, 0);
    assertThat(t[5]).containsExactly(0, 1, 2);
    assertThat(t[26]).containsExactly(2, 2, 2);
    for (int i = 0; i < t.length; i++) {
      assertThat(flat(t[i], 3)).isEqualTo(i);
    }
    assertThat(TripleSample.all(23)).hasNumberOfRows(23 * 23 * 23);
  }

  @Test
  void seededIsDeterministicAndDependsOnTheSeed() {
    int[][] first = TripleSample.seeded(23, 1000, 7);

    assertThat(TripleSample.seeded(23, 1000, 7)).isDeepEqualTo(first);
    assertThat(TripleSample.seeded(23, 1000, 8)).isNotEqualTo(first);
  }

  @Test
  void seededTriplesAreDistinctInRangeAndSorted() {
    int p = 23;
    int[][] t = TripleSample.seeded(p, 5000, 1);

    assertThat(t).hasNumberOfRows(5000);
    Set<Integer> seen = new HashSet<>();
    int previous = -1;
    for (int[] triple : t) {
      assertThat(triple).hasSize(3);
      for (int x : triple) {
        assertThat(x).isBetween(0, p - 1);
      }
      int index = flat(triple, p);
      assertThat(index).isGreaterThan(previous);
      previous = index;
      seen.add(index);
    }
    assertThat(seen).hasSize(5000);
  }

  @Test
  void seededDrawsEveryTripleEquallyOften() {
    // 27 000 one-triple draws over 27 triples: each count is Binomial(27000, 1/27), sd ≈ 31
    int[] counts = new int[27];
    for (long seed = 0; seed < 27_000; seed++) {
      counts[flat(TripleSample.seeded(3, 1, seed)[0], 3)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(850, 1150);
    }
  }

  @Test
  void sampleOfAtLeastPCubedIsAllTriples() {
    assertThat(TripleSample.seeded(5, 125, 3)).isDeepEqualTo(TripleSample.all(5));
    assertThat(TripleSample.seeded(5, 1000, 3)).isDeepEqualTo(TripleSample.all(5));
    assertThat(TripleSample.seeded(5, 124, 3)).hasNumberOfRows(124);
  }

  @Test
  void rejectsInvalidSizes() {
    assertThatThrownBy(() -> TripleSample.seeded(5, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid n: 0 (allowed: at least 1 triple)");
    assertThatThrownBy(() -> TripleSample.all(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid p: 0 (allowed: 1 to 1290, so that p³ fits in an int)");
    assertThatThrownBy(() -> TripleSample.seeded(1291, 1000, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid p: 1291 (allowed: 1 to 1290, so that p³ fits in an int)");
  }
}
