package dev.troupe.bench.contender;

import dev.langchain4j.model.chat.ChatModel;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.bench.workload.Shapes;
import java.util.List;

/**
 * Troupe: one role per step, each watching its predecessor's action; the DAG's join is a role
 * with {@code waitForAll}. No executor and no parallel construct: the SOP alone says what may run
 * at once.
 */
public final class TroupeContender implements Contender {
    private final Team chain;
    private final Team dag;

    public TroupeContender(ChatModel model) {
        Team.Builder c = Team.builder("bench-chain").model("fake:bench", model);
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
        this.dag = d.build();
    }

    /** The role "R&lt;step&gt;" whose action "&lt;step&gt;" answers the latest output of {@code previous}. */
    private static Role stepRole(String step, String previous) {
        String input = previous.equals(Message.USER_REQUIREMENT) ? "{{requirement}}" : "{{" + previous + "}}";
        return Role.builder("R" + step).watch(previous).actions(Action.text(step, Shapes.prompt(step, input))).build();
    }

    @Override
    public String name() {
        return "Troupe";
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
