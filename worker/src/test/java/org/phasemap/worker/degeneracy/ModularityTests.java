package org.phasemap.worker.degeneracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Newman modularity and the Louvain communities on graphs whose answer is known. */
class ModularityTests {

  /** Edges of a graph under construction. */
  static final class Edges {
    final List<int[]> pairs = new ArrayList<>();
    final List<Double> weights = new ArrayList<>();

    Edges add(int a, int b, double w) {
      pairs.add(new int[] {a, b});
      weights.add(w);
      return this;
    }

    Edges clique(int from, int size, double w) {
      for (int a = from; a < from + size; a++) {
        for (int b = a + 1; b < from + size; b++) {
          add(a, b, w);
        }
      }
      return this;
    }

    Modularity.Partition louvain(int nodes) {
      return Modularity.louvain(nodes, from(), to(), weight());
    }

    int[] from() {
      return pairs.stream().mapToInt(p -> p[0]).toArray();
    }

    int[] to() {
      return pairs.stream().mapToInt(p -> p[1]).toArray();
    }

    double[] weight() {
      return weights.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  @Test
  void twoDisconnectedCliquesAreTwoCommunitiesWithModularityOneHalf() {
    Modularity.Partition p = new Edges().clique(0, 5, 1).clique(5, 5, 1).louvain(10);

    assertThat(p.count()).isEqualTo(2);
    assertThat(p.modularity()).isCloseTo(0.5, within(1e-12));
    assertThat(p.community()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
  }

  @Test
  void oneCliqueIsOneCommunityWithModularityZero() {
    Modularity.Partition p = new Edges().clique(0, 6, 2.5).louvain(6);

    assertThat(p.count()).isEqualTo(1);
    assertThat(p.modularity()).isCloseTo(0, within(1e-12));
  }

  /**
   * Two 4-cliques with edges of weight 2 joined by one bridge of weight 1: still two communities,
   * and Q is the textbook Σ_c [in_c / 2W − (tot_c / 2W)²] with in_c = 24 (ordered pairs), tot_c =
   * 25 and 2W = 50; all nodes in one community give 0.
   */
  @Test
  void aWeakBridgeKeepsTwoCommunitiesAndTheTextbookValue() {
    Edges e = new Edges().clique(0, 4, 2).clique(4, 4, 2).add(3, 4, 1);
    Modularity.Partition p = e.louvain(8);

    assertThat(p.count()).isEqualTo(2);
    assertThat(p.modularity()).isCloseTo(2 * (24.0 / 50 - Math.pow(25.0 / 50, 2)), within(1e-12));
    assertThat(Modularity.modularity(8, e.from(), e.to(), e.weight(), new int[8]))
        .isCloseTo(0, within(1e-12));
  }

  /**
   * A ring of six 3-cliques joined in a cycle by single edges: Louvain merges each clique and stops
   * there (merging two neighbouring cliques lowers Q): in_c = 6, tot_c = 8, 2W = 48.
   */
  @Test
  void aRingOfCliquesIsOneCommunityPerClique() {
    Edges e = new Edges();
    for (int c = 0; c < 6; c++) {
      e.clique(3 * c, 3, 1).add(3 * c + 2, (3 * c + 3) % 18, 1);
    }
    Modularity.Partition p = e.louvain(18);

    assertThat(p.count()).isEqualTo(6);
    for (int c = 0; c < 6; c++) {
      assertThat(p.community()[3 * c]).isEqualTo(p.community()[3 * c + 1]);
      assertThat(p.community()[3 * c]).isEqualTo(p.community()[3 * c + 2]);
    }
    assertThat(p.modularity()).isCloseTo(6 * (6.0 / 48 - Math.pow(8.0 / 48, 2)), within(1e-12));
  }

  @Test
  void isolatedNodesAndZeroWeightsAreNoCommunity() {
    Modularity.Partition p = new Edges().clique(0, 3, 1).add(3, 4, 0).louvain(5);

    assertThat(p.community()).containsExactly(0, 0, 0, -1, -1);
    assertThat(p.count()).isEqualTo(1);
    assertThat(new Edges().louvain(3).modularity()).isZero();
  }

  @Test
  void rejectsNegativeWeightsAndUnknownNodes() {
    assertThatThrownBy(() -> new Edges().add(0, 1, -1).louvain(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edge 0 has weight -1.0");
    assertThatThrownBy(() -> new Edges().add(0, 2, 1).louvain(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("joins 0 and 2");
  }
}
