package dev.troupe.agents.role;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One call a role makes in a step (an action, a think or plan call, a command), named so that the
 * same call gets the same {@link #key()} in every run that replays the step: the step is named by
 * its role and the ids of the news it answers, the call by its place in the step and its action.
 *
 * @param step  a digest of the role and the ids of the step's news
 * @param index the call's place within the step, from 0
 * @param news  the ids of the messages the step answers, in the order the role received them
 * @param round the round the step publishes in
 */
public record StepCall(String role, String action, String step, int index, ImmutableList<String> news, int round) {

    public StepCall {
        checkArgument(role != null && !role.isBlank(), "role of a step call must not be blank");
        checkArgument(action != null && !action.isBlank(), "action of a step call of role '%s' must not be blank", role);
        checkArgument(step != null && !step.isBlank(), "step of call %s/%s must not be blank", role, action);
        checkArgument(index >= 0, "index of call %s/%s must be >= 0 but was %s", role, action, index);
        Objects.requireNonNull(news, "news");
        checkArgument(round >= 0, "round of call %s/%s must be >= 0 but was %s", role, action, round);
    }

    /**
     * The name of a role's step on {@code newsIds}: the same in every process (a worker's step journaled by
     * a coordinator is named as the role's own run would name it).
     */
    public static String stepOf(String role, List<String> newsIds) {
        return Hashing.sha256().hashString(role + "\n" + String.join("\n", newsIds), StandardCharsets.UTF_8).toString().substring(0, 20);
    }

    /** Unique within a run, and the same whenever the step is replayed. */
    public String key() {
        return step + "/" + index + "/" + action;
    }

    /**
     * The id of the message this call's action publishes: derived from the key, so a resumed run
     * that publishes it again gives it the id the original run gave it.
     */
    public String messageId(String runId) {
        return UUID.nameUUIDFromBytes(("troupe-message:" + runId + ":" + key()).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
