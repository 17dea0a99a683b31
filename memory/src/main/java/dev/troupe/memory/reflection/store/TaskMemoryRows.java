package dev.troupe.memory.reflection.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepCorrection;
import dev.troupe.memory.reflection.StepStatus;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.Trial;
import dev.troupe.memory.reflection.TrialOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes one task's rows; the caller owns the transaction. */
final class TaskMemoryRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TaskMemoryRows() {}

    /**
     * Reads the task, or empty when it is not stored.
     *
     * @param lockClause appended to the read of the task's row, e.g. {@code " FOR UPDATE"} to hold
     *                   its lock until the transaction ends
     */
    static Optional<TaskMemory> read(Connection c, TaskKey key, String lockClause) throws SQLException {
        long version;
        int maxTrials;
        int trialsRecorded;
        try (PreparedStatement q = c.prepareStatement(
                "SELECT version, max_trials, trials_recorded FROM reflection_tasks WHERE task_key = ?" + lockClause)) {
            q.setString(1, key.value());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                version = rs.getLong(1);
                maxTrials = rs.getInt(2);
                trialsRecorded = rs.getInt(3);
            }
        }
        Map<Integer, List<Step>> steps = readSteps(c, key);
        ImmutableList.Builder<Trial> trials = ImmutableList.builder();
        try (PreparedStatement q = c.prepareStatement("""
                SELECT trial_no, run_id, outcome, failure_reason, failure_detail
                FROM reflection_trials WHERE task_key = ? ORDER BY trial_no""")) {
            q.setString(1, key.value());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    int number = rs.getInt(1);
                    trials.add(new Trial(number, rs.getString(2), ImmutableList.copyOf(steps.getOrDefault(number, List.of())),
                            outcome(rs.getString(3), rs.getString(4), rs.getString(5))));
                }
            }
        }
        ImmutableList.Builder<StepCorrection> corrections = ImmutableList.builder();
        try (PreparedStatement q = c.prepareStatement("""
                SELECT step_index, lesson, action_name, action_args, enforce, from_trial, disabled_actions
                FROM reflection_lessons WHERE task_key = ? ORDER BY step_index""")) {
            q.setString(1, key.value());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Reflection r = new Reflection(rs.getInt(1), rs.getString(2), ActionCall.of(rs.getString(3), rs.getString(4)),
                            rs.getBoolean(5), rs.getInt(6));
                    corrections.add(new StepCorrection(r, disabledActions(rs.getString(7))));
                }
            }
        }
        return Optional.of(new TaskMemory(key, version, maxTrials, trialsRecorded, trials.build(), corrections.build()));
    }

    private static Map<Integer, List<Step>> readSteps(Connection c, TaskKey key) throws SQLException {
        Map<Integer, List<Step>> steps = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("""
                SELECT trial_no, step_index, state_summary, action_name, action_args, observation, status, replayed
                FROM reflection_steps WHERE task_key = ? ORDER BY trial_no, step_index""")) {
            q.setString(1, key.value());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    steps.computeIfAbsent(rs.getInt(1), n -> new ArrayList<>()).add(new Step(rs.getInt(2), rs.getString(3),
                            ActionCall.of(rs.getString(4), rs.getString(5)), rs.getString(6),
                            StepStatus.valueOf(rs.getString(7)), rs.getBoolean(8)));
                }
            }
        }
        return steps;
    }

    /** Replaces the task's trials, steps and lessons with {@code memory}'s. */
    static void replaceChildren(Connection c, TaskMemory memory) throws SQLException {
        deleteChildren(c, memory.key());
        String key = memory.key().value();
        try (PreparedStatement trial = c.prepareStatement("""
                INSERT INTO reflection_trials (task_key, trial_no, run_id, outcome, failure_reason, failure_detail)
                VALUES (?, ?, ?, ?, ?, ?)""");
             PreparedStatement step = c.prepareStatement("""
                INSERT INTO reflection_steps (task_key, trial_no, step_index, state_summary, action_name, action_args,
                                              observation, status, replayed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (Trial t : memory.trials()) {
                trial.setString(1, key);
                trial.setInt(2, t.number());
                trial.setString(3, t.runId());
                switch (t.outcome()) {
                    case TrialOutcome.Success s -> {
                        trial.setString(4, "SUCCESS");
                        trial.setString(5, null);
                        trial.setString(6, null);
                    }
                    case TrialOutcome.Failure f -> {
                        trial.setString(4, "FAILURE");
                        trial.setString(5, f.reason().name());
                        trial.setString(6, f.detail());
                    }
                }
                trial.executeUpdate();
                for (Step s : t.steps()) {
                    step.setString(1, key);
                    step.setInt(2, t.number());
                    step.setInt(3, s.index());
                    step.setString(4, s.stateSummary());
                    step.setString(5, s.action().name());
                    step.setString(6, s.action().argumentsJson());
                    step.setString(7, s.observation());
                    step.setString(8, s.status().name());
                    step.setBoolean(9, s.replayed());
                    step.addBatch();
                }
                step.executeBatch();
            }
        }
        try (PreparedStatement lesson = c.prepareStatement("""
                INSERT INTO reflection_lessons (task_key, step_index, lesson, action_name, action_args, enforce, from_trial,
                                                disabled_actions)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (StepCorrection sc : memory.corrections()) {
                Reflection r = sc.reflection();
                lesson.setString(1, key);
                lesson.setInt(2, r.stepIndex());
                lesson.setString(3, r.lesson());
                lesson.setString(4, r.correctedAction().name());
                lesson.setString(5, r.correctedAction().argumentsJson());
                lesson.setBoolean(6, r.enforce());
                lesson.setInt(7, r.fromTrial());
                lesson.setString(8, disabledActionsJson(sc.disabledActions()));
                lesson.executeUpdate();
            }
        }
    }

    /** Deletes the task's trials, steps and lessons, children first so no foreign key is ever dangling. */
    static void deleteChildren(Connection c, TaskKey key) throws SQLException {
        for (String table : List.of("reflection_lessons", "reflection_steps", "reflection_trials")) {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE task_key = ?")) {
                d.setString(1, key.value());
                d.executeUpdate();
            }
        }
    }

    static TrialOutcome outcome(String outcome, String reason, String detail) {
        return switch (outcome) {
            case "SUCCESS" -> TrialOutcome.success();
            case "FAILURE" -> TrialOutcome.failure(FailureReason.valueOf(reason), detail);
            default -> throw new IllegalStateException("unknown trial outcome '" + outcome + "' in the reflection store");
        };
    }

    private static String disabledActionsJson(ImmutableSet<ActionCall> actions) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ActionCall a : actions) {
            array.addObject().put("name", a.name()).set("arguments", a.arguments());
        }
        return array.toString();
    }

    private static ImmutableSet<ActionCall> disabledActions(String json) throws SQLException {
        try {
            ImmutableSet.Builder<ActionCall> actions = ImmutableSet.builder();
            for (JsonNode a : MAPPER.readTree(json)) {
                actions.add(new ActionCall(a.path("name").asText(), a.path("arguments")));
            }
            return actions.build();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SQLException("the disabled actions column holds invalid JSON: " + json, e);
        }
    }
}
