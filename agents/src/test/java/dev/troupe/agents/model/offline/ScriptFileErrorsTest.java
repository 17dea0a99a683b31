package dev.troupe.agents.model.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.troupe.agents.error.ConfigurationException;
import org.junit.jupiter.api.Test;

class ScriptFileErrorsTest {

    private static ConfigurationException error(String yaml) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> ScriptedModel.parse(yaml, "demo.yaml", "scripted:demo.yaml"));
        assertThat(e).as("parsing should fail:\n%s", yaml).isNotNull();
        return e;
    }

    @Test
    void unknownKeyInAnEntryNamesFileLineColumnAndSuggestsTheKnownKey() {
        ConfigurationException e = error("""
                replies:
                  - role: Alice
                    acton: Write
                    reply: hi
                """);

        // Jackson buffers unknown keys of record types and reports the end of the entry, not the key itself.
        assertThat(e.getMessage())
                .matches("(?s)demo\\.yaml:\\d+:\\d+: .*")
                .contains("unknown key 'acton'")
                .contains("did you mean 'action'?")
                .contains("valid keys here:");
    }

    @Test
    void unknownTopLevelKeySuggestsReplies() {
        ConfigurationException e = error("""
                reples:
                  - reply: hi
                """);

        assertThat(e.getMessage()).matches("(?s)demo\\.yaml:\\d+:\\d+: .*")
                .contains("unknown key 'reples'")
                .contains("did you mean 'replies'?");
    }

    @Test
    void malformedYamlNamesFileLineAndColumn() {
        ConfigurationException e = error("""
                replies:
                  - reply: "unterminated
                  - reply: ok
                """);

        assertThat(e.getMessage()).matches("(?s)demo\\.yaml:\\d+:\\d+: .*");
    }

    @Test
    void wrongValueTypeNamesFileLineAndColumn() {
        ConfigurationException e = error("""
                replies:
                  - reply: hi
                    times: often
                """);

        assertThat(e.getMessage()).startsWith("demo.yaml:3:").contains("times");
    }

    @Test
    void badWhenRegexNamesTheEntryAndTheRegex() {
        ConfigurationException e = error("""
                replies:
                  - reply: ok
                  - when: "([unclosed"
                    reply: hi
                """);

        assertThat(e.getMessage())
                .startsWith("demo.yaml")
                .contains("replies[1]")
                .contains("'when' is not a valid regular expression")
                .contains("([unclosed");
    }

    @Test
    void entryWithBothReplyAndToolCallsIsRejected() {
        ConfigurationException e = error("""
                replies:
                  - reply: hi
                    toolCalls: [{name: search}]
                """);

        assertThat(e.getMessage()).contains("demo.yaml").contains("replies[0]").contains("exactly one of 'reply:' or 'toolCalls:'");
    }

    @Test
    void entryWithNeitherReplyNorToolCallsIsRejected() {
        ConfigurationException e = error("""
                replies:
                  - role: Alice
                """);

        assertThat(e.getMessage()).contains("replies[0]").contains("exactly one of");
    }

    @Test
    void timesBelowOneIsRejected() {
        assertThat(error("replies: [{reply: hi, times: 0}]").getMessage()).contains("'times' must be >= 1");
    }

    @Test
    void missingRepliesListIsRejected() {
        assertThat(error("fallback: dry-run\n").getMessage()).contains("demo.yaml").contains("'replies:' list");
        assertThat(error("").getMessage()).startsWith("demo.yaml:1:1:");
    }

    @Test
    void toolCallWithoutNameIsRejected() {
        ConfigurationException e = error("""
                replies:
                  - toolCalls:
                      - arguments: {q: x}
                """);

        assertThat(e.getMessage()).matches("(?s)demo\\.yaml:\\d+:\\d+: .*").contains("name");
    }

    @Test
    void unknownFallbackIsRejectedNamingTheChoices() {
        ConfigurationException e = error("""
                fallback: dryrun
                replies:
                  - reply: hi
                """);

        assertThat(e.getMessage()).startsWith("demo.yaml:1:").contains("dry-run").contains("error");
    }
}
