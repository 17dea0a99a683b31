package dev.troupe.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.importer.SpecImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolIndexTest {

    @Test
    void firstWordsKeepsTheTextUpToTheLimitAndNothingMore() {
        assertThat(ToolIndex.firstWords("one two  three\tfour", 3)).isEqualTo("one two  three");
        assertThat(ToolIndex.firstWords("  one two", 2)).isEqualTo("  one two");
        assertThat(ToolIndex.firstWords("one two", 5)).isEqualTo("one two");
        assertThat(ToolIndex.firstWords("", 5)).isEmpty();
    }

    @Test
    void aFunctionIsEmbeddedAsTheStartOfItsTextAndAShortViewOfItsNamesAndPurpose(@TempDir Path dir) throws IOException {
        String params = IntStream.range(0, 40).mapToObj(i -> """
                {"name": "field%d", "type": "STRING", "description": "an optional filter on field %d", "default": ""}""".formatted(i, i))
                .collect(Collectors.joining(","));
        Files.writeString(dir.resolve("crm.json"), """
                {"tool_name": "Acme CRM", "tool_description": "Customer records", "category_name": "Business",
                 "api_list": [{"name": "searchContacts", "url": "https://example.com/contacts", "method": "GET",
                   "description": "Finds contacts by name or email",
                   "required_parameters": [], "optional_parameters": [%s]}]}
                """.formatted(params));
        ToolFunction f = ToolFunctions.of(SpecImporter.importFile(dir.resolve("crm.json"), new ArrayList<>())).all().getFirst();

        List<String> views = ToolIndex.embeddingViews(f);

        assertThat(ToolIndex.documentText(f).split("\\s+")).hasSizeGreaterThan(ToolIndex.FULL_VIEW_WORDS);
        assertThat(views.get(0).split("\\s+")).hasSize(ToolIndex.FULL_VIEW_WORDS);
        assertThat(ToolIndex.documentText(f)).startsWith(views.get(0));
        assertThat(views.get(1)).isEqualTo("Acme CRM. search Contacts. Finds contacts by name or email");
    }
}
