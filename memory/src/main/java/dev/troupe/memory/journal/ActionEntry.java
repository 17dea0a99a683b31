package dev.troupe.memory.journal;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One completed call of a role's step (an action, a think or a plan call, a command) as the
 * journal keeps it. A resumed run looks calls up by {@code key} and uses {@code output} instead of
 * calling again.
 *
 * @param key        unique within the run; the runtime derives it from the role, the step's news and
 *                   the call's place in the step
 * @param step       the step the call belongs to, as JSON text (which news it answered, its index)
 * @param output     what the call produced, as JSON text
 * @param usage      model calls, tokens and cost the call spent, as JSON text
 * @param modelCalls how many model calls the call made (0 for commands)
 */
public record ActionEntry(String key, String role, String action, int round, String step, String output, String usage,
                          int modelCalls) {

    public ActionEntry {
        checkArgument(key != null && !key.isBlank(), "action key must not be blank");
        checkArgument(role != null && !role.isBlank(), "role of action '%s' must not be blank", key);
        checkArgument(action != null && !action.isBlank(), "action name of '%s' must not be blank", key);
        checkArgument(round >= 0, "round of action '%s' must be >= 0 but was %s", key, round);
        checkArgument(step != null && !step.isBlank(), "step of action '%s' must not be blank", key);
        checkArgument(output != null && !output.isBlank(), "output of action '%s' must not be blank", key);
        checkArgument(usage != null && !usage.isBlank(), "usage of action '%s' must not be blank", key);
        checkArgument(modelCalls >= 0, "modelCalls of action '%s' must be >= 0 but was %s", key, modelCalls);
    }
}
