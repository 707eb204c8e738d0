package dev.longshot.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void momentsHaveTwoDigitMinutesClocksDoNot() {
    assertThat(Timestamps.format(83_000)).isEqualTo("01:23");
    assertThat(Timestamps.clock(83_000)).isEqualTo("1:23");
    assertThat(Timestamps.format(3_723_000)).isEqualTo("1:02:03");
    assertThat(Timestamps.clock(3_723_000)).isEqualTo("1:02:03");
    assertThat(Timestamps.format(-5)).isEqualTo("00:00");
    assertThat(Timestamps.clock(-5)).isEqualTo("0:00");
    assertThat(Timestamps.clock(59_999)).isEqualTo("0:59");
  }
}
