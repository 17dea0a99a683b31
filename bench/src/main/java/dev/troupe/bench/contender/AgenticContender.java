package dev.troupe.bench.contender;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.model.chat.ChatModel;
import dev.troupe.bench.workload.Shapes;
import java.util.List;
import java.util.Map;

/**
 * langchain4j-agentic: one untyped AI agent per step reading its predecessor's output key from
 * the agentic scope; the chain is a {@code sequenceBuilder}, the DAG a sequence of A, a
 * {@code parallelBuilder} of two branch sequences, and D.
 */
public final class AgenticContender implements Contender {
    private static final String REQUIREMENT = "requirement";
    private final UntypedAgent chain;
    private final UntypedAgent dag;

    public AgenticContender(ChatModel model) {
        Object[] steps = new Object[Shapes.CHAIN.size()];
        String previous = REQUIREMENT;
        for (int i = 0; i < steps.length; i++) {
            steps[i] = step(model, Shapes.CHAIN.get(i), previous);
            previous = key(Shapes.CHAIN.get(i));
        }
        this.chain = AgenticServices.sequenceBuilder().subAgents(steps).outputKey(previous).build();

        UntypedAgent head = step(model, Shapes.DAG_HEAD, REQUIREMENT);
        UntypedAgent left = branch(model, Shapes.DAG_LEFT);
        UntypedAgent right = branch(model, Shapes.DAG_RIGHT);
        UntypedAgent both = AgenticServices.parallelBuilder().subAgents(left, right).build();
        String l = key(Shapes.DAG_LEFT.getLast());
        String r = key(Shapes.DAG_RIGHT.getLast());
        UntypedAgent join = AgenticServices.agentBuilder()
                .name(Shapes.DAG_JOIN)
                .chatModel(model)
                .userMessage(Shapes.prompt(Shapes.DAG_JOIN, Shapes.joinInput("{{" + l + "}}", "{{" + r + "}}")))
                .inputKeys(String.class, l, String.class, r)
                .outputKey(key(Shapes.DAG_JOIN))
                .build();
        this.dag = AgenticServices.sequenceBuilder().subAgents(head, both, join).outputKey(key(Shapes.DAG_JOIN)).build();
    }

    private static UntypedAgent branch(ChatModel model, List<String> steps) {
        Object[] agents = new Object[steps.size()];
        String previous = key(Shapes.DAG_HEAD);
        for (int i = 0; i < agents.length; i++) {
            agents[i] = step(model, steps.get(i), previous);
            previous = key(steps.get(i));
        }
        return AgenticServices.sequenceBuilder().subAgents(agents).outputKey(previous).build();
    }

    private static UntypedAgent step(ChatModel model, String step, String inputKey) {
        return AgenticServices.agentBuilder()
                .name(step)
                .chatModel(model)
                .userMessage(Shapes.prompt(step, "{{" + inputKey + "}}"))
                .inputKey(String.class, inputKey)
                .outputKey(key(step))
                .build();
    }

    private static String key(String step) {
        return step.toLowerCase();
    }

    @Override
    public String name() {
        return "langchain4j-agentic";
    }

    @Override
    public String parallelism() {
        return "parallelBuilder() over two sequenceBuilder() branches, inside a sequenceBuilder() with A and D;"
                + " no executor (it defaults to LangChain4j's virtual-thread executor)";
    }

    @Override
    public String chain(String requirement) {
        return (String) chain.invoke(Map.of(REQUIREMENT, requirement));
    }

    @Override
    public String dag(String requirement) {
        return (String) dag.invoke(Map.of(REQUIREMENT, requirement));
    }
}
