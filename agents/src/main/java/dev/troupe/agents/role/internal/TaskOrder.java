package dev.troupe.agents.role.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders a plan's tasks by their dependencies and reports what makes a plan unusable. */
final class TaskOrder {
    private TaskOrder() {}

    static ImmutableList<String> problems(JsonNode tasks) {
        List<String> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode t : tasks) {
            if (!ids.add(t.path("id").asText())) {
                errors.add("task id '" + t.path("id").asText() + "' is used twice");
            }
        }
        for (JsonNode t : tasks) {
            for (JsonNode d : t.path("dependsOn")) {
                if (!ids.contains(d.asText())) {
                    errors.add("task '" + t.path("id").asText() + "' depends on unknown task '" + d.asText() + "'");
                }
            }
        }
        if (errors.isEmpty() && sortOrNull(tasks) == null) {
            errors.add("the tasks' dependencies form a cycle");
        }
        return ImmutableList.copyOf(errors);
    }

    static List<JsonNode> sort(JsonNode tasks) {
        return sortOrNull(tasks);
    }

    private static List<JsonNode> sortOrNull(JsonNode tasks) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        tasks.forEach(t -> byId.put(t.path("id").asText(), t));
        Map<String, Integer> state = new HashMap<>();
        List<JsonNode> order = new ArrayList<>();
        for (String id : byId.keySet()) {
            if (!visit(id, byId, state, order)) {
                return null;
            }
        }
        return order;
    }

    private static boolean visit(String id, Map<String, JsonNode> byId, Map<String, Integer> state, List<JsonNode> order) {
        Integer s = state.get(id);
        if (s != null) {
            return s == 2;
        }
        state.put(id, 1);
        for (JsonNode d : byId.get(id).path("dependsOn")) {
            if (byId.containsKey(d.asText()) && !visit(d.asText(), byId, state, order)) {
                return false;
            }
        }
        state.put(id, 2);
        order.add(byId.get(id));
        return true;
    }
}
