package dev.troupe.agents.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What an action produced: its text, its validated payload when it has a schema, and the model
 * that produced it ({@code synthetic} when scripted, replayed or dry-run).
 */
public record ActionOutput(String content, Optional<JsonNode> payload, String model, boolean synthetic) {}
