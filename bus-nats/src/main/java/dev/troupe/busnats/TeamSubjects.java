package dev.troupe.busnats;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The subjects of one team: {@code <prefix>.<team>.<run>.<causeBy>} for messages and
 * {@code <prefix>.<team>.<run>._ctl.<kind>} for the control records of distributed runs. Both live in
 * one stream per team. Tokens are sanitised (anything but letters, digits, '_' and '-' becomes '_'),
 * so two names may share a subject; subscribers therefore always re-check the message itself.
 */
public record TeamSubjects(String prefix, String team) {

    public TeamSubjects {
        checkArgument(prefix != null && !prefix.isBlank(), "prefix must not be blank");
        checkArgument(team != null && !team.isBlank(), "team must not be blank");
    }

    /** The JetStream stream that holds everything of this team. */
    public String stream() {
        return token(prefix) + "_" + token(team);
    }

    /** Every subject of the team: the stream's subject filter. */
    public String all() {
        return base() + ".>";
    }

    public String message(String runId, String causeBy) {
        return base() + "." + token(runId) + "." + token(causeBy);
    }

    /** The messages of one run (control records have one token more, so they do not match). */
    public String messagesOf(String runId) {
        return base() + "." + token(runId) + ".*";
    }

    /** The messages of every run of the team. */
    public String messages() {
        return base() + ".*.*";
    }

    /** The messages of every run caused by {@code causeBy}. */
    public String messagesCausedBy(String causeBy) {
        return base() + ".*." + token(causeBy);
    }

    public String control(String runId, String kind) {
        return base() + "." + token(runId) + "._ctl." + token(kind);
    }

    /** Messages and control records of one run. */
    public String everythingOf(String runId) {
        return base() + "." + token(runId) + ".>";
    }

    /** Whether {@code subject} is a control record's rather than a message's. */
    public static boolean isControl(String subject) {
        return subject.chars().filter(c -> c == '.').count() == 4;   // five tokens; a message's subject has four
    }

    private String base() {
        return token(prefix) + "." + token(team);
    }

    /** A name made safe as one subject token (and as part of stream and consumer names). */
    public static String token(String name) {
        String t = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return t.isEmpty() ? "_" : t;
    }
}
