package dev.troupe.busnats.distributed;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.role.Role;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.TeamSubjects;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The durable JetStream consumer of each role: one per role, shared by all its replicas, so each
 * message goes to one replica (work-queue style). It starts at the end of the stream when first
 * created, which the coordinator does before it publishes a requirement.
 */
final class RoleConsumers {
    private static final int CONSUMER_NOT_FOUND = 10014;

    private RoleConsumers() {}

    static String durableName(String role) {
        return "role-" + TeamSubjects.token(role);
    }

    /**
     * The one subject that carries everything {@code role} may observe: the subject of its only
     * watched or addressed cause when there is one, else every message of the team (the worker then
     * applies the routing rule itself). One subject, because JetStream before 2.10 takes one filter.
     */
    static String filterSubject(TeamSubjects subjects, Role role, Collection<Role> team) {
        Set<String> causes = new TreeSet<>(role.watch());
        for (Role other : team) {
            for (Action a : other.actions()) {
                boolean addressed = a.sendTo().contains(role.name())
                        || a.command().map(c -> c.onFailureSendTo().contains(role.name())).orElse(false);
                if (addressed) {
                    causes.add(a.name());
                }
            }
        }
        return causes.size() == 1 ? subjects.messagesCausedBy(causes.iterator().next()) : subjects.messages();
    }

    /** Creates the consumers of every role of the team that do not exist yet. */
    static void ensureAll(TeamStream stream, Collection<Role> team) {
        for (Role r : team) {
            ensure(stream, r, team);
        }
    }

    static ConsumerInfo ensure(TeamStream stream, Role role, Collection<Role> team) {
        String name = durableName(role.name());
        String filter = filterSubject(stream.subjects(), role, team);
        String streamName = stream.subjects().stream();
        return stream.retrying("creating the consumer " + name, () -> {
            ConsumerInfo have = find(stream, name);
            if (have == null) {
                ConsumerConfiguration cc = ConsumerConfiguration.builder()
                        .durable(name)
                        .description("Troupe role " + role.name() + " of team " + stream.subjects().team() + ", shared by its workers")
                        .filterSubject(filter)
                        .deliverPolicy(DeliverPolicy.New)
                        .ackPolicy(AckPolicy.Explicit)
                        .ackWait(stream.settings().ackWait())
                        .maxDeliver(-1)
                        .build();
                try {
                    return stream.management().addOrUpdateConsumer(streamName, cc);
                } catch (JetStreamApiException raced) {
                    have = find(stream, name);   // another process created it at the same time
                    if (have == null) {
                        throw raced;
                    }
                }
            }
            if (!filter.equals(have.getConsumerConfiguration().getFilterSubject())) {
                throw new ConfigurationException("The NATS consumer '" + name + "' of stream '" + streamName + "' takes '"
                        + have.getConsumerConfiguration().getFilterSubject() + "', but role " + role.name() + " of this team"
                        + " definition needs '" + filter + "': the team changed. With no run of it going on, delete the"
                        + " consumer (nats consumer rm " + streamName + " " + name + ") and start again.");
            }
            return have;
        });
    }

    private static ConsumerInfo find(TeamStream stream, String name) throws java.io.IOException, JetStreamApiException {
        try {
            return stream.management().getConsumerInfo(stream.subjects().stream(), name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
