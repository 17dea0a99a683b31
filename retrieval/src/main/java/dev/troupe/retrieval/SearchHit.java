package dev.troupe.retrieval;

/**
 * One ranked result: the function's name (its id in the index) and its score under the mode used
 * (scores are comparable within one result list only).
 *
 * @param functionName the function's unique name
 * @param score higher is better
 */
public record SearchHit(String functionName, double score) {
}
