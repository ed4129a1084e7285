package org.phasemap.worker.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GsSamplingTests {

  @Test
  void defaultIsASeededSampleOfOneThousandTriples() {
    GsSampling d = GsSampling.defaults();

    assertThat(d.all()).isFalse();
    assertThat(d.n()).isEqualTo(1000);
    assertThat(d.seed()).isEqualTo(42L);
    assertThat(d.triples(59)).isDeepEqualTo(TripleSample.seeded(59, 1000, 42));
  }

  @Test
  void allTriplesIgnoresSizeAndSeed() {
    assertThat(new GsSampling(true, 5, 9)).isEqualTo(GsSampling.allTriples());
    assertThat(GsSampling.allTriples().n()).isZero();
    assertThat(GsSampling.allTriples().triples(7)).isDeepEqualTo(TripleSample.all(7));
  }

  @Test
  void rejectsSamplesSmallerThanSciencePrescribes() {
    assertThatThrownBy(() -> GsSampling.seeded(100, 42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid gs_sampling.n: 100 (allowed: at least 1000 triples, SCIENCE.md 2.3.1; use all"
                + " triples for a smaller exact set)");
  }
}
