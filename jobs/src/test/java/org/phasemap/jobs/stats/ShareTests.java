package org.phasemap.jobs.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The Wilson interval against values worked by hand (Newcombe 1998's table, to 4 decimals). */
class ShareTests {
  @Test
  void halfOfTenIsSymmetricAroundOneHalf() {
    Share s = new Share(5, 10);
    assertThat(s.value()).isEqualTo(0.5);
    assertThat(s.low()).isCloseTo(0.2366, within(1e-4));
    assertThat(s.high()).isCloseTo(0.7634, within(1e-4));
  }

  @Test
  void noneAndAllStayInsideTheUnitInterval() {
    Share none = new Share(0, 10);
    assertThat(none.low()).isZero();
    assertThat(none.high()).isCloseTo(0.2775, within(1e-4));
    Share all = new Share(10, 10);
    assertThat(all.high()).isEqualTo(1.0);
    assertThat(all.low()).isCloseTo(0.7225, within(1e-4));
  }

  @Test
  void skewedShareAndItsFormat() {
    Share s = new Share(1, 10);
    assertThat(s.low()).isCloseTo(0.0179, within(1e-4));
    assertThat(s.high()).isCloseTo(0.4042, within(1e-4));
    assertThat(new Share(81, 263).format()).isEqualTo("0.31 [0.26, 0.37]");
  }

  @Test
  void moreRunsNarrowTheInterval() {
    Share few = new Share(6, 12);
    Share many = new Share(60, 120);
    assertThat(many.high() - many.low()).isLessThan((few.high() - few.low()) / 2.5);
  }

  @Test
  void emptyShareIsADashAndBadCountsAreRefused() {
    assertThat(new Share(0, 0).value()).isNaN();
    assertThat(new Share(0, 0).format()).isEqualTo("–");
    assertThatThrownBy(() -> new Share(3, 2)).hasMessageContaining("got 3 of 2");
    assertThatThrownBy(() -> new Share(-1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
