package dev.troupe.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsByTheMultiplierUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 2.0, 0);
        assertThat(b.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delayAfter(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.delayAfter(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(b.delayAfter(500)).isEqualTo(Duration.ofMillis(1000));
    }

    @RepeatedTest(20)
    void jitterStaysWithinItsFractionAndUnderTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1500), 2.0, 0.2);
        assertThat(b.delayAfter(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(b.delayAfter(2)).isBetween(Duration.ofMillis(1200), Duration.ofMillis(1500));
    }

    @Test
    void refusesSettingsThatCannotBackOff() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 0.5, 0))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 2, 1.5))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 2, 0).delayAfter(0))
                .hasMessageContaining("attempt");
    }
}
