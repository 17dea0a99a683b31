package dev.troupe.retrieval.catalog;

import dev.troupe.tools.function.ToolFunction;

/**
 * A search result of a catalog: the function (with its tool, endpoint and LangChain4j specification) and its score.
 *
 * @param function the matching function
 * @param score higher is better; comparable within one result list only
 */
public record CatalogHit(ToolFunction function, double score) {
}
