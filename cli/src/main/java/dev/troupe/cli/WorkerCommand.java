package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.ConsoleRenderer;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.distributed.RoleWorker;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.Teams;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs one role of a team for every run coordinated over NATS ({@code troupe run TEAM --bus URL}), until stopped. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one role of a team for runs started with 'troupe run TEAM --bus URL'. Workers of one role share its"
                + " work; a killed worker's message goes to another. Stops on Ctrl-C. Exit 2 for bad input.")
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TEAM", description = "A team YAML file, or a built-in team name; the same as the coordinator's.")
    String team;

    @Option(names = "--role", paramLabel = "NAME", required = true, description = "The role this worker plays.")
    String role;

    @Option(names = "--nats", paramLabel = "URL", description = "The NATS server (default: $TROUPE_NATS_URL, else nats://127.0.0.1:4222).")
    String nats;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "1", description = "Messages this process works on at once (default: 1).")
    int replicas;

    @Option(names = "--model", paramLabel = "SPEC", description = "The model, as for 'troupe run' (default: the team's, else the"
            + " environment's, else the team's offline model).")
    String model;

    @Option(names = "--ack-wait", paramLabel = "DURATION", description = "How long a silent worker keeps a message before another"
            + " replica gets it, ISO-8601 (default: PT30S; only used when the role's consumer is first created).")
    Duration ackWait;

    @Option(names = "--no-sandbox", description = "Run the role's commands unconfined, as 'troupe run --no-sandbox'.")
    boolean noSandbox;

    @Option(names = {"-q", "--quiet"}, description = "Do not print each action.")
    boolean quiet;

    @Mixin
    MemoryCommand.StoreOptions memory;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (replicas < 1) {
            throw new ConfigurationException("--replicas must be 1 or more, but was " + replicas + ".");
        }
        TeamDefinition def = RunCommand.loadTeam(team, noSandbox, err);
        Teams teams = model == null ? Teams.of(def) : Teams.of(def).model(model);
        Team.Builder teamBuilder = def.toBuilder(RunCommand.chooseModel(teams, err).backend(), teams.resolver());
        // A reflective role keeps its lessons where 'troupe run' and 'troupe memory' find them (an unknown role is not reflective).
        boolean reflective = def.roles().stream().filter(r -> r.name().equals(role))
                .flatMap(r -> r.actions().stream()).anyMatch(a -> a.reflection().isPresent());
        JdbcReflectionStore lessons = reflective ? memory.open() : null;
        if (lessons != null) {
            teamBuilder.reflectionStore(lessons);
        }
        Team built = teamBuilder.build();
        RoleWorker.roleOf(built, role);   // before touching the server: a typo needs no NATS
        NatsSettings settings = NatsSettings.of(nats != null ? nats : NatsSettings.defaultUrl());
        if (ackWait != null) {
            settings = settings.withAckWait(ackWait);
        }
        TeamStream stream = TeamStream.open(settings, def.name());
        RoleWorker worker;
        try {
            RoleWorker.Builder b = RoleWorker.builder(stream, built, role);
            if (!quiet) {
                b.listener(new ConsoleRenderer(System.out, false));
            }
            worker = b.build().start(replicas);
        } catch (RuntimeException e) {
            stream.close();
            closeQuietly(lessons);
            throw e;
        }
        out.println("troupe worker " + worker.name() + ": role " + role + " of team " + def.name() + " on " + settings.url() + ", "
                + replicas + " at a time. Ctrl-C stops it.");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.close();
            stream.close();
            closeQuietly(lessons);
            stopped.countDown();
        }, "troupe-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Stopped from inside the JVM (tests, embedding code) rather than by a signal.
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
        }
        out.println("troupe worker " + worker.name() + ": stopped after " + worker.stepsDone() + " steps.");
        out.flush();
        return 0;
    }

    private static void closeQuietly(JdbcReflectionStore lessons) {
        if (lessons != null) {
            lessons.close();
        }
    }
}
