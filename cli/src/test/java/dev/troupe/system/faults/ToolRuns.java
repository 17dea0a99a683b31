package dev.troupe.system.faults;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.planner.PlannerKind;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import dev.troupe.roles.tools.RoleTools;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.http.HttpToolExecutor;
import dev.troupe.tools.http.Observation;
import dev.troupe.tools.virtual.Fixtures;
import dev.troupe.tools.virtual.VirtualApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Runs a team in-process on its bundled script with every role's tools behind a
 * {@link FaultyToolServer} in front of their virtual API server, with an executor whose sleeper
 * records backoffs instead of waiting, and keeps what the run showed.
 */
final class ToolRuns {
    /** The executor's default attempts per call. */
    static final int MAX_ATTEMPTS = 3;
    /** The first backoff; the executor doubles it per attempt and adds up to a quarter of jitter. */
    static final Duration BACKOFF = Duration.ofMillis(10);
    /** Short, so a request the server never answers costs a second, yet far above the virtual server's answer time. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    private ToolRuns() {}

    /** The weather agent of the tool fault tests: find a city (GET), read its weather (GET), set an alert (POST). */
    static TeamDefinition weatherAgent() {
        return TeamLoader.load(Path.of("src/test/resources/dev/troupe/system/faults/weather-agent/team.yaml"));
    }

    /**
     * A run's result with every observation the executors returned, the tool calls the
     * run reported, the backoffs the executors asked for, and the fault servers (closed, counts kept).
     */
    record Outcome(RunResult result, ImmutableList<Observation> observations, ImmutableList<RunEvent.ToolCall> toolCalls,
                   ImmutableList<Duration> sleeps,
                   ImmutableList<FaultyToolServer> servers) {
        /** HTTP requests the executors made, retries included. */
        int attempts() {
            return observations.stream().mapToInt(Observation::attempts).sum();
        }

        int requestsSeen() {
            return servers.stream().mapToInt(FaultyToolServer::requests).sum();
        }

        ImmutableList<FaultyToolServer.Exchange> exchanges() {
            return servers.stream().flatMap(s -> s.exchanges().stream()).collect(ImmutableList.toImmutableList());
        }

        /** The run's last document: the team's answer. */
        String answer() {
            return result.messages().getLast().content();
        }
    }

    /**
     * Runs {@code def} on its offline model, each role's tools behind a fault server that {@code faults}
     * configures, every tool-using action on {@code planner} when given.
     */
    static Outcome run(TeamDefinition def, UnaryOperator<FaultyToolServer.Builder> faults, Optional<PlannerKind> planner, Path workspace) {
        List<Observation> observations = new CopyOnWriteArrayList<>();
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        List<RunEvent.ToolCall> toolCalls = new CopyOnWriteArrayList<>();
        List<FaultyToolServer> servers = new ArrayList<>();
        List<VirtualApiServer> upstreams = new ArrayList<>();
        Map<RoleTools, RoleTools> rerouted = new IdentityHashMap<>();
        UnaryOperator<RoleTools> reroute = tools -> {
            VirtualApiServer upstream = VirtualApiServer.start(tools.functions(),
                    tools.definition().fixtures().map(Fixtures::load).orElse(Fixtures.none()), 0);
            upstreams.add(upstream);
            FaultyToolServer front;
            try {
                front = faults.apply(FaultyToolServer.builder(upstream)).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            servers.add(front);
            return tools.withExecutor(HttpToolExecutor.builder(tools.functions())
                    .baseUrls(front.baseUrls())
                    .egressPolicy(EgressPolicy.builder().allowHost(front.host()).build())
                    .maxAttempts(MAX_ATTEMPTS)
                    .initialBackoff(BACKOFF)
                    .readTimeout(READ_TIMEOUT)
                    .callTimeout(Duration.ofSeconds(10))
                    .sleeper(sleeps::add)
                    .onObservation(observations::add)
                    .build());
        };
        List<Role> roles = new ArrayList<>();
        for (Role role : def.roles()) {
            List<Action> actions = new ArrayList<>();
            for (Action a : role.actions()) {
                Optional<RoleTools> tools = a.toolProvider().filter(RoleTools.class::isInstance).map(RoleTools.class::cast);
                if (tools.isEmpty()) {
                    actions.add(a);
                    continue;
                }
                Action.Builder b = a.newBuilder().toolProvider(rerouted.computeIfAbsent(tools.get(), reroute));
                planner.ifPresent(b::planner);
                actions.add(b.build());
            }
            roles.add(role.newBuilder().actions(actions).build());
        }
        TeamDefinition faulty = new TeamDefinition(def.name(), def.description(), def.source(), def.model(), def.offlineModel(),
                def.idea(), def.budget(), def.maxRounds(), def.timeout(), ImmutableList.copyOf(roles), def.roleLocations());
        ModelResolver resolver = ModelResolver.withEnv(Map.of());
        try {
            RunResult result = faulty.toBuilder(faulty.resolve(faulty.offlineModel().orElseThrow(), resolver), resolver)
                    .workspace(workspace)
                    .listener(new RunListener() {
                        @Override
                        public void onToolCall(RunEvent.ToolCall e) {
                            toolCalls.add(e);
                        }
                    })
                    .build().run(def.idea().orElseThrow());
            return new Outcome(result, ImmutableList.copyOf(observations), ImmutableList.copyOf(toolCalls),
                    ImmutableList.copyOf(sleeps), ImmutableList.copyOf(servers));
        } finally {
            for (FaultyToolServer s : servers) {
                try {
                    s.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            upstreams.forEach(VirtualApiServer::close);
        }
    }
}
