package dev.troupe.agents.action.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What an action produced: its text, its validated payload when it has a schema, and the model
 * that produced it, if any ({@code synthetic} when scripted, replayed or dry-run; empty for commands).
 */
public record ActionOutput(String content, Optional<JsonNode> payload, Optional<String> model, boolean synthetic) {}
