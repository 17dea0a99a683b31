package dev.troupe.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void readsWholeSeconds() {
        assertThat(RetryAfter.parse("12")).contains(Duration.ofSeconds(12));
        assertThat(RetryAfter.parse(" 3600 ")).contains(Duration.ofHours(1));
        assertThat(RetryAfter.parse("0")).contains(Duration.ZERO);
    }

    @Test
    void readsFractionalSeconds() {
        assertThat(RetryAfter.parse(" 1.5 ")).contains(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("0.25")).contains(Duration.ofMillis(250));
    }

    @Test
    void readsAnHttpDateAsTheWaitUntilThen() {
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(60), ZoneOffset.UTC));
        assertThat(RetryAfter.parse(inAMinute, CLOCK)).contains(Duration.ofSeconds(60));
        assertThat(RetryAfter.parse("Sun, 01 Mar 2026 12:00:30 GMT", CLOCK)).contains(Duration.ofSeconds(30));
    }

    @Test
    void aDateAlreadyPastMeansNow() {
        assertThat(RetryAfter.parse("Sun, 01 Mar 2026 11:00:00 GMT", CLOCK)).contains(Duration.ZERO);
    }

    @Test
    void anythingElseIsNoAnswer() {
        assertThat(RetryAfter.parse("-3")).isEmpty();
        assertThat(RetryAfter.parse("soon")).isEmpty();
        assertThat(RetryAfter.parse("")).isEmpty();
        assertThat(RetryAfter.parse(null)).isEmpty();
        assertThat(RetryAfter.parse("NaN")).isEmpty();
        assertThat(RetryAfter.parse("Infinity")).isEmpty();
    }

    @Test
    void retryAfterHeaderValuesAreParsedAsSecondsOrHttpDates() {
        assertThat(RetryAfter.parse("12")).contains(Duration.ofSeconds(12));
        assertThat(RetryAfter.parse(" 1.5 ")).contains(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("-3")).isEmpty();
        assertThat(RetryAfter.parse("soon")).isEmpty();

        String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
        assertThat(RetryAfter.parse(inAnHour)).get()
                .satisfies(d -> assertThat(d).isBetween(Duration.ofMinutes(58), Duration.ofMinutes(60)));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(RetryAfter.parse(past)).contains(Duration.ZERO);
    }
}
