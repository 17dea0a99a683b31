package dev.troupe.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditDistanceTest {
    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertThat(EditDistance.between("", "")).isZero();
        assertThat(EditDistance.between("watch", "watch")).isZero();
        assertThat(EditDistance.between("watchs", "watch")).isEqualTo(1);
        assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.between("", "abc")).isEqualTo(3);
        assertThat(EditDistance.between("flaw", "lawn")).isEqualTo(EditDistance.between("lawn", "flaw")).isEqualTo(2);
    }
}
