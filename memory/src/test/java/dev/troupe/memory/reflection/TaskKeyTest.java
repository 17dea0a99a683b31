package dev.troupe.memory.reflection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TaskKeyTest {

    @Test
    void normalizeLowercasesDropsPunctuationAndCollapsesWhitespace() {
        assertThat(TaskKey.normalize("  Write a   Snake-Game!\n(in Java)\t ")).isEqualTo("write a snake game in java");
        assertThat(TaskKey.normalize("ＦＵＬＬ　ＷＩＤＴＨ")).isEqualTo("full width");
        assertThat(TaskKey.normalize("?!...")).isEmpty();
    }

    @Test
    void goalsThatDifferOnlyInCaseSpacingOrPunctuationShareAKey() {
        TaskKey a = TaskKey.derive("blog", "Planner", "Outline", "Build a TODO app.");
        TaskKey b = TaskKey.derive("Blog", "planner", "outline", "  build a todo   app ");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void differentGoalsGetDifferentKeys() {
        assertThat(TaskKey.derive("blog", "Planner", "Outline", "Build a todo app"))
                .isNotEqualTo(TaskKey.derive("blog", "Planner", "Outline", "Build a chat app"));
        assertThat(TaskKey.derive("blog", "Planner", "Outline", "Build a todo app"))
                .isNotEqualTo(TaskKey.derive("blog", "Writer", "Outline", "Build a todo app"));
    }

    @Test
    void derivedKeyIsReadableAndItsHashIsStable() {
        // The hash is SHA-256 of the normalised goal, pinned here so stored lessons stay findable
        // across versions and machines.
        assertThat(TaskKey.derive("Blog", "Planner", "Outline", "Write about Java virtual threads!").value())
                .isEqualTo("blog/planner/outline/write-about-java-virtual-threads-8e8f18130740");
    }

    @Test
    void longGoalsGiveShortKeysThatStillTellThemApart() {
        String start = "Write a very long requirement ".repeat(20);
        TaskKey a = TaskKey.derive("t", "r", "a", start + "ending one way");
        TaskKey b = TaskKey.derive("t", "r", "a", start + "ending another way");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.value()).hasSizeLessThanOrEqualTo(70).startsWith("t/r/a/write-a-very-long-requirement-write-a-");
        assertThat(a.value()).doesNotContain("--");
    }

    @Test
    void aGoalWithoutLettersStillGetsAKey() {
        assertThat(TaskKey.derive("t", "r", "a", "???").value()).isEqualTo("t/r/a/e3b0c44298fc");
    }

    @Test
    void derivingRefusesBlankParts() {
        assertThatIllegalArgumentException().isThrownBy(() -> TaskKey.derive("t", " ", "a", "goal"))
                .withMessageContaining("role must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> TaskKey.derive("t", "r", "a", ""))
                .withMessageContaining("goal must not be blank").withMessageContaining("role 'r'");
        assertThatIllegalArgumentException().isThrownBy(() -> TaskKey.derive("t", "r", "!!", "goal"))
                .withMessageContaining("action '!!' has no letters or digits");
    }

    @Test
    void explicitKeysAreKeptAsGivenButValidated() {
        assertThat(TaskKey.of("Checkout Flow/v2").value()).isEqualTo("Checkout Flow/v2");
        assertThatIllegalArgumentException().isThrownBy(() -> TaskKey.of("  "))
                .withMessageContaining("must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> TaskKey.of("x".repeat(201)))
                .withMessageContaining("at most 200 characters but was 201");
        assertThatIllegalArgumentException().isThrownBy(() -> TaskKey.of(" padded"))
                .withMessageContaining("whitespace: ' padded'");
        assertThatIllegalArgumentException().isThrownBy(() -> TaskKey.of("a\u0000b"))
                .withMessageContaining("control characters: 'a?b'");
    }
}
