package dev.troupe.agents.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void delaysGrowExponentiallyUpToTheMaximumWithoutJitter() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(700), 2.0, 0.0, Duration.ofSeconds(60));

        assertThat(p.delayAfter(1, Optional.empty())).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delayAfter(2, Optional.empty())).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delayAfter(3, Optional.empty())).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delayAfter(4, Optional.empty())).isEqualTo(Duration.ofMillis(700));
        assertThat(p.delayAfter(9, Optional.empty())).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void jitterKeepsDelaysWithinItsFraction() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(1000), Duration.ofSeconds(30), 2.0, 0.2, Duration.ofSeconds(60));

        for (int i = 0; i < 500; i++) {
            assertThat(p.delayAfter(1, Optional.empty())).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
            assertThat(p.delayAfter(2, Optional.empty())).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        }
    }

    @Test
    void retryAfterWinsOverTheComputedDelayUpToItsCap() {
        RetryPolicy p = RetryPolicy.defaults();

        assertThat(p.delayAfter(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(p.delayAfter(4, Optional.of(Duration.ZERO))).isEqualTo(Duration.ZERO);
        assertThat(p.delayAfter(1, Optional.of(Duration.ofHours(1)))).isEqualTo(p.maxRetryAfter());
    }

    @Test
    void noneMeansASingleAttempt() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.defaults().withMaxAttempts(3).maxAttempts()).isEqualTo(3);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 0.5, 0, Duration.ZERO))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 1, 1.5, Duration.ZERO))
                .hasMessageContaining("jitter");
    }
}
