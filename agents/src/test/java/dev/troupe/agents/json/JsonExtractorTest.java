package dev.troupe.agents.json;

import dev.troupe.agents.json.internal.JsonExtractor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.testing.Fakes;
import org.junit.jupiter.api.Test;

class JsonExtractorTest {

    private static JsonNode extracted(String text) {
        return JsonExtractor.extract(text).orElseThrow(() -> new AssertionError("no JSON found in: " + text));
    }

    @Test
    void wholeTextObjectIsExtracted() {
        assertThat(extracted("  {\"a\": 1}\n")).isEqualTo(Fakes.json("{\"a\": 1}"));
    }

    @Test
    void wholeTextArrayIsExtracted() {
        assertThat(extracted("[1, 2, 3]")).isEqualTo(Fakes.json("[1, 2, 3]"));
    }

    @Test
    void fencedBlockWithLanguageTagIsExtracted() {
        assertThat(extracted("Here:\n```json\n{\"a\": [1, 2]}\n```\nDone.")).isEqualTo(Fakes.json("{\"a\": [1, 2]}"));
    }

    @Test
    void fencedBlockWithoutLanguageTagIsExtracted() {
        assertThat(extracted("```\n{\"a\": true}\n```")).isEqualTo(Fakes.json("{\"a\": true}"));
    }

    @Test
    void firstFencedBlockHoldingJsonWins() {
        String text = "```bash\nls -la\n```\nand\n```json\n{\"b\": 2}\n```\n```json\n{\"c\": 3}\n```";

        assertThat(extracted(text)).isEqualTo(Fakes.json("{\"b\": 2}"));
    }

    @Test
    void jsonObjectInsideProseIsExtracted() {
        assertThat(extracted("The result is {\"a\": {\"b\": [1, {\"c\": null}]}} as you asked."))
                .isEqualTo(Fakes.json("{\"a\": {\"b\": [1, {\"c\": null}]}}"));
    }

    @Test
    void bracketsAndEscapedQuotesInsideStringsDoNotEndTheValue() {
        JsonNode n = extracted("Answer: {\"s\": \"a } ] \\\" { quote\", \"t\": \"back\\\\\"} trailing }");

        assertThat(n.get("s").asText()).isEqualTo("a } ] \" { quote");
        assertThat(n.get("t").asText()).isEqualTo("back\\");
    }

    @Test
    void invalidCandidateInProseIsSkippedForALaterValidOne() {
        assertThat(extracted("Use {curly braces} like this: {\"ok\": true}")).isEqualTo(Fakes.json("{\"ok\": true}"));
    }

    @Test
    void textWithoutJsonGivesNothing() {
        assertThat(JsonExtractor.extract("no json here, just {unbalanced")).isEmpty();
        assertThat(JsonExtractor.extract("")).isEmpty();
        assertThat(JsonExtractor.extract("   ")).isEmpty();
        assertThat(JsonExtractor.extract(null)).isEmpty();
    }

    @Test
    void bareScalarsAreNotTakenAsJsonValues() {
        assertThat(JsonExtractor.extract("42")).isEmpty();
        assertThat(JsonExtractor.extract("\"just a string\"")).isEmpty();
        assertThat(JsonExtractor.extract("true")).isEmpty();
    }
}
