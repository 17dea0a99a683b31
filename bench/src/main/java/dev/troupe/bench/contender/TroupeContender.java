package dev.troupe.bench.contender;

import dev.langchain4j.model.chat.ChatModel;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.bench.workload.Shapes;
import dev.troupe.agents.journal.JdbcJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Troupe: one role per step, each watching its predecessor's action; the DAG's join is a role
 * with {@code waitForAll}. No executor and no parallel construct: the SOP alone says what may run
 * at once.
 */
public final class TroupeContender implements Contender {
    private final Team chain;
    private final Team dag;
    private final JdbcJournal journal;
    private final Path journalDir;

    /** Troupe without a journal, the default of a team built in code. */
    public TroupeContender(ChatModel model) {
        this(model, false);
    }

    /**
     * With {@code journaled}, every run writes its messages and completed calls to the embedded
     * SQLite journal (a fresh file in a temporary folder) before moving on, as the CLI does.
     */
    public static TroupeContender journaled(ChatModel model) {
        return new TroupeContender(model, true);
    }

    private TroupeContender(ChatModel model, boolean journaled) {
        try {
            this.journalDir = journaled ? Files.createTempDirectory("troupe-bench-journal-") : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the bench's journal", e);
        }
        this.journal = journaled ? JdbcJournal.inWorkspace(journalDir) : null;
        Team.Builder c = Team.builder("bench-chain").model("fake:bench", model);
        if (journaled) {
            c.journal(journal);
        }
        String previous = Message.USER_REQUIREMENT;
        for (String step : Shapes.CHAIN) {
            c.role(stepRole(step, previous));
            previous = step;
        }
        this.chain = c.build();

        Team.Builder d = Team.builder("bench-dag").model("fake:bench", model)
                .role(stepRole(Shapes.DAG_HEAD, Message.USER_REQUIREMENT));
        for (List<String> branch : List.of(Shapes.DAG_LEFT, Shapes.DAG_RIGHT)) {
            String before = Shapes.DAG_HEAD;
            for (String step : branch) {
                d.role(stepRole(step, before));
                before = step;
            }
        }
        String left = Shapes.DAG_LEFT.getLast();
        String right = Shapes.DAG_RIGHT.getLast();
        d.role(Role.builder("R" + Shapes.DAG_JOIN).watch(left, right).waitForAll(true)
                .actions(Action.text(Shapes.DAG_JOIN, Shapes.prompt(Shapes.DAG_JOIN, Shapes.joinInput("{{" + left + "}}", "{{" + right + "}}"))))
                .build());
        if (journaled) {
            d.journal(journal);
        }
        this.dag = d.build();
    }

    /** The role "R&lt;step&gt;" whose action "&lt;step&gt;" answers the latest output of {@code previous}. */
    private static Role stepRole(String step, String previous) {
        String input = previous.equals(Message.USER_REQUIREMENT) ? "{{requirement}}" : "{{" + previous + "}}";
        return Role.builder("R" + step).watch(previous).actions(Action.text(step, Shapes.prompt(step, input))).build();
    }

    @Override
    public String name() {
        return journal == null ? "Troupe" : "Troupe, SQLite journal on";
    }

    @Override
    public void close() {
        if (journal != null) {
            journal.close();
            try (var files = Files.walk(journalDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete the bench's journal folder " + journalDir + ": " + e);
            }
        }
    }

    @Override
    public String parallelism() {
        return "nothing: one role per step watching its predecessor, D with waitForAll(true); no executor, no parallel construct";
    }

    @Override
    public String chain(String requirement) {
        return output(chain.run(requirement), Shapes.CHAIN.getLast());
    }

    @Override
    public String dag(String requirement) {
        return output(dag.run(requirement), Shapes.DAG_JOIN);
    }

    private static String output(RunResult r, String lastAction) {
        if (!r.succeeded()) {
            throw new IllegalStateException("Troupe run " + r.runId() + " ended " + r.status() + ": " + r.error().orElse(""));
        }
        return r.document(lastAction).orElseThrow(() -> new IllegalStateException("Troupe run " + r.runId()
                + " succeeded without a " + lastAction + " document")).content();
    }
}
