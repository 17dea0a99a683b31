package dev.troupe.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.importer.SpecImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRetrieverTest {

    private static String tool(String name, String category, String... apis) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < apis.length; i += 2) {
            list.append(list.isEmpty() ? "" : ",").append("""
                    {"name": "%s", "url": "https://example.com/%d", "description": "%s", "method": "GET",
                     "required_parameters": [], "optional_parameters": []}""".formatted(apis[i], i, apis[i + 1]));
        }
        return """
                {"tool_name": "%s", "tool_description": "", "category_name": "%s", "api_list": [%s]}
                """.formatted(name, category, list);
    }

    /** Three APIs: weather (two endpoints), money, and a travel API whose one endpoint touches both subjects. */
    private static ToolRetriever retriever(Path dir) throws IOException {
        Files.writeString(dir.resolve("weather.json"), tool("Weather Hub", "Weather",
                "Forecast", "Daily weather forecast for a city",
                "Alerts", "Severe storm warnings issued for a region"));
        Files.writeString(dir.resolve("money.json"), tool("Money Rates", "Finance",
                "Convert", "Convert an amount between currencies at the exchange rate of the day"));
        Files.writeString(dir.resolve("travel.json"), tool("Travel Mix", "Travel",
                "Trip summary", "Weather and currency tips for a trip"));
        List<ToolFunction> functions = new ArrayList<>();
        for (String file : List.of("weather.json", "money.json", "travel.json")) {
            functions.addAll(ToolFunctions.of(SpecImporter.importFile(dir.resolve(file), new ArrayList<>())).all());
        }
        ByteBuffersDirectory index = new ByteBuffersDirectory();
        ToolIndex.sync(index, functions, Optional.empty(), (done, total) -> { });
        return ToolRetriever.open(index, Optional.empty());
    }

    private static Map<String, Double> scores(List<ToolRetriever.Scored> hits) {
        return hits.stream().collect(Collectors.toMap(ToolRetriever.Scored::name, ToolRetriever.Scored::score));
    }

    @Test
    void aRequestsNeedsAreItsSentencesThatAskForSomething(@TempDir Path dir) throws IOException {
        try (ToolRetriever retriever = retriever(dir)) {
            assertThat(retriever.needs("I'm off to Paris. Tell me the forecast there. Also, are there storm warnings?\n"
                    + "Please convert 20 euros to dollars! Thanks a lot. Is it?"))
                    .containsExactly("Tell me the forecast there.", "Also, are there storm warnings?", "Please convert 20 euros to dollars!");
            assertThat(retriever.needs("I'm off to Paris next week.")).isEmpty();
            assertThat(retriever.needs("Get a forecast. ".repeat(20))).hasSize(8);
        }
    }

    @Test
    void theFusionsLexicalListScoresARequestForTheWholeAndForItsBestMatchingSentence(@TempDir Path dir) throws IOException {
        try (ToolRetriever retriever = retriever(dir)) {
            String first = "What is the weather forecast for Paris?";
            String second = "Convert 100 dollars into another currency.";

            Map<String, Double> twoSentences = scores(retriever.bm25BySentence(first + " " + second, 10));
            Map<String, Double> whole = scores(retriever.bm25(first + " " + second, 10));
            Map<String, Double> secondAlone = scores(retriever.bm25(second, 10));

            // Convert matches only the second sentence: its score is the whole request's plus that sentence's.
            String convert = "convert_for_money_rates";
            assertThat(twoSentences.get(convert)).isCloseTo(whole.get(convert) + secondAlone.get(convert), within(1e-4));
            // Forecast matches only the first.
            String forecast = "forecast_for_weather_hub";
            assertThat(twoSentences.get(forecast)).isCloseTo(whole.get(forecast) + scores(retriever.bm25(first, 10)).get(forecast), within(1e-4));
            // With one sentence there is nothing to add.
            assertThat(scores(retriever.bm25BySentence(second, 10))).isEqualTo(secondAlone);
        }
    }

    @Test
    void hybridRanksTheFunctionsOfTheBestToolTogether(@TempDir Path dir) throws IOException {
        try (ToolRetriever retriever = retriever(dir)) {
            Map<String, ToolRetriever.Scored> all = retriever.bm25("weather forecast storm warnings currency trip", 10).stream()
                    .collect(Collectors.toMap(ToolRetriever.Scored::name, Function.identity()));
            List<ToolRetriever.Scored> fused = List.of(
                    scored(all, "forecast_for_weather_hub", 1.0),
                    scored(all, "trip_summary_for_travel_mix", 0.6),
                    scored(all, "alerts_for_weather_hub", 0.5),
                    scored(all, "convert_for_money_rates", 0.2));

            List<ToolRetriever.Scored> grouped = retriever.groupByTool(fused);

            assertThat(grouped).extracting(ToolRetriever.Scored::name).containsExactly(
                    "forecast_for_weather_hub", "alerts_for_weather_hub", "trip_summary_for_travel_mix", "convert_for_money_rates");
            // Each the mean of its own score and its tool's best: (1.0 + 1.0) / 2, (0.5 + 1.0) / 2, (0.6 + 0.6) / 2, (0.2 + 0.2) / 2.
            assertThat(grouped).extracting(ToolRetriever.Scored::score).containsExactly(1.0, 0.75, 0.6, 0.2);
        }
    }

    private static ToolRetriever.Scored scored(Map<String, ToolRetriever.Scored> all, String name, double score) {
        return new ToolRetriever.Scored(all.get(name).doc(), name, score);
    }

    @Test
    void aVeryLongRequestStaysWithinLuceneClauseLimit(@TempDir Path dir) throws IOException {
        String request = IntStream.range(0, 400).mapToObj(i -> "weather" + i + " forecast" + i + " currency" + i + " storm" + i + ".")
                .collect(Collectors.joining(" "));
        try (ToolRetriever retriever = retriever(dir)) {
            // 1,601 distinct terms in 401 sentences: the terms past the limit are not searched for, and no query is too large.
            assertThat(retriever.search("Is there a storm warning? " + request, 3, SearchMode.BM25))
                    .extracting(SearchHit::functionName).first().isEqualTo("alerts_for_weather_hub");
        }
    }
}
